// The public surface of @supaops/testkit. Named exports only.
export { TestkitError } from './errors.js';
export { freePort } from './free-port.js';
export { isRoot, lookupOsUser, type OsUser } from './os-user.js';
export {
  type FindPgBinariesOptions,
  findPgBinaries,
  type PgBinaries,
  type PgBinarySource,
} from './pg-binaries.js';
export {
  type PostgresCluster,
  type StartPostgresOptions,
  startPostgres,
} from './postgres-cluster.js';
export { sweepStaleClusters, testkitRoot } from './run-dir.js';
export { applySupabaseBootstrap, supabaseBootstrapSql } from './supabase-bootstrap.js';
export { dockerAvailable, SUPABASE_POSTGRES_IMAGE, startSupabaseImage } from './supabase-image.js';
export {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
  type TestServerInfo,
} from './test-server.js';
export { mountTmpfs, type Tmpfs } from './tmpfs.js';
