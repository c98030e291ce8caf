const MARKER = Symbol.for('supaops.config.error');

export type ConfigErrorCode =
  | 'CONFIG_VALIDATION_FAILED'
  | 'CONFIG_FILE_INVALID'
  | 'SECRET_REFERENCE_UNRESOLVED'
  | 'SECRET_STORE_FAILED'
  | 'INSTANCE_NOT_FOUND'
  | 'DOKPLOY_SERVER_NOT_FOUND'
  | 'AUDIT_LOG_FAILED'
  | 'HOME_DIRECTORY_UNKNOWN';

/**
 * Base class of every error thrown by @supaops/config. Each subclass has a stable `code`;
 * messages say what was wrong and how to fix it, and never contain a secret value.
 */
export class ConfigError extends Error {
  readonly [MARKER] = true;
  readonly code: ConfigErrorCode;

  constructor(code: ConfigErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
    this.code = code;
  }

  /** True for errors of this package, including ones from a duplicate copy of it. */
  static isInstance(value: unknown): value is ConfigError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}

export interface ConfigIssue {
  /** Dotted field path, e.g. `instances.prod.database.session`; `(root)` for the whole value. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/** A configuration (or an input of a public function) failed validation. */
export class ConfigValidationError extends ConfigError {
  readonly issues: ConfigIssue[];
  /** The file the configuration came from, when there is one. */
  readonly file?: string;

  constructor(what: string, issues: ConfigIssue[], options?: { cause?: unknown; file?: string }) {
    const where = options?.file ? ` in ${options.file}` : '';
    const list = issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n');
    super('CONFIG_VALIDATION_FAILED', `Invalid ${what}${where}:\n${list}`, options);
    this.name = 'ConfigValidationError';
    this.issues = issues;
    if (options?.file) this.file = options.file;
  }

  static override isInstance(value: unknown): value is ConfigValidationError {
    return ConfigError.isInstance(value) && value.code === 'CONFIG_VALIDATION_FAILED';
  }
}

/** A config file could not be read, written, or is not JSON. Names the file. */
export class ConfigFileError extends ConfigError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('CONFIG_FILE_INVALID', message, options);
    this.name = 'ConfigFileError';
    this.file = file;
  }

  static override isInstance(value: unknown): value is ConfigFileError {
    return ConfigError.isInstance(value) && value.code === 'CONFIG_FILE_INVALID';
  }
}

export type SecretReferenceReason =
  | 'invalid'
  | 'env-missing'
  | 'file-missing'
  | 'file-unreadable'
  | 'store-unavailable'
  | 'store-missing';

/** A secret reference did not resolve. Names the reference (never a value). */
export class SecretReferenceError extends ConfigError {
  readonly ref: string;
  readonly reason: SecretReferenceReason;
  constructor(
    ref: string,
    reason: SecretReferenceReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('SECRET_REFERENCE_UNRESOLVED', message, options);
    this.name = 'SecretReferenceError';
    this.ref = ref;
    this.reason = reason;
  }

  static override isInstance(value: unknown): value is SecretReferenceError {
    return ConfigError.isInstance(value) && value.code === 'SECRET_REFERENCE_UNRESOLVED';
  }
}

export type SecretStoreReason =
  | 'no-key'
  | 'bad-key'
  | 'wrong-key'
  | 'corrupt'
  | 'io'
  | 'key-mismatch';

/** The local secret store could not be opened, decrypted or written. */
export class SecretStoreError extends ConfigError {
  readonly reason: SecretStoreReason;
  readonly file: string;
  constructor(
    file: string,
    reason: SecretStoreReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('SECRET_STORE_FAILED', message, options);
    this.name = 'SecretStoreError';
    this.file = file;
    this.reason = reason;
  }

  static override isInstance(value: unknown): value is SecretStoreError {
    return ConfigError.isInstance(value) && value.code === 'SECRET_STORE_FAILED';
  }
}

/** An instance (or Dokploy server) name is not in the registry. Lists the known ones. */
export class InstanceNotFoundError extends ConfigError {
  readonly instance: string | undefined;
  readonly known: string[];
  /** Where the name came from when it was not given directly, e.g. 'SUPAOPS_INSTANCE'. */
  readonly from?: string;
  constructor(
    instance: string | undefined,
    known: string[],
    message: string,
    options?: { cause?: unknown; from?: string },
  ) {
    super('INSTANCE_NOT_FOUND', message, options);
    this.name = 'InstanceNotFoundError';
    this.instance = instance;
    this.known = known;
    if (options?.from !== undefined) this.from = options.from;
  }

  static override isInstance(value: unknown): value is InstanceNotFoundError {
    return ConfigError.isInstance(value) && value.code === 'INSTANCE_NOT_FOUND';
  }
}

/**
 * No Dokploy server was named and the config does not have exactly one, or the named one is not
 * under `dokployServers`. `server` is the name asked for (undefined when none was); `known`
 * lists the configured names.
 */
export class DokployServerNotFoundError extends ConfigError {
  readonly server: string | undefined;
  readonly known: string[];
  constructor(
    server: string | undefined,
    known: string[],
    message: string,
    options?: { cause?: unknown },
  ) {
    super('DOKPLOY_SERVER_NOT_FOUND', message, options);
    this.name = 'DokployServerNotFoundError';
    this.server = server;
    this.known = known;
  }

  static override isInstance(value: unknown): value is DokployServerNotFoundError {
    return ConfigError.isInstance(value) && value.code === 'DOKPLOY_SERVER_NOT_FOUND';
  }
}

/** The audit log could not be opened, appended to or read. */
export class AuditLogError extends ConfigError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('AUDIT_LOG_FAILED', message, options);
    this.name = 'AuditLogError';
    this.file = file;
  }

  static override isInstance(value: unknown): value is AuditLogError {
    return ConfigError.isInstance(value) && value.code === 'AUDIT_LOG_FAILED';
  }
}

/**
 * No directory for supaops' files: HOME (USERPROFILE on Windows) is empty or unset and the OS
 * knows no home directory for the user either.
 */
export class HomeDirectoryError extends ConfigError {
  constructor(platform: NodeJS.Platform, options?: { cause?: unknown }) {
    const home = platform === 'win32' ? 'USERPROFILE (or HOME)' : 'HOME';
    super(
      'HOME_DIRECTORY_UNKNOWN',
      `Cannot tell where supaops keeps its files: ${home} is empty or unset and the OS has no ` +
        `home directory for this user. Set ${home} to your home directory, or set ` +
        'SUPAOPS_CONFIG_DIR, SUPAOPS_DATA_DIR, SUPAOPS_STATE_DIR, SUPAOPS_CACHE_DIR and ' +
        'SUPAOPS_LOG_DIR to absolute paths.',
      options,
    );
    this.name = 'HomeDirectoryError';
  }

  static override isInstance(value: unknown): value is HomeDirectoryError {
    return ConfigError.isInstance(value) && value.code === 'HOME_DIRECTORY_UNKNOWN';
  }
}
