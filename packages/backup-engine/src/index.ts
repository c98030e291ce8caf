// The public surface of @supaops/backup-engine. Named exports only.
export { type BackupSummary, listBackups } from './backup-store.js';
export {
  type CompressionKind,
  type CompressionSettings,
  createCompressor,
  createDecompressor,
  resolveCompression,
  zstdAvailable,
} from './compression.js';
export {
  type CreateBackupOptions,
  type CreateBackupResult,
  createBackup,
  newBackupId,
} from './create-backup.js';
export {
  createDecryptTransform,
  createEncryptTransform,
  type DecryptOptions,
  type EncryptOptions,
  FORMAT_VERSION,
  HEADER_SIZE,
  parseHeader,
  TAG_SIZE,
} from './encryption.js';
export {
  BackupAbortedError,
  BackupError,
  BackupIntegrityError,
  BackupKeyError,
  BackupNotFoundError,
  BackupStorageError,
  BackupValidationError,
  PgToolError,
  PgToolVersionError,
  RestoreError,
  RestoreTargetNotEmptyError,
} from './errors.js';
export {
  BackupKeyDerivationError,
  BackupKeyEnvMissingError,
  BackupKeyFileUnreadableError,
  BackupKeyKindMismatchError,
  BackupKeyMalformedError,
  BackupKeyMissingError,
  BackupKeyWrongError,
} from './key-errors.js';
export { keySourceFromSecret } from './key-source.js';
export {
  DEFAULT_SCRYPT,
  deriveKey,
  type KdfParams,
  type KeySource,
  type MasterKey,
  parseRawKey,
  type ScryptParams,
} from './keys.js';
export { type BackupManifest, canonicalJson, type ManifestPart } from './manifest.js';
export {
  type FindPgToolOptions,
  findPgTool,
  type PgTool,
  type PgToolName,
  parsePgVersion,
} from './pg-tools.js';
export type { ProgressEvent, ProgressListener, ProgressPhase } from './progress.js';
export { maskSecret, redactConnectionString } from './redact.js';
export {
  type RestoreBackupOptions,
  type RestoreBackupResult,
  type RowCountCheck,
  restoreBackup,
} from './restore-backup.js';
export {
  planRestore,
  type RestorePlan,
  type RestorePlanPart,
  type RestoreRefusal,
} from './restore-plan.js';
export {
  applyRetention,
  planRetention,
  type RetentionDecision,
  type RetentionOptions,
  type RetentionResult,
} from './retention.js';
export type { RowCountMode } from './row-counts.js';
export { createStorage, type StorageSpec } from './storage/create-storage.js';
export { createLocalStorage } from './storage/local.js';
export { createS3Storage, type S3StorageOptions } from './storage/s3.js';
export type {
  BackupStorage,
  CleanupResult,
  PutOptions,
  StorageObjectInfo,
} from './storage/types.js';
export {
  SUPABASE_DATA_SCHEMAS,
  SUPABASE_EXCLUDED_DATA_TABLES,
  SUPABASE_MANAGED_SCHEMAS,
} from './supabase.js';
export {
  type VerifyBackupOptions,
  type VerifyBackupResult,
  verifyBackup,
} from './verify-backup.js';
