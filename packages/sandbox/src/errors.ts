import type { z } from 'zod';

const MARKER = Symbol.for('supaops.sandbox.error');

export type SandboxErrorCode =
  | 'VALIDATION_FAILED'
  | 'BINARIES_NOT_FOUND'
  | 'BINARIES_UNREACHABLE'
  | 'VERSION_MISMATCH'
  | 'OS_USER_MISSING'
  | 'DATA_DIR_UNREACHABLE'
  | 'STATE_INVALID'
  | 'LOCK_TIMEOUT'
  | 'START_FAILED'
  | 'STOP_FAILED'
  | 'NOT_INITIALISED'
  | 'LOG_UNREADABLE';

/**
 * Base class of every error thrown by @supaops/sandbox. Each subclass has a stable `code`;
 * messages say what was wrong and how to fix it, and never contain the password.
 */
export class SandboxError extends Error {
  readonly [MARKER] = true;
  readonly code: SandboxErrorCode;

  constructor(code: SandboxErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SandboxError';
    this.code = code;
  }

  /** True for errors of this package, including ones from a duplicate copy of it. */
  static isInstance(value: unknown): value is SandboxError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}

/** Input of a public function failed validation. `issues` lists what was wrong. */
export class SandboxValidationError extends SandboxError {
  readonly issues: string[];
  constructor(what: string, issues: string[], options?: { cause?: unknown }) {
    super(
      'VALIDATION_FAILED',
      `Invalid ${what}: ${issues.join('; ')}. Fix: pass a value matching the documented options.`,
      options,
    );
    this.name = 'SandboxValidationError';
    this.issues = issues;
  }
}

/** Turns a zod result into data or a typed validation error. */
export function validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map(
    (issue) => `${issue.path.length ? issue.path.join('.') : '(value)'}: ${issue.message}`,
  );
  throw new SandboxValidationError(what, issues, { cause: parsed.error });
}

/** No usable initdb/pg_ctl/postgres were found. `tried` lists every place looked at. */
export class SandboxBinariesNotFoundError extends SandboxError {
  readonly tried: string[];
  constructor(message: string, tried: string[], options?: { cause?: unknown }) {
    super('BINARIES_NOT_FOUND', message, options);
    this.name = 'SandboxBinariesNotFoundError';
    this.tried = tried;
  }
}

/**
 * Running as root, PostgreSQL runs as the `postgres` OS user, which cannot reach `path`
 * (binaries or cluster directory) because a directory on the way is not traversable.
 */
export class SandboxUnreachableError extends SandboxError {
  readonly path: string;
  readonly blockedAt: string;
  constructor(
    code: 'BINARIES_UNREACHABLE' | 'DATA_DIR_UNREACHABLE',
    path: string,
    blockedAt: string,
    message: string,
  ) {
    super(code, message);
    this.name = 'SandboxUnreachableError';
    this.path = path;
    this.blockedAt = blockedAt;
  }
}

/** The cluster was created by another PostgreSQL major version than the binaries chosen. */
export class SandboxVersionMismatchError extends SandboxError {
  readonly clusterMajor: string;
  readonly binariesMajor: string;
  constructor(clusterMajor: string, binariesMajor: string, message: string) {
    super('VERSION_MISMATCH', message);
    this.name = 'SandboxVersionMismatchError';
    this.clusterMajor = clusterMajor;
    this.binariesMajor = binariesMajor;
  }
}

/** Running as root, but there is no `postgres` OS user to run PostgreSQL as. */
export class SandboxOsUserError extends SandboxError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('OS_USER_MISSING', message, options);
    this.name = 'SandboxOsUserError';
  }
}

/** The sandbox's state file is unreadable or does not match its cluster. */
export class SandboxStateError extends SandboxError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('STATE_INVALID', message, options);
    this.name = 'SandboxStateError';
    this.file = file;
  }
}

/** Another process held the sandbox lock for longer than the bounded wait. */
export class SandboxLockError extends SandboxError {
  readonly lockFile: string;
  readonly holderPid: number | undefined;
  constructor(lockFile: string, holderPid: number | undefined, message: string) {
    super('LOCK_TIMEOUT', message);
    this.name = 'SandboxLockError';
    this.lockFile = lockFile;
    this.holderPid = holderPid;
  }
}

/** initdb or the server failed; `log` holds the end of the server log when there is one. */
export class SandboxStartError extends SandboxError {
  readonly log: string | undefined;
  constructor(message: string, log?: string, options?: { cause?: unknown }) {
    super('START_FAILED', log ? `${message}\nserver log:\n${log}` : message, options);
    this.name = 'SandboxStartError';
    this.log = log;
  }
}

/** The server did not stop within the bounded wait. */
export class SandboxStopError extends SandboxError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STOP_FAILED', message, options);
    this.name = 'SandboxStopError';
  }
}

/** The sandbox was never initialised (or was reset): it has no cluster and no server log. */
export class SandboxNotInitialisedError extends SandboxError {
  readonly dataDir: string;
  constructor(dataDir: string, message: string, options?: { cause?: unknown }) {
    super('NOT_INITIALISED', message, options);
    this.name = 'SandboxNotInitialisedError';
    this.dataDir = dataDir;
  }

  static override isInstance(value: unknown): value is SandboxNotInitialisedError {
    return SandboxError.isInstance(value) && value.code === 'NOT_INITIALISED';
  }
}

/** The server log exists but cannot be read. */
export class SandboxLogError extends SandboxError {
  readonly logFile: string;
  constructor(logFile: string, message: string, options?: { cause?: unknown }) {
    super('LOG_UNREADABLE', message, options);
    this.name = 'SandboxLogError';
    this.logFile = logFile;
  }

  static override isInstance(value: unknown): value is SandboxLogError {
    return SandboxError.isInstance(value) && value.code === 'LOG_UNREADABLE';
  }
}
