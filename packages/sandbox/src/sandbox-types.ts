import { z } from 'zod';
import type { ExtensionReport } from './extensions.js';
import type { PgBinaries } from './pg-binaries.js';

export interface SandboxOptions {
  /** Where the sandbox keeps its state; default `<supaopsPaths().data>/sandbox`. */
  dataDir?: string;
  /** Default: a free port chosen on first init, then kept (a new one when it is taken). */
  port?: number;
  /** Which binaries a start uses; `embedded` never touches a system PostgreSQL. Default `auto`. */
  binaries?: 'auto' | 'system' | 'embedded';
  /** Directory of initdb/pg_ctl/postgres; wins over `binaries`. */
  binDir?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Where the cluster itself (pgdata/, postgres.log) lives. Default: the data dir, or, as
   * root, `<home of the postgres OS user>/supaops/sandbox-<hash of the data dir>`, because
   * the server runs as `postgres` and root's home is closed to it. Kept once chosen.
   */
  clusterDir?: string;
  /** Bound on the wait for another process starting or stopping the sandbox. Default 120 s. */
  lockTimeoutMs?: number;
}

export interface SandboxInfo {
  state: 'running' | 'stopped' | 'absent';
  dataDir: string;
  host: string;
  port?: number;
  pid?: number;
  /** 'supabase_admin', as in the Supabase image. */
  superuser: string;
  binaries?: PgBinaries;
  /** Server version, e.g. `15.18`. */
  version?: string;
  /** Supabase image extensions this PostgreSQL has, and the ones it cannot have here. */
  extensions?: ExtensionReport;
  /** Directory holding pgdata/ and postgres.log. */
  clusterDir?: string;
  /** The server log. */
  logFile?: string;
}

export interface Sandbox extends SandboxInfo {
  state: 'running';
  port: number;
  pid: number;
  /** True when an already running server was reused. */
  reused: boolean;
  /** Password of every login role; kept 0600 in the data dir. Not enumerable: logging the object does not show it. */
  password: string;
  /** `postgres://supabase_admin:…@127.0.0.1:port/postgres` */
  url(database?: string, user?: string): string;
}

export const sandboxOptionsSchema = z
  .object({
    dataDir: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    binaries: z.enum(['auto', 'system', 'embedded']).optional(),
    binDir: z.string().min(1).optional(),
    env: z
      .custom<NodeJS.ProcessEnv>((v) => typeof v === 'object' && v !== null, 'must be an object')
      .optional(),
    clusterDir: z.string().min(1).optional(),
    lockTimeoutMs: z.number().int().min(0).max(3_600_000).optional(),
  })
  .strict();
