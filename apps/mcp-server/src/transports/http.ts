import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Runtime } from '../context.js';
import { HttpStartError } from '../errors.js';
import { createSupaopsMcpServer, type SupaopsMcpServer } from '../server.js';
import { VERSION } from '../version.js';
import { type HttpToken, httpToken } from './http-token.js';
import { allowedOrigins, hostAllowed, isLoopbackHost, originAllowed } from './origin.js';

export const DEFAULT_HTTP_PORT = 3939;
export const DEFAULT_HTTP_HOST = '127.0.0.1';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface HttpServerHandle {
  /** The MCP endpoint, e.g. http://127.0.0.1:3939/mcp. */
  url: string;
  host: string;
  port: number;
  token: HttpToken;
  sessions(): number;
  close(): Promise<void>;
}

interface Entry {
  transport: StreamableHTTPServerTransport;
  mcp: SupaopsMcpServer;
  lastSeen: number;
}

/** A session without a request for this long is closed (its cursors and spill files go too). */
const SESSION_IDLE_MS = 30 * 60_000;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function reject(res: ServerResponse, status: number, message: string, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // past the limit the rest is read and dropped, so the client gets its 413 (not a reset)
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
    else if (size > 16 * MAX_BODY_BYTES) req.destroy();
  }
  if (size > MAX_BODY_BYTES) {
    throw Object.assign(new Error(`the body is larger than ${MAX_BODY_BYTES} bytes`), {
      status: 413,
    });
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw Object.assign(new Error('the body is not JSON'), { status: 400, cause: error });
  }
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new HttpStartError(
          `Could not listen on ${host}:${port}: ${error.code ?? error.message}. Fix: ${
            error.code === 'EADDRINUSE'
              ? 'another process uses the port; pass --port <n> (0 picks a free one).'
              : 'check --host (an address of this machine) and --port.'
          }`,
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Streamable HTTP with stateful sessions on node:http: a bearer token on every MCP request, an
 * Origin check (and a Host check on loopback) against DNS rebinding, and an open /health.
 */
export async function serveHttp(
  runtime: Runtime,
  options: { port?: number | undefined; host?: string | undefined } = {},
): Promise<HttpServerHandle> {
  const httpConfig = runtime.loaded.config.mcp?.http ?? {};
  const host = options.host ?? httpConfig.host ?? DEFAULT_HTTP_HOST;
  const token = await httpToken(runtime);
  const expected = digest(token.token);
  const sessions = new Map<string, Entry>();
  let origins = new Set<string>();
  let port = 0;

  const authorized = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match !== null && timingSafeEqual(digest(match[1] as string), expected);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'ok',
          name: 'supaops',
          version: VERSION,
          sessions: sessions.size,
        }),
      );
      return;
    }
    if (path !== '/mcp') return reject(res, 404, 'Not found. The MCP endpoint is /mcp.');
    if (isLoopbackHost(host) && !hostAllowed(req.headers.host, port)) {
      return reject(res, 403, 'Forbidden: the Host header does not name this server.');
    }
    if (!originAllowed(req.headers.origin, origins)) {
      return reject(
        res,
        403,
        'Forbidden: this Origin is not allowed (config mcp.http.allowedOrigins).',
      );
    }
    if (!authorized(req)) {
      return reject(res, 401, 'Unauthorized: send Authorization: Bearer <token>.', {
        'www-authenticate': 'Bearer',
      });
    }
    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (req.method === 'POST') {
      const body = await readJson(req);
      if (existing) {
        existing.lastSeen = Date.now();
        return existing.transport.handleRequest(req, res, body);
      }
      if (sessionId !== undefined) return reject(res, 404, 'Session not found: initialize again.');
      if (!isInitializeRequest(body)) {
        return reject(res, 400, 'No session: the first request must be initialize.');
      }
      const mcp = await createSupaopsMcpServer({ runtime });
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, { transport, mcp, lastSeen: Date.now() });
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
        void mcp.close();
      };
      await mcp.server.connect(transport);
      return transport.handleRequest(req, res, body);
    }
    if (req.method === 'GET' || req.method === 'DELETE') {
      if (!existing) return reject(res, sessionId ? 404 : 400, 'Session not found.');
      existing.lastSeen = Date.now();
      return existing.transport.handleRequest(req, res);
    }
    return reject(res, 405, 'Method not allowed.', { allow: 'GET, POST, DELETE' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = (error as { status?: number }).status ?? 500;
      runtime.log(`HTTP ${req.method} ${req.url}: ${(error as Error).message}`);
      if (!res.headersSent) reject(res, status, (error as Error).message);
      else res.end();
    });
  });
  const address = await listen(server, options.port ?? httpConfig.port ?? DEFAULT_HTTP_PORT, host);
  port = address.port;
  origins = allowedOrigins(port, httpConfig.allowedOrigins ?? []);
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const entry of sessions.values()) {
      if (now - entry.lastSeen > SESSION_IDLE_MS) void entry.transport.close().catch(() => {});
    }
  }, 60_000);
  sweep.unref();
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/mcp`,
    host,
    port,
    token,
    sessions: () => sessions.size,
    async close() {
      clearInterval(sweep);
      await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => {})));
      sessions.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
