import type { DataSource } from './data-source.js';
import type { GatewayEnv, JwksService } from './gateway-env.js';

/** What every simulated upstream reads: the compose env, the data, the clock. */
export interface ServiceContext {
  env: GatewayEnv;
  data: DataSource;
  /** Milliseconds since the epoch; tests fix it so that `exp` checks are deterministic. */
  now(): number;
  versions: { gotrue: string; postgrest: string };
  /** Services the compose hands JWT_JWKS / JWT_KEYS to. */
  jwksServices: ReadonlySet<JwksService>;
}
