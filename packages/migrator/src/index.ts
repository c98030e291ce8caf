// The public surface of @supaops/migrator. Named exports only.
export type { CatalogChanges, CatalogObject } from './catalog-changes.js';
export { type MigratorConnection, redactConnectionString } from './connection.js';
export {
  type AbortDetails,
  type FailedStatementDetails,
  MigrationAbortedError,
  MigrationDriftError,
  MigrationFailedError,
  MigrationFileError,
  MigrationHistoryMismatchError,
  MigrationLockHeldError,
  MigratorConnectionRequiredError,
  MigratorDatabaseError,
  MigratorError,
  MigratorValidationError,
  MissingDownFileError,
  TransactionPoolerRefusedError,
} from './errors.js';
export type {
  FileReport,
  MigratorEvent,
  Operation,
  RunReport,
  StatementResult,
} from './events.js';
export { type NewMigrationResult, NO_TRANSACTION_MARKER } from './files.js';
export { DEFAULT_LOCK_KEY } from './lock.js';
export {
  createMigrator,
  type DownOptions,
  type FetchOptions,
  MIGRATOR_OPERATIONS,
  type Migrator,
  type MigratorOptions,
  type RepairOptions,
  type StatusOptions,
  type UpOptions,
  type VerifyResult,
} from './migrator.js';
export { type SplitStatement, splitStatements } from './split-statements.js';
export {
  type DriftState,
  formatStatusTable,
  type MigrationState,
  type MigrationStatus,
  type StatusEntry,
} from './status.js';
