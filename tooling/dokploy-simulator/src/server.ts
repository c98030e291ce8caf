import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import {
  containersForDeployment,
  newDeployment,
  PROCEDURES,
  type ProcedureContext,
} from './procedures.js';
import { createState, type SimCompose, type SimulatorState } from './state.js';
import { SimTrpcError } from './trpc-error.js';
import { atLeast, parseSimVersion, type SimVersion } from './version.js';

/** Faults the simulator injects into `/api/*` answers; counters go down as they fire. */
export interface SimulatorFaults {
  /** Milliseconds added before every `/api` answer. */
  latencyMs?: number;
  /** The next N matching calls answer a 5xx (`serverErrorStatus`, default 500). */
  serverErrors?: number;
  serverErrorStatus?: number;
  /** The next N matching calls with a valid key answer 401 anyway (Dokploy #1757/#5219). */
  spuriousUnauthorized?: number;
  /** The next N matching calls get their socket destroyed without an answer. */
  dropConnections?: number;
  /** The next N deployments end in `error`. */
  deployFailures?: number;
  /** Limit request faults to these procedures (`compose.one`, `health`, …); all when unset. */
  procedures?: string[];
}

export interface DokploySimulatorOptions {
  /** Dokploy version to imitate, e.g. `0.30.2` or `v0.24.4`. Default `0.30.2`. */
  version?: string;
  /** The valid API key. Default: a random `sim_…` key. */
  apiKey?: string;
  organizationId?: string;
  /** How long a queued deployment stays `running`. Default 30 ms. */
  deployDurationMs?: number;
  /** The IP used for generated domains and DNS validation. Default `127.0.0.1`. */
  serverIp?: string;
  /** Interval of the follow lines on `/docker-container-logs`. Default 100 ms. */
  logFollowIntervalMs?: number;
  faults?: SimulatorFaults;
}

/** One `/api` request as the simulator saw it (no header values: the key never lands here). */
export interface SimRequestRecord {
  method: string;
  path: string;
  procedure: string;
  query: Record<string, string>;
  body: unknown;
  contentType: string | undefined;
  hadApiKey: boolean;
  status: number;
}

export interface DokploySimulator {
  /** Origin, e.g. `http://127.0.0.1:41234` (the API lives under `/api`). */
  readonly url: string;
  /** The valid API key (organization metadata set). */
  readonly apiKey: string;
  readonly state: SimulatorState;
  /** The requests seen so far, oldest first (at most the last 10 000). */
  readonly requests: SimRequestRecord[];
  readonly version: string;
  setVersion(version: string): void;
  /** Changes how long deployments queued from now on stay `running`. */
  setDeployDurationMs(ms: number): void;
  setFaults(faults: SimulatorFaults): void;
  clearFaults(): void;
  /** Adds a key; without `organizationId` Dokploy rejects it with 401. */
  addApiKey(options?: { organizationId?: string | null }): string;
  /** Finishes every running deployment now. */
  completeDeployments(): void;
  stop(): Promise<void>;
}

const optionsSchema = z.object({
  version: z.string().optional(),
  apiKey: z.string().min(8).optional(),
  organizationId: z.string().min(1).optional(),
  deployDurationMs: z.number().int().min(0).max(60_000).optional(),
  serverIp: z.string().optional(),
  logFollowIntervalMs: z.number().int().min(5).max(60_000).optional(),
  faults: z.record(z.string(), z.unknown()).optional(),
});

/** Bad simulator options; `code` is stable. */
export class DokploySimulatorError extends Error {
  readonly code = 'DOKPLOY_SIMULATOR_OPTIONS';
  constructor(message: string) {
    super(message);
    this.name = 'DokploySimulatorError';
  }
}

function mustVersion(input: string): SimVersion {
  const v = parseSimVersion(input);
  if (!v) {
    throw new DokploySimulatorError(
      `startDokploySimulator: version "${input}" is not x.y.z. Fix: pass e.g. "0.30.2".`,
    );
  }
  return v;
}

function send(res: ServerResponse, status: number, body: unknown): void {
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
 * Starts a loopback Dokploy on a free port. Every test gets its own instance; call `stop()`.
 *
 * ```ts
 * const sim = await startDokploySimulator({ version: '0.25.5' });
 * const res = await fetch(`${sim.url}/api/project.all`, { headers: { 'x-api-key': sim.apiKey } });
 * await sim.stop();
 * ```
 */
export async function startDokploySimulator(
  options: DokploySimulatorOptions = {},
): Promise<DokploySimulator> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new DokploySimulatorError(
      `startDokploySimulator: invalid options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  let version = mustVersion(options.version ?? '0.30.2');
  const state = createState(options.organizationId ?? 'org-1');
  const apiKey = options.apiKey ?? `sim_${randomBytes(24).toString('hex')}`;
  state.apiKeys.set(apiKey, { organizationId: state.organizationId, userId: state.user.id });
  let deployDurationMs = options.deployDurationMs ?? 30;
  const serverIp = options.serverIp ?? '127.0.0.1';
  const followMs = options.logFollowIntervalMs ?? 100;
  let faults: SimulatorFaults = { ...(options.faults ?? {}) };
  const requests: SimRequestRecord[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const pending = new Map<string, () => void>();

  const finishDeployment = (deploymentId: string): void => {
    const run = pending.get(deploymentId);
    if (run) run();
  };

  const ctx: ProcedureContext = {
    state,
    get version() {
      return version;
    },
    serverIp,
    enqueueDeployment(compose: SimCompose, title: string, description: string | null) {
      const deployment = newDeployment(compose, title, description);
      state.deployments.set(deployment.deploymentId, deployment);
      compose.composeStatus = 'running';
      const fail = (faults.deployFailures ?? 0) > 0;
      if (fail) faults.deployFailures = (faults.deployFailures ?? 0) - 1;
      const run = () => {
        pending.delete(deployment.deploymentId);
        clearTimeout(timer);
        timers.delete(timer);
        const current = state.composes.get(compose.composeId);
        const stamp = new Date().toISOString();
        deployment.finishedAt = stamp;
        if (fail || !current || current.composeFile.trim() === '') {
          deployment.status = 'error';
          deployment.errorMessage = fail
            ? 'Simulated deployment failure'
            : 'Compose file is empty: nothing to deploy';
          deployment.logs.push(`Error: ${deployment.errorMessage}`);
          if (current) current.composeStatus = 'error';
          return;
        }
        deployment.logs.push(
          `docker compose -p ${current.appName} -f docker-compose.yml up -d --build --remove-orphans`,
          'Docker Compose Deployed: ✅',
        );
        deployment.status = 'done';
        current.composeStatus = 'done';
        containersForDeployment(state, current);
      };
      const timer = setTimeout(run, deployDurationMs);
      timer.unref();
      timers.add(timer);
      pending.set(deployment.deploymentId, run);
    },
  };

  const matchesFault = (procedure: string) =>
    !faults.procedures || faults.procedures.includes(procedure);
  const take = (
    key: 'serverErrors' | 'spuriousUnauthorized' | 'dropConnections',
    procedure: string,
  ): boolean => {
    const n = faults[key] ?? 0;
    if (n <= 0 || !matchesFault(procedure)) return false;
    faults[key] = n - 1;
    return true;
  };

  const authorized = (req: IncomingMessage): boolean => {
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string') return false;
    const entry = state.apiKeys.get(key);
    return Boolean(entry?.organizationId);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
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
    requests.push(record);
    if (requests.length > 10_000) requests.shift();
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
    if (!authorized(req) || take('spuriousUnauthorized', procedure)) {
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
    const schema = proc.input(version);
    const result = schema.safeParse(input);
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
    try {
      const out = proc.handle(ctx, result.data as never);
      answer(200, out);
    } catch (error) {
      if (error instanceof SimTrpcError) {
        answer(error.status, {
          message: error.message,
          code: error.code,
          ...(error.issues ? { issues: error.issues } : {}),
        });
        return;
      }
      answer(500, { message: (error as Error).message, code: 'INTERNAL_SERVER_ERROR' });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, 500, { message: String(error), code: 'INTERNAL_SERVER_ERROR' });
    });
  });
  server.keepAliveTimeout = 5_000;

  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    if (url.pathname !== '/docker-container-logs') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      if (!authorized(req)) {
        ws.close(4003, 'Unauthorized');
        return;
      }
      const containerId = url.searchParams.get('containerId') ?? '';
      const tail = Number(url.searchParams.get('tail') ?? '100');
      if (!/^[a-zA-Z0-9.\-_]+$/.test(containerId) || !Number.isInteger(tail) || tail < 1) {
        ws.close(4000, 'Invalid parameters');
        return;
      }
      const container = [...state.containers.values()].find(
        (c) => c.containerId === containerId || c.name === containerId,
      );
      if (!container) {
        ws.send(`Error: No such container: ${containerId}\n`);
        ws.close(4000, 'No such container');
        return;
      }
      const search = url.searchParams.get('search') ?? '';
      const pick = (lines: string[]) => (search ? lines.filter((l) => l.includes(search)) : lines);
      const initial = pick(container.logs).slice(-tail);
      if (initial.length) ws.send(`${initial.join('\n')}\n`);
      let n = 0;
      const timer = setInterval(() => {
        n += 1;
        const line = `${new Date().toISOString()} ${container.service} | heartbeat ${n}`;
        container.logs.push(line);
        if (pick([line]).length && ws.readyState === ws.OPEN) ws.send(`${line}\n`);
      }, followMs);
      timer.unref();
      ws.on('close', () => clearInterval(timer));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    state,
    requests,
    get version() {
      return version.tag;
    },
    setVersion(next: string) {
      version = mustVersion(next);
    },
    setDeployDurationMs(ms: number) {
      if (!Number.isInteger(ms) || ms < 0 || ms > 600_000) {
        throw new DokploySimulatorError(
          `setDeployDurationMs: ${ms} is not an integer between 0 and 600000.`,
        );
      }
      deployDurationMs = ms;
    },
    setFaults(next: SimulatorFaults) {
      faults = { ...faults, ...next };
    },
    clearFaults() {
      faults = {};
    },
    addApiKey(opts: { organizationId?: string | null } = {}) {
      const key = `sim_${randomBytes(24).toString('hex')}`;
      const organizationId =
        opts.organizationId === undefined ? state.organizationId : opts.organizationId;
      state.apiKeys.set(key, { organizationId, userId: state.user.id });
      return key;
    },
    completeDeployments() {
      for (const id of [...pending.keys()]) finishDeployment(id);
    },
    async stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      pending.clear();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
