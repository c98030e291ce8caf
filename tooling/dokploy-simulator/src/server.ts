import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { createApiHandler, send } from './api-handler.js';
import { DeployQueue, type SimDeployEvent } from './deploy-queue.js';
import { createResolver, isLoopbackDnsServer } from './dns.js';
import { id } from './procedure.js';
import { createState, type SimApiKey, type SimRole, type SimulatorState } from './state.js';
import { atLeast, parseSimVersion, type SimVersion } from './version.js';
import { attachLogSocket } from './ws-logs.js';

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
  /**
   * DNS servers for `domain.validateDomain`, loopback addresses only (`127.0.0.1:5353`), e.g. a
   * test's own DNS server. Without them only `state.dns` and sslip.io/traefik.me names resolve.
   */
  dnsServers?: string[];
  /**
   * Called after each successful build, before the deployment is `done` (a returned promise
   * keeps it `running`; a rejection ends it in `error`). Tests use it to start something that
   * stands in for the deployed stack, e.g. `startSupabaseGateway({ env: event.env })`.
   */
  onDeploy?: (event: SimDeployEvent) => void | Promise<void>;
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

/** A route Traefik serves right now: from the labels the last deploy put on a container. */
export interface SimTraefikRoute {
  host: string;
  https: boolean;
  appName: string;
  service: string;
  port: number;
}

export interface DokploySimulator {
  /** Origin, e.g. `http://127.0.0.1:41234` (the API lives under `/api`). */
  readonly url: string;
  /** The valid API key (an owner's, organization metadata set). */
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
  /**
   * Adds a key. Without `organizationId` Dokploy rejects it with 401. A `member` key passes
   * only the permission checks its `permissions` (`resource:action`) grant.
   */
  addApiKey(options?: {
    organizationId?: string | null;
    role?: SimRole;
    permissions?: string[];
  }): string;
  /** Finishes every running and queued deployment now. */
  completeDeployments(): void;
  /**
   * A Dokploy restart: running deployments become `cancelled`, queued ones are dropped from
   * v0.29.9 (kept before), and open log WebSockets drop.
   */
  restart(): void;
  /** Changes BETTER_AUTH_SECRET: envs stored before read back as `enc:v1:` ciphertext (v0.29.12+). */
  changeAuthSecret(): void;
  /** The host routes Traefik serves now (they change only when a compose is deployed). */
  routes(): SimTraefikRoute[];
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
  dnsServers: z
    .array(
      z.string().refine(isLoopbackDnsServer, 'only loopback DNS servers (127.x.x.x[:port], [::1])'),
    )
    .optional(),
  onDeploy: z.custom<(event: SimDeployEvent) => unknown>((v) => typeof v === 'function').optional(),
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
  if (!atLeast(v, '0.19.0')) {
    throw new DokploySimulatorError(
      `startDokploySimulator: Dokploy ${v.tag} has no API keys (x-api-key came in v0.19.0), so no client can talk to it. Fix: pass 0.19.0 or later.`,
    );
  }
  return v;
}

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
  state.apiKeys.set(apiKey, {
    organizationId: state.organizationId,
    userId: state.user.id,
    role: 'owner',
    permissions: [],
  });
  let deployDurationMs = options.deployDurationMs ?? 30;
  const serverIp = options.serverIp ?? '127.0.0.1';
  const followMs = options.logFollowIntervalMs ?? 100;
  let faults: SimulatorFaults = { ...(options.faults ?? {}) };
  const requests: SimRequestRecord[] = [];
  const resolveHost = createResolver(state, options.dnsServers);

  const queue = new DeployQueue(state, {
    version: () => version,
    durationMs: () => deployDurationMs,
    takeFailure: () => {
      const n = faults.deployFailures ?? 0;
      if (n > 0) faults.deployFailures = n - 1;
      return n > 0;
    },
    newId: id,
    onDeploy: options.onDeploy,
  });

  const authenticate = (req: IncomingMessage): SimApiKey | undefined => {
    const key = req.headers['x-api-key'];
    if (typeof key !== 'string') return undefined;
    const entry = state.apiKeys.get(key);
    return entry?.organizationId ? entry : undefined;
  };
  const handle = createApiHandler({
    state,
    version: () => version,
    serverIp,
    queue,
    resolveHost,
    faults: () => faults,
    requests,
    authenticate,
  });

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, 500, { message: String(error), code: 'INTERNAL_SERVER_ERROR' });
    });
  });
  server.keepAliveTimeout = 5_000;
  const logSockets = attachLogSocket(server, { state, authenticate, followMs });

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
    addApiKey(
      opts: { organizationId?: string | null; role?: SimRole; permissions?: string[] } = {},
    ) {
      const key = `sim_${randomBytes(24).toString('hex')}`;
      const organizationId =
        opts.organizationId === undefined ? state.organizationId : opts.organizationId;
      state.apiKeys.set(key, {
        organizationId,
        userId:
          opts.role && opts.role !== 'owner'
            ? `user-${randomBytes(3).toString('hex')}`
            : state.user.id,
        role: opts.role ?? 'owner',
        permissions: [...(opts.permissions ?? [])],
      });
      return key;
    },
    completeDeployments() {
      queue.completeAll();
    },
    restart() {
      queue.restart();
      logSockets.terminateAll();
    },
    changeAuthSecret() {
      state.authSecretGeneration += 1;
    },
    routes() {
      return [...state.containers.values()].flatMap((c) =>
        c.state === 'running'
          ? c.routes.map((r) => ({
              host: r.host,
              https: r.https,
              appName: c.appName,
              service: c.service,
              port: r.port,
            }))
          : [],
      );
    },
    async stop() {
      queue.stop();
      logSockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
