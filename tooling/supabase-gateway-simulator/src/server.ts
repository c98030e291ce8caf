import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootState, type GatewayProblem } from './boot-state.js';
import type { DataSource } from './data-source.js';
import { databaseSource } from './database-source.js';
import { GatewayListenError, GatewayStoppedError } from './errors.js';
import { type GatewayEnv, type JwksService, readGatewayEnv } from './gateway-env.js';
import {
  type GatewayFaults,
  type GatewayRequestRecord,
  type GatewayRuntime,
  handleGatewayRequest,
  internalError,
} from './kong-gateway.js';
import { KONG_PROFILES, type KongVersion } from './kong-profile.js';
import { defaultGatewayData, type GatewayData, memorySource } from './memory-source.js';
import {
  envSchema,
  faultsSchema,
  optionsSchema,
  parseWith,
  type SupabaseGatewayOptions,
} from './options.js';

const MAX_RECORDS = 10_000;

export interface SupabaseGateway {
  /** `http://127.0.0.1:<port>`: what SUPABASE_PUBLIC_URL would point at. */
  readonly url: string;
  readonly port: number;
  readonly kong: KongVersion;
  /** Requests seen, oldest first (the last 10 000). No key, token or password is ever kept. */
  readonly requests: GatewayRequestRecord[];
  /** The in-memory data (ignored where `database` is given). Tests may change it. */
  readonly data: GatewayData;
  /** Why Kong or a service would not start with the current env (empty when all start). */
  readonly problems: readonly GatewayProblem[];
  /** Whether anything accepts connections on the port now. */
  readonly listening: boolean;
  /** A redeploy with another env: services restart with it, Kong re-reads its config. */
  reconfigure(env: string | Record<string, string>): Promise<void>;
  setFaults(faults: GatewayFaults): Promise<void>;
  clearFaults(): Promise<void>;
  stop(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(new GatewayListenError('127.0.0.1', port, error));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Starts a loopback Supabase gateway (Kong in front of GoTrue, PostgREST and Storage) that
 * enforces what the real ones do with the given compose env.
 *
 * ```ts
 * const gw = await startSupabaseGateway({ env: composeEnvText });
 * await fetch(`${gw.url}/auth/v1/health`, { headers: { apikey: anonKey } });
 * await gw.stop();
 * ```
 */
export async function startSupabaseGateway(
  options: SupabaseGatewayOptions,
): Promise<SupabaseGateway> {
  const opts = parseWith(optionsSchema, 'startSupabaseGateway', options);
  const profile = KONG_PROFILES[opts.kong ?? '3.9.1'];
  const jwksServices: ReadonlySet<JwksService> = new Set(opts.jwksServices ?? ['auth']);
  const data: GatewayData = { ...defaultGatewayData(), ...opts.data };
  const source: DataSource = opts.database ? databaseSource(opts.database.url) : memorySource(data);
  const now = opts.now ?? Date.now;

  let env: GatewayEnv = readGatewayEnv(opts.env);
  const runtime: GatewayRuntime = {
    profile,
    boot: bootState(env, profile, jwksServices),
    faults: { ...opts.faults },
    ctx: {
      get env() {
        return env;
      },
      data: source,
      now,
      versions: {
        gotrue: opts.versions?.gotrue ?? 'v2.189.0',
        postgrest: opts.versions?.postgrest ?? '14.12',
      },
      jwksServices,
    },
  };
  const requests: GatewayRequestRecord[] = [];

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const base = { method: req.method ?? 'GET', path };
    handleGatewayRequest(req, runtime)
      .catch(() => ({
        response: internalError(profile),
        record: {
          route: null,
          upstream: null,
          apikey: 'absent' as const,
          authorization: 'absent' as const,
          role: null,
        },
      }))
      .then(({ response, record }) => {
        requests.push({ ...base, ...record, status: response.status });
        if (requests.length > MAX_RECORDS) requests.shift();
        res.writeHead(response.status, {
          ...response.headers,
          'content-length': Buffer.byteLength(response.body),
        });
        res.end(response.body);
      });
  });

  const port = await listen(server, opts.port ?? 0);
  let listening = true;
  let stopped = false;

  // Kong refusing its config, or an injected gateway fault: nothing answers on the port
  async function settle(): Promise<void> {
    const shouldListen =
      runtime.boot.credentials !== undefined && runtime.faults.gateway !== 'refused';
    if (shouldListen && !listening) {
      await listen(server, port);
      listening = true;
    } else if (!shouldListen && listening) {
      await close(server);
      listening = false;
    }
  }
  await settle();

  const guard = (method: string) => {
    if (stopped) throw new GatewayStoppedError(method);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    kong: profile.version,
    requests,
    data,
    get problems() {
      return runtime.boot.problems;
    },
    get listening() {
      return listening;
    },
    async reconfigure(next) {
      guard('reconfigure');
      env = readGatewayEnv(parseWith(envSchema, 'reconfigure', next));
      runtime.boot = bootState(env, profile, jwksServices);
      await settle();
    },
    async setFaults(faults) {
      guard('setFaults');
      runtime.faults = { ...parseWith(faultsSchema, 'setFaults', faults) };
      await settle();
    },
    async clearFaults() {
      guard('clearFaults');
      runtime.faults = {};
      await settle();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (listening) await close(server);
      listening = false;
      await source.close();
    },
  };
}
