import type { z } from 'zod';

const MARKER = Symbol.for('supaops.sandbox.error');
/**
 * The kinds an error is (its class and the classes it extends, by name), so that each class's
 * `isInstance()` is true for that class and its subclasses only, also across duplicate copies of
 * the package where `instanceof` fails. Codes alone cannot say it: SandboxUnreachableError carries
 * two codes, and a future subclass shares its parent's.
 */
const KINDS = Symbol.for('supaops.sandbox.error.kinds');

function kindsOf(value: object): string[] {
  const kinds = (value as { [KINDS]?: unknown })[KINDS];
  return Array.isArray(kinds) ? kinds.filter((k): k is string => typeof k === 'string') : [];
}

function addKind(error: SandboxError, kind: string): void {
  Object.defineProperty(error, KINDS, {
    value: [...kindsOf(error), kind],
    configurable: true,
    enumerable: false,
    writable: true,
  });
}

function isKind(value: unknown, kind: string): boolean {
  return SandboxError.isInstance(value) && kindsOf(value).includes(kind);
}

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
    addKind(this, 'SandboxError');
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
    addKind(this, 'SandboxValidationError');
    this.issues = issues;
  }

  /** True for a SandboxValidationError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is SandboxValidationError {
    return isKind(value, 'SandboxValidationError');
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
    addKind(this, 'SandboxBinariesNotFoundError');
    this.tried = tried;
  }

  /** True for a SandboxBinariesNotFoundError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is SandboxBinariesNotFoundError {
    return isKind(value, 'SandboxBinariesNotFoundError');
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
    addKind(this, 'SandboxUnreachableError');
    this.path = path;
    this.blockedAt = blockedAt;
  }

  /** True for a SandboxUnreachableError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is SandboxUnreachableError {
    return isKind(value, 'SandboxUnreachableError');
  }
}

/** The cluster was created by another PostgreSQL major version than the binaries chosen. */
export class SandboxVersionMismatchError extends SandboxError {
  readonly clusterMajor: string;
  readonly binariesMajor: string;
  constructor(clusterMajor: string, binariesMajor: string, message: string) {
    super('VERSION_MISMATCH', message);
    this.name = 'SandboxVersionMismatchError';
    addKind(this, 'SandboxVersionMismatchError');
    this.clusterMajor = clusterMajor;
    this.binariesMajor = binariesMajor;
  }

  /** True for a SandboxVersionMismatchError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is SandboxVersionMismatchError {
    return isKind(value, 'SandboxVersionMismatchError');
  }
}

/** Running as root, but there is no `postgres` OS user to run PostgreSQL as. */
export class SandboxOsUserError extends SandboxError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('OS_USER_MISSING', message, options);
    this.name = 'SandboxOsUserError';
    addKind(this, 'SandboxOsUserError');
  }

  /** True for a SandboxOsUserError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is SandboxOsUserError {
    return isKind(value, 'SandboxOsUserError');
  }
}

/** The sandbox's state file is unreadable or does not match its cluster. */
export class SandboxStateError extends SandboxError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('STATE_INVALID', message, options);
    this.name = 'SandboxStateError';
    addKind(this, 'SandboxStateError');
    this.file = file;
  }

  /** True for a SandboxStateError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is SandboxStateError {
    return isKind(value, 'SandboxStateError');
  }
}

/** Another process held the sandbox lock for longer than the bounded wait. */
export class SandboxLockError extends SandboxError {
  readonly lockFile: string;
  readonly holderPid: number | undefined;
  constructor(lockFile: string, holderPid: number | undefined, message: string) {
    super('LOCK_TIMEOUT', message);
    this.name = 'SandboxLockError';
    addKind(this, 'SandboxLockError');
    this.lockFile = lockFile;
    this.holderPid = holderPid;
  }

  /** True for a SandboxLockError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is SandboxLockError {
    return isKind(value, 'SandboxLockError');
  }
}

/** initdb or the server failed; `log` holds the end of the server log when there is one. */
export class SandboxStartError extends SandboxError {
  readonly log: string | undefined;
  constructor(message: string, log?: string, options?: { cause?: unknown }) {
    super('START_FAILED', log ? `${message}\nserver log:\n${log}` : message, options);
    this.name = 'SandboxStartError';
    addKind(this, 'SandboxStartError');
    this.log = log;
  }

  /** True for a SandboxStartError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is SandboxStartError {
    return isKind(value, 'SandboxStartError');
  }
}

/** The server did not stop within the bounded wait. */
export class SandboxStopError extends SandboxError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STOP_FAILED', message, options);
    this.name = 'SandboxStopError';
    addKind(this, 'SandboxStopError');
  }

  /** True for a SandboxStopError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is SandboxStopError {
    return isKind(value, 'SandboxStopError');
  }
}

/** The sandbox was never initialised (or was reset): it has no cluster and no server log. */
export class SandboxNotInitialisedError extends SandboxError {
  readonly dataDir: string;
  constructor(dataDir: string, message: string, options?: { cause?: unknown }) {
    super('NOT_INITIALISED', message, options);
    this.name = 'SandboxNotInitialisedError';
    addKind(this, 'SandboxNotInitialisedError');
    this.dataDir = dataDir;
  }

  /** True for a SandboxNotInitialisedError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is SandboxNotInitialisedError {
    return isKind(value, 'SandboxNotInitialisedError');
  }
}

/** The server log exists but cannot be read. */
export class SandboxLogError extends SandboxError {
  readonly logFile: string;
  constructor(logFile: string, message: string, options?: { cause?: unknown }) {
    super('LOG_UNREADABLE', message, options);
    this.name = 'SandboxLogError';
    addKind(this, 'SandboxLogError');
    this.logFile = logFile;
  }

  /** True for a SandboxLogError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is SandboxLogError {
    return isKind(value, 'SandboxLogError');
  }
}
