// The public shapes of a supaops configuration. They are written out by hand (not inferred from
// zod) so the published .d.ts reads like documentation; schema.ts is checked against them.

/** A secret reference: `env:NAME`, `file:PATH` (relative to the config file's dir) or `store:NAME`. */
export type SecretRef = string;

export type InstanceKind = 'sandbox' | 'self-hosted' | 'dokploy' | 'cloud';

export interface DatabaseConfig {
  /** Direct or Supavisor session mode (5432): a SecretRef or a URL without a password. */
  session?: string;
  /** Supavisor transaction mode (6543): a SecretRef or a URL without a password. */
  transaction?: string;
  /** The password put into `session`/`transaction` when they carry none. */
  password?: SecretRef;
}

export interface ApiConfig {
  /** e.g. https://supabase.example.com */
  url: string;
  anonKey?: SecretRef;
  serviceRoleKey?: SecretRef;
  publishableKey?: SecretRef;
  secretKey?: SecretRef;
  jwtSecret?: SecretRef;
}

export interface InstanceDokployConfig {
  /** A key of `dokployServers`. */
  server: string;
  composeId: string;
}

export interface LocalBackupStorageConfig {
  type: 'local';
  dir: string;
}

export interface S3BackupStorageConfig {
  type: 's3';
  bucket: string;
  prefix?: string;
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  accessKeyId?: SecretRef;
  secretAccessKey?: SecretRef;
}

export interface BackupsConfig {
  storage: LocalBackupStorageConfig | S3BackupStorageConfig;
  /** Passphrase or raw key for backup-engine; absent = unencrypted. */
  encryptionKey?: SecretRef;
  retention?: { keepLast?: number; keepDays?: number };
}

export type InstanceLabels = { production?: boolean } & Record<string, string | number | boolean>;

export interface InstanceConfig {
  kind: InstanceKind;
  description?: string;
  database?: DatabaseConfig;
  api?: ApiConfig;
  dokploy?: InstanceDokployConfig;
  /** Default 'supabase/migrations', relative to the config file's dir. */
  migrationsDir?: string;
  backups?: BackupsConfig;
  /** `production: true` makes the faces ask for confirmation before writes. */
  labels?: InstanceLabels;
  /** get_publishable_keys may return the service key only when true. */
  allowServiceKey?: boolean;
}

export interface DokployServerConfig {
  url: string;
  apiKey: SecretRef;
  description?: string;
}

export interface SecretStoreConfig {
  path?: string;
  /** Default SUPAOPS_SECRET_KEY. */
  keyEnv?: string;
}

export interface AuditConfig {
  /** Default true. */
  enabled?: boolean;
  path?: string;
}

export interface McpHttpConfig {
  host?: string;
  port?: number;
  token?: SecretRef;
  allowedOrigins?: string[];
}

export interface SupaopsConfig {
  $schema?: string;
  version: 1;
  defaultInstance?: string;
  instances: Record<string, InstanceConfig>;
  dokployServers: Record<string, DokployServerConfig>;
  secretStore?: SecretStoreConfig;
  audit?: AuditConfig;
  mcp?: { http?: McpHttpConfig };
}

export interface SupaopsPaths {
  config: string;
  data: string;
  state: string;
  cache: string;
  log: string;
}

export interface LoadConfigOptions {
  /** Project directory search starts here (walks up to the root). Default process.cwd(). */
  cwd?: string;
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Explicit file; also env SUPAOPS_CONFIG. */
  configPath?: string;
  /**
   * An explicit instance selection (a face's `--instance` flag): wins over SUPAOPS_INSTANCE,
   * SUPAOPS_DB_URL and the file's defaultInstance for `resolveInstance(loaded, undefined)`.
   * Not checked here: an unknown name fails in resolveInstance, when it is used.
   */
  instance?: string;
  /** How errors name the `instance` option, e.g. '--instance'. Default 'the instance option'. */
  instanceFrom?: string;
}

/** Where the instance `resolveInstance(loaded, undefined)` picks came from. */
export type InstanceSelectionSource =
  | 'option'
  | 'SUPAOPS_INSTANCE'
  | 'SUPAOPS_DB_URL'
  | 'defaultInstance';

export interface InstanceSelection {
  name: string;
  from: InstanceSelectionSource;
  /** For messages: '--instance', 'SUPAOPS_INSTANCE', 'defaultInstance in /path/supaops.config.json'. */
  label: string;
}

export interface LoadedConfig {
  /** Merged and validated (defaults filled). */
  config: SupaopsConfig;
  sources: { project?: string; user?: string; env: string[] };
  /** Where add/remove write: the project file if one was found, else the user file. */
  writePath: string;
  paths: SupaopsPaths;
  env: NodeJS.ProcessEnv;
  /**
   * The instance used when none is named: the `instance` option, else SUPAOPS_INSTANCE, else
   * SUPAOPS_DB_URL's 'env', else defaultInstance. Absent when none applies (then
   * resolveInstance takes the only instance, or the sandbox). It may name an unknown instance
   * (a stale SUPAOPS_INSTANCE); resolveInstance reports that when it is used.
   */
  selection?: InstanceSelection;
}

/** An instance without any secret value: safe to print. */
export interface InstanceSummary {
  name: string;
  kind: InstanceKind;
  description?: string;
  production: boolean;
  isDefault: boolean;
  hasSession: boolean;
  hasTransaction: boolean;
  apiUrl?: string;
  dokploy?: { server: string; composeId: string };
  labels: Record<string, string | number | boolean>;
  /** The session connection string with the password as ***; absent when it is a reference. */
  sessionUrlRedacted?: string;
}

export interface ResolvedApi {
  url: string;
  anonKey?: string;
  serviceRoleKey?: string;
  publishableKey?: string;
  secretKey?: string;
  jwtSecret?: string;
}

export type ResolvedBackupStorage =
  | { type: 'local'; dir: string }
  | {
      type: 's3';
      bucket: string;
      prefix?: string;
      region?: string;
      endpoint?: string;
      forcePathStyle?: boolean;
      accessKeyId?: string;
      secretAccessKey?: string;
    };

export interface ResolvedInstance {
  name: string;
  kind: InstanceKind;
  production: boolean;
  labels: Record<string, string | number | boolean>;
  /** Secrets resolved: full URLs. */
  database: { session?: string; transaction?: string };
  api?: ResolvedApi;
  dokploy?: { serverName: string; url: string; apiKey: string; composeId: string };
  /** Absolute. */
  migrationsDir: string;
  backups?: {
    /** A local dir is absolute. */
    storage: ResolvedBackupStorage;
    encryptionKey?: string;
    retention?: { keepLast?: number; keepDays?: number };
  };
  allowServiceKey: boolean;
  /** Every resolved secret value, for redaction of output. */
  secrets: string[];
  /**
   * References of parts that were not needed (ResolveOptions.need) and did not resolve; each such
   * part is left out whole. Absent when everything resolved.
   */
  unresolved?: UnresolvedField[];
}

/** The parts of an instance whose references `ResolveOptions.need` selects. */
export type InstancePart = 'database' | 'api' | 'dokploy' | 'backups';

export interface UnresolvedField {
  /** Instance-relative path, e.g. 'api.serviceRoleKey', 'database.password', 'dokploy.apiKey'. */
  field: string;
  /** What failed and how to fix it (the error's message; no secret values). */
  reason: string;
  /** The error's code when it had one, e.g. 'SECRET_REFERENCE_UNRESOLVED'. */
  code?: string;
}

export interface ResolveOptions {
  /**
   * Called for kind 'sandbox' instances (and when no instance exists and allowSandboxDefault):
   * returns the sandbox's superuser URL. Injected so config never imports sandbox.
   */
  sandbox?: () => Promise<{ url: string; dataDir?: string }>;
  /** No instance configured -> a 'sandbox' instance from `sandbox`. */
  allowSandboxDefault?: boolean;
  /** For `store:` references; default: opened from config.secretStore and the environment. */
  secretStore?: SecretStore;
  /** Passphrase for the secret store when it is opened here (else SUPAOPS_SECRET_KEY / _PASSPHRASE). */
  passphrase?: string;
  /**
   * The parts the caller uses. Their references must resolve (else the error is thrown); the
   * other parts are resolved best-effort: a part with a reference that does not resolve is left
   * out and listed in `unresolved`. Absent: every part best-effort, nothing throws for a
   * reference. A sandbox instance's server is started only when 'database' is needed (or `need`
   * is absent).
   */
  need?: InstancePart[];
}

export interface SecretStore {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<boolean>;
  list(): Promise<string[]>;
}

export interface OpenSecretStoreOptions {
  /** Default <paths.data>/secrets.json. */
  path?: string;
  passphrase?: string;
  /** A raw 32-byte key, base64 or hex. */
  key?: string;
  /** Where SUPAOPS_SECRET_KEY (or keyEnv) and the default path are read. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Name of the env var holding the raw key. Default SUPAOPS_SECRET_KEY. */
  keyEnv?: string;
  /** scrypt cost of a new passphrase store (default N=2^15, r=8, p=1); recorded in the file. */
  scrypt?: { N: number; r: number; p: number };
}

/** Options of `openConfiguredSecretStore`. */
export interface ConfiguredSecretStoreOptions {
  /** Passphrase of the store (else the key or passphrase from the environment). */
  passphrase?: string;
}

/** Options of `resolveDokployServer`. */
export interface ResolveDokployServerOptions {
  /** For a `store:` API key; default: opened from config.secretStore and the environment. */
  secretStore?: SecretStore;
  /** Passphrase for the secret store when it is opened here. */
  passphrase?: string;
}

/** A `dokployServers` entry with its API key resolved. */
export interface ResolvedDokployServer {
  /** Its key under `dokployServers`. */
  name: string;
  url: string;
  /** The resolved key: a secret, redact output with it. */
  apiKey: string;
  /** The reference the config holds (`env:…`, `file:…`, `store:…`), safe to print. */
  apiKeyRef: SecretRef;
  description?: string;
}

export interface ResolveSecretContext {
  env?: NodeJS.ProcessEnv;
  /** Base of relative `file:` paths. Default process.cwd(). */
  baseDir?: string;
  /** Needed for `store:` references. */
  store?: SecretStore;
}

export type AuditSource = 'mcp' | 'cli' | 'api';
export type AuditOutcome = 'ok' | 'error' | 'refused' | 'dry-run';

export interface AuditEntry {
  /** ISO 8601. */
  time: string;
  source: AuditSource;
  /** Tool or command name, e.g. 'execute_sql', 'backup create'. */
  action: string;
  instance?: string;
  /** Redacted by the log itself. */
  args: Record<string, unknown>;
  outcome: AuditOutcome;
  error?: { code?: string; message: string };
  durationMs?: number;
}

export interface AuditReadFilter {
  since?: Date;
  action?: string;
  instance?: string;
  /** The newest `limit` entries (after the other filters). */
  limit?: number;
}

export interface AuditLog {
  path: string;
  append(
    entry: Omit<AuditEntry, 'time'> & { time?: string },
    options?: { secrets?: string[] },
  ): Promise<void>;
  read(filter?: AuditReadFilter): Promise<AuditEntry[]>;
}
