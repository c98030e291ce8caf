import { z } from 'zod';
import { clientAuthHeaders, type DokployClient, isDokployClient } from './client.js';
import {
  DokployConfigError,
  DokployInputError,
  DokployStreamError,
  DokployUnauthorizedError,
} from './errors.js';

export interface StreamContainerLogsOptions {
  containerId: string;
  /** Lines of history before following. Default 100. */
  tail?: number;
  /** `all` or a duration like `10m`. */
  since?: string;
  search?: string;
  serverId?: string;
  /** `swarm` runs `docker service logs`. Default `native`. */
  runType?: 'native' | 'swarm';
  /** Called per log line, redacted. */
  onLine: (line: string) => void;
  signal?: AbortSignal;
  /** How long to wait for the connection to open (ms). Default 10 000. */
  connectTimeoutMs?: number;
  /**
   * Ends the stream after this long (ms). If nothing arrived by then, `closed` carries a
   * `timeout` error: Dokploy leaves the socket open and silent when `docker logs` dies.
   */
  timeoutMs?: number;
}

export interface DokployLogStream {
  close(): void;
  /**
   * Resolves when the socket closes; `error` is set when the stream failed: Dokploy's error
   * codes, a close without a code before any data (a bad key), an unknown container, or
   * `timeoutMs` passing with nothing received.
   */
  readonly closed: Promise<{ code: number; reason: string; error?: DokployStreamError }>;
}

const schema = z.object({
  containerId: z
    .string()
    .min(1)
    .regex(/^[a-zA-Z0-9.\-_]+$/),
  tail: z.number().int().min(1).max(10_000).optional(),
  since: z
    .string()
    .regex(/^(all|\d+[smhd])$/)
    .optional(),
  search: z
    .string()
    .regex(/^[a-zA-Z0-9 ._-]{0,500}$/)
    .optional(),
  serverId: z.string().optional(),
  runType: z.enum(['native', 'swarm']).optional(),
  onLine: z.custom<(line: string) => void>(
    (v) => typeof v === 'function',
    'onLine must be a function',
  ),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  connectTimeoutMs: z.number().int().min(1).max(120_000).optional(),
  timeoutMs: z
    .number()
    .int()
    .min(1)
    .max(24 * 3_600_000)
    .optional(),
});

type WsModule = typeof import('ws');

async function loadWs(): Promise<WsModule> {
  try {
    return await import('ws');
  } catch (cause) {
    throw new DokployConfigError(
      'Streaming container logs needs the optional "ws" package. Fix: npm install ws',
      { cause },
    );
  }
}

/**
 * Follows a container's logs over Dokploy's `/docker-container-logs` WebSocket (any version
 * with API keys; the only log access before v0.29.0). Needs the optional `ws` package, since
 * browsers' WebSocket cannot send the `x-api-key` header.
 */
export async function streamContainerLogs(
  client: DokployClient,
  options: StreamContainerLogsOptions,
): Promise<DokployLogStream> {
  if (!isDokployClient(client)) {
    throw new DokployInputError(
      'streamContainerLogs: the first argument is not a DokployClient. Fix: pass createDokployClient(...).',
      [{ message: 'expected a DokployClient', path: ['client'] }],
    );
  }
  const r = schema.safeParse(options);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ message: i.message, path: i.path.map(String) }));
    throw new DokployInputError(
      `Invalid streamContainerLogs options: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}. Fix: pass { containerId, onLine }.`,
      issues,
    );
  }
  const o = r.data;
  const { WebSocket } = await loadWs();
  const params = new URLSearchParams({
    containerId: o.containerId,
    tail: String(o.tail ?? 100),
    since: o.since ?? 'all',
    runType: o.runType ?? 'native',
  });
  if (o.search) params.set('search', o.search);
  if (o.serverId) params.set('serverId', o.serverId);
  const url = `${client.baseUrl.ws}/docker-container-logs?${params}`;
  const socket = new WebSocket(url, {
    headers: clientAuthHeaders(client),
    handshakeTimeout: o.connectTimeoutMs ?? 10_000,
  });
  let partial = '';
  let received = false;
  let failure: DokployStreamError | undefined;
  // node-pty on the Dokploy side ends lines in \r\n
  const emit = (chunk: string) => {
    const lines = (partial + chunk).split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const clean = line.replace(/\r$/, '');
      if (clean !== '') o.onLine(client.redact(clean));
    }
  };
  socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data as ArrayBuffer).toString('utf8');
    if (!received && failure === undefined) {
      // `docker logs` of an unknown container: Dokploy relays the daemon's error, then the
      // socket stays open with nothing more to come
      const missing = /^Error response from daemon: No such container[^\r\n]*/.exec(text);
      if (missing) {
        failure = new DokployStreamError(
          `Dokploy has no container "${o.containerId}" (${client.redact(missing[0])}). Fix: container ids change on every redeploy; list the current ones with docker.getContainersByAppNameMatch.`,
          { kind: 'not-found' },
        );
        socket.close(1000, 'no such container');
        return;
      }
    }
    received = true;
    emit(text);
  });
  let timer: NodeJS.Timeout | undefined;
  const closed = new Promise<{ code: number; reason: string; error?: DokployStreamError }>(
    (resolve) => {
      socket.on('close', (code: number, reasonBuf: Buffer) => {
        clearTimeout(timer);
        if (partial) o.onLine(client.redact(partial.replace(/\r$/, '')));
        partial = '';
        const reason = reasonBuf.toString('utf8');
        let error = failure;
        if (!error && code === 4003) {
          error = new DokployStreamError(
            `Dokploy closed the log stream of ${o.containerId}: not authorized (4003): the key is valid but its user may not read Docker logs. Fix: use a key whose user has docker:read (or access to the service).`,
            { closeCode: code, kind: 'forbidden' },
          );
        } else if (!error && code >= 4000) {
          error = new DokployStreamError(
            `Dokploy closed the log stream of ${o.containerId} with ${code}${reason ? ` (${client.redact(reason)})` : ''}. Fix: check containerId (see docker.getContainersByAppNameMatch) and the parameters.`,
            { closeCode: code, kind: 'invalid-parameters' },
          );
        } else if (!error && code === 1005 && !received) {
          error = new DokployStreamError(
            `Dokploy closed the log stream of ${o.containerId} without a close code before sending anything: this is how it answers a missing or invalid API key (a possible authentication failure), or a serverId of another organization. Fix: check the key with client.user.get(); REST calls explain a 401 in detail.`,
            { closeCode: code, kind: 'unauthenticated' },
          );
        }
        resolve({ code, reason, ...(error ? { error } : {}) });
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req: unknown, res: { statusCode?: number }) => {
      socket.terminate();
      if (res.statusCode === 401) {
        reject(
          new DokployUnauthorizedError(
            'Dokploy refused the log WebSocket with 401. Fix: check the API key (see DokployUnauthorizedError on REST calls for the known causes).',
            { status: 401, request: { method: 'GET', procedure: 'docker-container-logs' } },
          ),
        );
      } else {
        reject(
          new DokployStreamError(
            `Dokploy refused the log WebSocket with HTTP ${res.statusCode}. Fix: check baseUrl and any proxy (it must pass WebSocket upgrades).`,
            { kind: 'connection' },
          ),
        );
      }
    });
    socket.once('error', (cause: Error) =>
      reject(
        new DokployStreamError(
          `Could not open the log WebSocket at ${client.baseUrl.ws}: ${client.redact(cause.message)}. Fix: check the address and that proxies pass WebSocket upgrades.`,
          { kind: 'connection' },
          { cause },
        ),
      ),
    );
  });
  socket.on('error', () => {
    // after open, errors surface as a close event
  });
  if (o.timeoutMs !== undefined) {
    const ms = o.timeoutMs;
    timer = setTimeout(() => {
      if (!received && failure === undefined) {
        failure = new DokployStreamError(
          `Nothing arrived on the log stream of ${o.containerId} within ${ms} ms. Fix: check that the container exists and is running (docker.getContainersByAppNameMatch), or raise timeoutMs.`,
          { kind: 'timeout' },
        );
      }
      socket.close(1000, 'timeout');
    }, ms);
    timer.unref();
  }
  const onAbort = () => socket.close(1000, 'aborted');
  o.signal?.addEventListener('abort', onAbort, { once: true });
  void closed.then(() => o.signal?.removeEventListener('abort', onAbort));
  if (o.signal?.aborted) onAbort();
  return {
    close: () => socket.close(1000, 'closed by client'),
    closed,
  };
}
