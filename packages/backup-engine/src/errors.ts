const marker = Symbol.for('supaops.backup-engine.error');
/**
 * The kinds an error is, its class and the classes it extends, by name: what a subclass's
 * `isInstance()` checks, so that it tells the kinds apart also across duplicate copies of the
 * package (where `instanceof` fails). Codes cannot do that here: several classes share a code
 * family and one class carries several codes.
 */
const kindsKey = Symbol.for('supaops.backup-engine.error.kinds');

type Kinded = { [kindsKey]?: unknown };

/** @internal Records `kind` on `error`; every class's constructor calls it with its own name. */
export function addKind(error: BackupError, kind: string): void {
  Object.defineProperty(error, kindsKey, {
    value: [...errorKinds(error), kind],
    configurable: true,
    enumerable: false,
    writable: true,
  });
}

function errorKinds(error: unknown): string[] {
  const kinds = (error as Kinded)[kindsKey];
  return Array.isArray(kinds) ? kinds.filter((k): k is string => typeof k === 'string') : [];
}

/** @internal True for an error of this package that is `kind` (that class or a subclass). */
export function isKind(error: unknown, kind: string): boolean {
  return BackupError.isInstance(error) && errorKinds(error).includes(kind);
}

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
    addKind(this, 'BackupError');
  }

  /** True for every backup-engine error, also from a duplicate copy of the package. */
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
    addKind(this, 'BackupValidationError');
    this.issues = issues;
  }

  /** True for a BackupValidationError only (a sibling kind is false), also from a duplicate copy. */
  static override isInstance(error: unknown): error is BackupValidationError {
    return isKind(error, 'BackupValidationError');
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
    addKind(this, 'BackupIntegrityError');
    this.chunkIndex = options?.chunkIndex;
  }

  /** True for a BackupIntegrityError only (a sibling kind is false), also from a duplicate copy. */
  static override isInstance(error: unknown): error is BackupIntegrityError {
    return isKind(error, 'BackupIntegrityError');
  }
}

/**
 * The key is missing, malformed, or not the one the backup was encrypted with. Each failure has
 * its own subclass (key-errors.ts); `BackupKeyError.isInstance()` is true for all of them.
 */
export class BackupKeyError extends BackupError {
  constructor(code: string, message: string, options?: BackupErrorOptions) {
    super(code, message, options);
    this.name = 'BackupKeyError';
    addKind(this, 'BackupKeyError');
  }

  /** True for a BackupKeyError or any of its subclasses (a sibling kind is false), also from a duplicate copy. */
  static override isInstance(error: unknown): error is BackupKeyError {
    return isKind(error, 'BackupKeyError');
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
    addKind(this, 'PgToolVersionError');
    this.tool = options.tool;
    this.requiredMajor = options.requiredMajor;
  }

  /** True for a PgToolVersionError only (a sibling kind is false), also from a duplicate copy. */
  static override isInstance(error: unknown): error is PgToolVersionError {
    return isKind(error, 'PgToolVersionError');
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
    addKind(this, 'PgToolError');
    this.stderr = options.stderr;
    this.exitCode = options.exitCode;
  }

  /** True for a PgToolError only (a sibling kind is false), also from a duplicate copy. */
  static override isInstance(error: unknown): error is PgToolError {
    return isKind(error, 'PgToolError');
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
    addKind(this, 'RestoreTargetNotEmptyError');
    this.objects = objects;
  }

  /** True for a RestoreTargetNotEmptyError only (a sibling kind is false), also from a duplicate copy. */
  static override isInstance(error: unknown): error is RestoreTargetNotEmptyError {
    return isKind(error, 'RestoreTargetNotEmptyError');
  }
}

/** A restore pre-check or post-check failed (reachability, version, disk, row counts). */
export class RestoreError extends BackupError {
  constructor(code: string, message: string, options?: BackupErrorOptions) {
    super(code, message, options);
    this.name = 'RestoreError';
    addKind(this, 'RestoreError');
  }

  /** True for a RestoreError only (a sibling kind is false), also from a duplicate copy. */
  static override isInstance(error: unknown): error is RestoreError {
    return isKind(error, 'RestoreError');
  }
}

/** A storage adapter operation failed. */
export class BackupStorageError extends BackupError {
  constructor(code: string, message: string, options?: BackupErrorOptions) {
    super(code, message, options);
    this.name = 'BackupStorageError';
    addKind(this, 'BackupStorageError');
  }

  /** True for a BackupStorageError only (a sibling kind is false), also from a duplicate copy. */
  static override isInstance(error: unknown): error is BackupStorageError {
    return isKind(error, 'BackupStorageError');
  }
}

/** A backup, object or manifest does not exist. */
export class BackupNotFoundError extends BackupError {
  constructor(message: string, options?: BackupErrorOptions) {
    super('BACKUP_NOT_FOUND', message, options);
    this.name = 'BackupNotFoundError';
    addKind(this, 'BackupNotFoundError');
  }

  /** True for a BackupNotFoundError only (a sibling kind is false), also from a duplicate copy. */
  static override isInstance(error: unknown): error is BackupNotFoundError {
    return isKind(error, 'BackupNotFoundError');
  }
}

/** The operation was cancelled through its AbortSignal. */
export class BackupAbortedError extends BackupError {
  constructor(message: string, options?: BackupErrorOptions) {
    super('BACKUP_ABORTED', message, options);
    this.name = 'BackupAbortedError';
    addKind(this, 'BackupAbortedError');
  }

  /** True for a BackupAbortedError only (a sibling kind is false), also from a duplicate copy. */
  static override isInstance(error: unknown): error is BackupAbortedError {
    return isKind(error, 'BackupAbortedError');
  }
}
