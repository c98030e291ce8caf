import type { Operation } from './events.js';

const marker = Symbol.for('supaops.migrator.error');

/** Where a failing statement sits: file, statement index, SQLSTATE, position and a caret excerpt. */
export interface FailedStatementDetails {
  version: string;
  file: string;
  /** 0-based index of the failing statement inside the file. */
  statementIndex: number;
  /** Number of statements in the file. */
  statementCount: number;
  sqlstate?: string;
  /** 1-based character position inside the statement, as reported by PostgreSQL. */
  position?: number;
  /** 1-based line and column inside the file, when a position is known. */
  line?: number;
  column?: number;
  /** The failing statement with a caret line under the error position. */
  excerpt: string;
  serverMessage: string;
  detail?: string;
  hint?: string;
  /** Set for no-transaction files: statements before this one stayed applied. */
  partiallyApplied?: boolean;
  /** Set when the failure comes from an extension this server lacks: which one, and the fix. */
  missingExtension?: { name: string; message: string };
}

/**
 * Base class of every failure of @supaops/migrator. `code` is stable; the message says what
 * was wrong and how to fix it; the cause is chained.
 */
export class MigratorError extends Error {
  readonly [marker] = true;
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigratorError';
    this.code = code;
  }

  /** True for any migrator error, also across duplicate copies of the package. */
  static isInstance(error: unknown): error is MigratorError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

function isCode<T extends MigratorError>(error: unknown, code: string): error is T {
  return MigratorError.isInstance(error) && error.code === code;
}

/** Invalid input to a public function; `issues` lists each problem. */
export class MigratorValidationError extends MigratorError {
  readonly issues: string[];
  constructor(what: string, issues: string[], options?: { cause?: unknown }) {
    super(
      'MIGRATOR_INVALID_INPUT',
      `Invalid ${what}: ${issues.join('; ')}. Fix: correct the listed fields.`,
      options,
    );
    this.name = 'MigratorValidationError';
    this.issues = issues;
  }
  static override isInstance(error: unknown): error is MigratorValidationError {
    return isCode(error, 'MIGRATOR_INVALID_INPUT');
  }
}

/** Another run holds the migration lock (mode `fail`, or `wait` ran out of time). */
export class MigrationLockHeldError extends MigratorError {
  readonly holderPid: number | undefined;
  readonly waitedMs: number;
  constructor(
    message: string,
    info: { holderPid?: number; waitedMs: number },
    options?: { cause?: unknown },
  ) {
    super('MIGRATION_LOCK_HELD', message, options);
    this.name = 'MigrationLockHeldError';
    this.holderPid = info.holderPid;
    this.waitedMs = info.waitedMs;
  }
  static override isInstance(error: unknown): error is MigrationLockHeldError {
    return isCode(error, 'MIGRATION_LOCK_HELD');
  }
}

/** A statement of a migration failed; the run stopped there. */
export class MigrationFailedError extends MigratorError {
  readonly details: FailedStatementDetails;
  /** The JSON report of the run that failed. */
  report: unknown;
  constructor(message: string, details: FailedStatementDetails, options?: { cause?: unknown }) {
    super('MIGRATION_FAILED', message, options);
    this.name = 'MigrationFailedError';
    this.details = details;
    this.report = undefined;
  }
  static override isInstance(error: unknown): error is MigrationFailedError {
    return isCode(error, 'MIGRATION_FAILED');
  }
}

/** What an aborted call had done, and had not, when its AbortSignal fired. */
export interface AbortDetails {
  operation: Operation | 'status' | 'verify';
  /** `before-start`: nothing ran. `lock`: while taking the lock or connecting. `files`: after. */
  phase: 'before-start' | 'lock' | 'files';
  /** The signal's reason, as text. */
  reason: string;
  dryRun: boolean;
  /**
   * Files this run committed before the abort (applied by up, reverted by down, written by
   * fetch). Each file commits in its own transaction, so they stay.
   */
  completed: string[];
  /** The file whose open transaction was rolled back: none of it is applied (or reverted). */
  rolledBack?: string;
  /** A no-transaction file stopped before statement `statementIndex` (0-based) finished. */
  partiallyApplied?: { file: string; statementIndex: number; statementCount: number };
  /** Selected files that never started. */
  notStarted: string[];
  /** A running statement was cancelled on the server (CancelRequest, SQLSTATE 57014). */
  statementCancelled: boolean;
  /**
   * The running statement did not stop within `cancelGraceMs`, so its connection was closed;
   * the server rolls the transaction back when it notices.
   */
  connectionClosed: boolean;
}

/**
 * The call's AbortSignal fired. The file that was running was rolled back (or, for a
 * no-transaction file, stopped between statements), files committed before stay, the lock
 * was released and no further file started. `details` and `report` list which was which.
 */
export class MigrationAbortedError extends MigratorError {
  readonly details: AbortDetails;
  /** The JSON report of the run (undefined for status and verify). */
  report: unknown;
  constructor(message: string, details: AbortDetails, options?: { cause?: unknown }) {
    super('MIGRATION_ABORTED', message, options);
    this.name = 'MigrationAbortedError';
    this.details = details;
    this.report = undefined;
  }
  static override isInstance(error: unknown): error is MigrationAbortedError {
    return isCode(error, 'MIGRATION_ABORTED');
  }
}

/** Applied files changed on disk since they were applied. */
export class MigrationDriftError extends MigratorError {
  readonly versions: string[];
  constructor(message: string, versions: string[], options?: { cause?: unknown }) {
    super('MIGRATION_DRIFT', message, options);
    this.name = 'MigrationDriftError';
    this.versions = versions;
  }
  static override isInstance(error: unknown): error is MigrationDriftError {
    return isCode(error, 'MIGRATION_DRIFT');
  }
}

/** Local files and remote history disagree (missing locally, out of order). */
export class MigrationHistoryMismatchError extends MigratorError {
  readonly versions: string[];
  constructor(code: string, message: string, versions: string[]) {
    super(code, message);
    this.name = 'MigrationHistoryMismatchError';
    this.versions = versions;
  }
  static override isInstance(error: unknown): error is MigrationHistoryMismatchError {
    return (
      isCode(error, 'MIGRATION_REMOTE_MISSING_LOCALLY') || isCode(error, 'MIGRATION_OUT_OF_ORDER')
    );
  }
}

/** The target is a transaction pooler (Supavisor / PgBouncer transaction mode). */
export class TransactionPoolerRefusedError extends MigratorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MIGRATION_TRANSACTION_POOLER_REFUSED', message, options);
    this.name = 'TransactionPoolerRefusedError';
  }
  static override isInstance(error: unknown): error is TransactionPoolerRefusedError {
    return isCode(error, 'MIGRATION_TRANSACTION_POOLER_REFUSED');
  }
}

/** A down run needs a `.down.sql` file that does not exist. */
export class MissingDownFileError extends MigratorError {
  readonly missing: string[];
  constructor(missing: string[]) {
    super(
      'MIGRATION_DOWN_FILE_MISSING',
      `Cannot roll back: no down file ${missing.map((m) => `"${m}"`).join(', ')}. Nothing was changed. ` +
        'Fix: write the down file(s), pick a later target version, or use repair --status reverted to forget a version without running SQL.',
    );
    this.name = 'MissingDownFileError';
    this.missing = missing;
  }
  static override isInstance(error: unknown): error is MissingDownFileError {
    return isCode(error, 'MIGRATION_DOWN_FILE_MISSING');
  }
}

/**
 * The migrator was created without `connection` and an operation that reads or writes the
 * database was called. Only `newMigration` works without a connection.
 */
export class MigratorConnectionRequiredError extends MigratorError {
  readonly operation: Operation | 'status' | 'verify';
  constructor(operation: Operation | 'status' | 'verify') {
    super(
      'MIGRATION_CONNECTION_REQUIRED',
      `${operation}() needs the database, but this migrator was created without \`connection\`. Nothing was run. ` +
        'Fix: pass `connection` (a postgres:// URL, a libpq key=value string or a pg ClientConfig) to createMigrator; only newMigration() works without one.',
    );
    this.name = 'MigratorConnectionRequiredError';
    this.operation = operation;
  }
  static override isInstance(error: unknown): error is MigratorConnectionRequiredError {
    return isCode(error, 'MIGRATION_CONNECTION_REQUIRED');
  }
}

/** Reading or writing the migrations directory failed, or a file is malformed. */
export class MigrationFileError extends MigratorError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'MigrationFileError';
  }
  static override isInstance(error: unknown): error is MigrationFileError {
    return MigratorError.isInstance(error) && error.name === 'MigrationFileError';
  }
}

/** The database could not be reached or a history query failed. */
export class MigratorDatabaseError extends MigratorError {
  readonly sqlstate: string | undefined;
  constructor(code: string, message: string, options?: { cause?: unknown; sqlstate?: string }) {
    super(code, message, options);
    this.name = 'MigratorDatabaseError';
    this.sqlstate = options?.sqlstate;
  }
  static override isInstance(error: unknown): error is MigratorDatabaseError {
    return MigratorError.isInstance(error) && error.name === 'MigratorDatabaseError';
  }
}
