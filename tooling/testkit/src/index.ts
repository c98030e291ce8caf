// The public surface of @supaops/testkit. Named exports only.

export {
  applySupabaseBootstrap,
  type FindPgBinariesOptions,
  freePort,
  isRoot,
  lookupOsUser,
  type OsUser,
  type PgBinaries,
  type PgBinarySource,
  supabaseBootstrapSql,
  sweepStaleClusters,
} from '@supaops/sandbox';
export { type DnsServer, startDnsServer } from './dns-server.js';
export { TestkitError } from './errors.js';
export {
  findPgBinaries,
  type PostgresCluster,
  type StartPostgresOptions,
  startPostgres,
  testkitRoot,
} from './postgres-cluster.js';
export {
  recordSandboxHome,
  SANDBOX_LEDGER_ENV,
  type SandboxLeak,
  sandboxClusterDir,
  sandboxLeaks,
  startSandboxLeakGuard,
} from './sandbox-leaks.js';
export { dockerAvailable, SUPABASE_POSTGRES_IMAGE, startSupabaseImage } from './supabase-image.js';
export {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
  type TestServerInfo,
} from './test-server.js';
export { mountTmpfs, type Tmpfs } from './tmpfs.js';
