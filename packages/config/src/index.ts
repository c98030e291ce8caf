export { AUDIT_FILE_NAME, type AuditLogState, openAuditLog } from './audit-log.js';
export { type ReadConfigFileOptions, readConfigFile } from './config-file.js';
export { openConfiguredSecretStore } from './configured-secret-store.js';
export { CONFIG_FILE_NAME, CONFIG_SCHEMA_URL, DEFAULT_SECRET_KEY_ENV } from './constants.js';
export { resolveDokployServer } from './dokploy-server.js';
export {
  AuditLogError,
  ConfigError,
  type ConfigErrorCode,
  ConfigFileError,
  type ConfigIssue,
  ConfigValidationError,
  DokployServerNotFoundError,
  HomeDirectoryError,
  InstanceNotFoundError,
  SecretReferenceError,
  type SecretReferenceReason,
  SecretStoreError,
  type SecretStoreReason,
} from './errors.js';
export { configJsonSchema } from './json-schema.js';
export { listInstances } from './list.js';
export { ENV_INSTANCE_NAME, loadConfig } from './load.js';
export { type SupaopsPathsOptions, supaopsPaths } from './paths.js';
export { redactValue } from './redact.js';
export {
  addDokployServer,
  addInstance,
  removeDokployServer,
  removeInstance,
  setDefaultInstance,
} from './registry.js';
export {
  adHocInstance,
  INSTANCE_PARTS,
  resolveInstance,
  SANDBOX_INSTANCE_NAME,
} from './resolve-instance.js';
export { resolveSecret } from './resolve-secret.js';
export { isSecretRef } from './secret-ref.js';
export { openSecretStore, SECRET_PASSPHRASE_ENV } from './secret-store.js';
export type {
  ApiConfig,
  AuditConfig,
  AuditEntry,
  AuditLog,
  AuditOutcome,
  AuditReadFilter,
  AuditSource,
  BackupsConfig,
  ConfiguredSecretStoreOptions,
  DatabaseConfig,
  DokployServerConfig,
  InstanceConfig,
  InstanceDokployConfig,
  InstanceKind,
  InstanceLabels,
  InstancePart,
  InstanceSelection,
  InstanceSelectionSource,
  InstanceSummary,
  LoadConfigOptions,
  LoadedConfig,
  LocalBackupStorageConfig,
  McpHttpConfig,
  OpenSecretStoreOptions,
  ResolveDokployServerOptions,
  ResolvedApi,
  ResolvedBackupStorage,
  ResolvedDokployServer,
  ResolvedInstance,
  ResolveOptions,
  ResolveSecretContext,
  S3BackupStorageConfig,
  SecretRef,
  SecretStore,
  SecretStoreConfig,
  SupaopsConfig,
  SupaopsPaths,
  UnresolvedField,
} from './types.js';
export { type ValidateConfigOptions, validateConfig } from './validate.js';
export { writeConfigFile } from './write.js';
