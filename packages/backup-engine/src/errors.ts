const marker = Symbol.for('supaops.backup-engine.error');

export interface BackupErrorOptions {
  cause?: unknown;
}

/** Base class of every backup-engine failure: a stable `code`, and a message that says how to fix it. */
export class BackupError extends Error {
  readonly [marker] = true;
  readonly code: string;

  constructor(code: string, message: string, options?: BackupErrorOptions) {
    super(message, options);
    this.name = 'BackupError';
    this.code = code;
  }

  static isInstance(error: unknown): error is BackupError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

/** Inputs that do not match the expected shape; `issues` lists each problem. */
export class BackupValidationError extends BackupError {
  readonly issues: string[];
  constructor(what: string, issues: string[], options?: BackupErrorOptions) {
    super(
      'BACKUP_VALIDATION_FAILED',
      `Invalid ${what}: ${issues.join('; ')}. Fix: correct the listed fields.`,
      options,
    );
    this.name = 'BackupValidationError';
    this.issues = issues;
  }
}

/**
 * The data does not match what was written: a chunk failed authentication, the object was
 * truncated, or a hash differs from the manifest. `chunkIndex` names the failing chunk when known.
 */
export class BackupIntegrityError extends BackupError {
  readonly chunkIndex: number | undefined;
  constructor(
    code: string,
    message: string,
    options?: BackupErrorOptions & { chunkIndex?: number },
  ) {
    super(code, message, options);
    this.name = 'BackupIntegrityError';
    this.chunkIndex = options?.chunkIndex;
  }
}

/** The key is missing, malformed, or not the one the backup was encrypted with. */
export class BackupKeyError extends BackupError {
  constructor(code: string, message: string, options?: BackupErrorOptions) {
    super(code, message, options);
    this.name = 'BackupKeyError';
  }
}

/** A PostgreSQL client tool is missing or its major version cannot serve the server. */
export class PgToolVersionError extends BackupError {
  readonly tool: string;
  readonly requiredMajor: number | undefined;
  constructor(
    code: string,
    message: string,
    options: BackupErrorOptions & { tool: string; requiredMajor?: number },
  ) {
    super(code, message, options);
    this.name = 'PgToolVersionError';
    this.tool = options.tool;
    this.requiredMajor = options.requiredMajor;
  }
}

/** A pg_dump, pg_restore or pg_dumpall run failed. `stderr` is redacted. */
export class PgToolError extends BackupError {
  readonly stderr: string;
  readonly exitCode: number | null;
  constructor(
    code: string,
    message: string,
    options: BackupErrorOptions & { stderr: string; exitCode: number | null },
  ) {
    super(code, message, options);
    this.name = 'PgToolError';
    this.stderr = options.stderr;
    this.exitCode = options.exitCode;
  }
}

/** The restore target holds user objects and neither `clean` nor `force` was given. */
export class RestoreTargetNotEmptyError extends BackupError {
  readonly objects: string[];
  constructor(database: string, objects: string[]) {
    super(
      'RESTORE_TARGET_NOT_EMPTY',
      `The target database "${database}" is not empty (${objects.length} user objects, e.g. ${objects.slice(0, 5).join(', ')}). ` +
        'Fix: restore into an empty database, pass `atomic: true` to restore into a new database and swap, or pass `clean: true` (drop objects the backup recreates) or `force: true`.',
    );
    this.name = 'RestoreTargetNotEmptyError';
    this.objects = objects;
  }
}

/** A restore pre-check or post-check failed (reachability, version, disk, row counts). */
export class RestoreError extends BackupError {
  constructor(code: string, message: string, options?: BackupErrorOptions) {
    super(code, message, options);
    this.name = 'RestoreError';
  }
}

/** A storage adapter operation failed. */
export class BackupStorageError extends BackupError {
  constructor(code: string, message: string, options?: BackupErrorOptions) {
    super(code, message, options);
    this.name = 'BackupStorageError';
  }
}

/** A backup, object or manifest does not exist. */
export class BackupNotFoundError extends BackupError {
  constructor(message: string, options?: BackupErrorOptions) {
    super('BACKUP_NOT_FOUND', message, options);
    this.name = 'BackupNotFoundError';
  }
}

/** The operation was cancelled through its AbortSignal. */
export class BackupAbortedError extends BackupError {
  constructor(message: string, options?: BackupErrorOptions) {
    super('BACKUP_ABORTED', message, options);
    this.name = 'BackupAbortedError';
  }
}
