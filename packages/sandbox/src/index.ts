// The public surface of @supaops/sandbox. Named exports only.
export {
  type EphemeralClusterOptions,
  type PostgresCluster,
  startEphemeralCluster,
} from './ephemeral-cluster.js';
export {
  SandboxBinariesNotFoundError,
  SandboxError,
  type SandboxErrorCode,
  SandboxLockError,
  SandboxLogError,
  SandboxNotInitialisedError,
  SandboxOsUserError,
  SandboxStartError,
  SandboxStateError,
  SandboxStopError,
  SandboxUnreachableError,
  SandboxValidationError,
  SandboxVersionMismatchError,
} from './errors.js';
export { type ExtensionReport, extensionReport, SUPABASE_IMAGE_EXTENSIONS } from './extensions.js';
export { freePort } from './free-port.js';
export { isRoot, lookupOsUser, type OsUser } from './os-user.js';
export {
  type FindPgBinariesOptions,
  findPgBinaries,
  type PgBinaries,
  type PgBinarySource,
} from './pg-binaries.js';
export {
  availablePreloadLibraries,
  IMAGE_PRELOAD_LIBRARIES,
  preloadSettings,
} from './preload-libraries.js';
export {
  LOG_TAIL_MAX,
  type ReadSandboxLogOptions,
  readSandboxLog,
  type SandboxLog,
  type SandboxLogLine,
} from './read-sandbox-log.js';
export { type SweepResult, sharedRunRoot, sweepStaleClusters } from './run-dir.js';
export { resetSandbox, sandboxStatus, stopSandbox } from './sandbox-control.js';
export { defaultClusterDir, defaultSandboxDataDir } from './sandbox-layout.js';
export type { Sandbox, SandboxInfo, SandboxOptions } from './sandbox-types.js';
export { startSandbox } from './start-sandbox.js';
export { applySupabaseBootstrap, supabaseBootstrapSql } from './supabase-bootstrap.js';
