import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeployQueue } from './deploy-queue.js';
import { checkProcedurePermission } from './permissions.js';
import type { ProcedureContext } from './procedure.js';
import { PROCEDURES } from './procedures.js';
import type { SimRequestRecord, SimulatorFaults } from './server.js';
import type { SimApiKey, SimulatorState } from './state.js';
import { SimTrpcError } from './trpc-error.js';
import { atLeast, type SimVersion } from './version.js';

/** What the `/api/*` handler needs from the running simulator. */
export interface ApiHandlerDeps {
  readonly state: SimulatorState;
  version(): SimVersion;
  readonly serverIp: string;
  readonly queue: DeployQueue;
  resolveHost(host: string): Promise<string[]>;
  /** The current faults; the handler counts them down in place. */
  faults(): SimulatorFaults;
  readonly requests: SimRequestRecord[];
  authenticate(req: IncomingMessage): SimApiKey | undefined;
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The REST layer as Dokploy's `[...trpc].ts` + `@dokploy/trpc-openapi` run it: faults, the
 * health route, the key check (before any lookup), procedure and method lookup, content type,
 * JSON, zod input, then the procedure's permission check and the procedure itself.
 */
export function createApiHandler(
  d: ApiHandlerDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const matchesFault = (procedure: string) =>
    !d.faults().procedures || d.faults().procedures?.includes(procedure);
  const take = (
    key: 'serverErrors' | 'spuriousUnauthorized' | 'dropConnections',
    procedure: string,
  ): boolean => {
    const faults = d.faults();
    const n = faults[key] ?? 0;
    if (n <= 0 || !matchesFault(procedure)) return false;
    faults[key] = n - 1;
    return true;
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const faults = d.faults();
    const version = d.version();
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const method = req.method ?? 'GET';
    if (!url.pathname.startsWith('/api/')) {
      send(res, 404, { message: 'Not found', code: 'NOT_FOUND' });
      return;
    }
    const procedure = url.pathname.slice('/api/'.length);
    const record: SimRequestRecord = {
      method,
      path: url.pathname,
      procedure,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      contentType: req.headers['content-type'],
      hadApiKey: typeof req.headers['x-api-key'] === 'string',
      status: 0,
    };
    d.requests.push(record);
    if (d.requests.length > 10_000) d.requests.shift();
    const raw = method === 'POST' ? await readBody(req) : '';
    if (raw) {
      try {
        record.body = JSON.parse(raw);
      } catch {
        record.body = raw;
      }
    }
    const answer = (status: number, body: unknown) => {
      record.status = status;
      send(res, status, body);
    };

    if (faults.latencyMs && matchesFault(procedure)) await sleep(faults.latencyMs);
    if (take('dropConnections', procedure)) {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    if (take('serverErrors', procedure)) {
      const status = faults.serverErrorStatus ?? 500;
      answer(status, { message: 'Simulated upstream failure', code: 'INTERNAL_SERVER_ERROR' });
      return;
    }
    if (procedure === 'health' && method === 'GET') {
      answer(200, { ok: true });
      return;
    }
    const key = d.authenticate(req);
    // [...trpc].ts answers before any procedure lookup, and its body has no `code`
    if (!key || take('spuriousUnauthorized', procedure)) {
      answer(401, { message: 'Unauthorized' });
      return;
    }
    const proc = PROCEDURES[procedure];
    const available =
      proc &&
      proc.method === method &&
      (!proc.since || atLeast(version, proc.since)) &&
      (!proc.until || !atLeast(version, proc.until));
    if (!proc || !available) {
      answer(404, { message: 'Not found', code: 'NOT_FOUND' });
      return;
    }
    let input: unknown;
    if (method === 'POST') {
      const type = req.headers['content-type'] ?? '';
      if (!type.toLowerCase().startsWith('application/json')) {
        answer(415, {
          message: `Unsupported content-type "${type}"`,
          code: 'UNSUPPORTED_MEDIA_TYPE',
        });
        return;
      }
      try {
        input = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        answer(400, { message: 'Failed to parse request body', code: 'PARSE_ERROR' });
        return;
      }
    } else {
      input = record.query;
    }
    const result = proc.input(version).safeParse(input);
    if (!result.success) {
      answer(400, {
        message: 'Input validation failed',
        code: 'BAD_REQUEST',
        issues: result.error.issues.map((i) => ({
          code: i.code,
          message: i.message,
          path: i.path,
        })),
      });
      return;
    }
    const ctx: ProcedureContext = {
      state: d.state,
      version,
      serverIp: d.serverIp,
      queue: d.queue,
      key,
      resolveHost: d.resolveHost,
    };
    try {
      checkProcedurePermission(key, procedure, version);
      answer(200, await proc.handle(ctx, result.data as never));
    } catch (error) {
      if (error instanceof SimTrpcError) {
        answer(error.status, {
          message: error.message,
          code: error.code,
          ...(error.issues ? { issues: error.issues } : {}),
        });
        return;
      }
      // a plain Error (an ExecError, "Template files not found") is a 500 with its message
      answer(500, { message: (error as Error).message, code: 'INTERNAL_SERVER_ERROR' });
    }
  };
}
