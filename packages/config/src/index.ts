export { openAuditLog } from './audit-log.js';
export { CONFIG_FILE_NAME, CONFIG_SCHEMA_URL, DEFAULT_SECRET_KEY_ENV } from './constants.js';
export {
  AuditLogError,
  ConfigError,
  type ConfigErrorCode,
  ConfigFileError,
  type ConfigIssue,
  ConfigValidationError,
  InstanceNotFoundError,
  SecretReferenceError,
  type SecretReferenceReason,
  SecretStoreError,
  type SecretStoreReason,
} from './errors.js';
export { configJsonSchema } from './json-schema.js';
export { listInstances } from './list.js';
export { loadConfig } from './load.js';
export { supaopsPaths } from './paths.js';
export { redactValue } from './redact.js';
export {
  addDokployServer,
  addInstance,
  removeDokployServer,
  removeInstance,
} from './registry.js';
export { adHocInstance, resolveInstance } from './resolve-instance.js';
export { resolveSecret } from './resolve-secret.js';
export { isSecretRef } from './secret-ref.js';
export { openSecretStore } from './secret-store.js';
export type {
  ApiConfig,
  AuditConfig,
  AuditEntry,
  AuditLog,
  AuditOutcome,
  AuditReadFilter,
  AuditSource,
  BackupsConfig,
  DatabaseConfig,
  DokployServerConfig,
  InstanceConfig,
  InstanceDokployConfig,
  InstanceKind,
  InstanceLabels,
  InstanceSummary,
  LoadConfigOptions,
  LoadedConfig,
  LocalBackupStorageConfig,
  McpHttpConfig,
  OpenSecretStoreOptions,
  ResolvedApi,
  ResolvedBackupStorage,
  ResolvedInstance,
  ResolveOptions,
  ResolveSecretContext,
  S3BackupStorageConfig,
  SecretRef,
  SecretStore,
  SecretStoreConfig,
  SupaopsConfig,
  SupaopsPaths,
} from './types.js';
export { validateConfig } from './validate.js';
export { writeConfigFile } from './write.js';
