import type { z } from 'zod';

const MARKER = Symbol.for('supaops.pg-connect.error');
/**
 * The kinds an error is (its class and the classes it extends, by name), so that each class's
 * `isInstance()` is true for that class and its subclasses only, also across duplicate copies of
 * the package where `instanceof` fails. Codes alone cannot say it: ConnectionError and
 * PoolStateError carry several codes, and PgQueryError takes a code from its caller.
 */
const KINDS = Symbol.for('supaops.pg-connect.error.kinds');

function kindsOf(value: object): string[] {
  const kinds = (value as { [KINDS]?: unknown })[KINDS];
  return Array.isArray(kinds) ? kinds.filter((k): k is string => typeof k === 'string') : [];
}

function addKind(error: PgConnectError, kind: string): void {
  Object.defineProperty(error, KINDS, {
    value: [...kindsOf(error), kind],
    configurable: true,
    enumerable: false,
    writable: true,
  });
}

function isKind(value: unknown, kind: string): boolean {
  return PgConnectError.isInstance(value) && kindsOf(value).includes(kind);
}

export type PgConnectErrorCode =
  | 'VALIDATION_FAILED'
  | 'CONNECTION_STRING_INVALID'
  | 'CONNECTION_FAILED'
  | 'HOST_NOT_FOUND'
  | 'AUTHENTICATION_FAILED'
  | 'TOO_MANY_CONNECTIONS'
  | 'POOL_TIMEOUT'
  | 'POOL_CLOSED'
  | 'POOL_NOT_FOUND'
  | 'POOL_EXISTS'
  | 'QUERY_FAILED'
  | 'PERMISSION_DENIED'
  | 'READ_ONLY_VIOLATION'
  | 'QUERY_CANCELED'
  | 'RESULT_DISPOSED';

/**
 * Base class of every error thrown by @supaops/pg-connect. Each subclass has a stable
 * `code`; messages say what was wrong and how to fix it, and never contain a password.
 */
export class PgConnectError extends Error {
  readonly [MARKER] = true;
  readonly code: PgConnectErrorCode;

  constructor(code: PgConnectErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PgConnectError';
    this.code = code;
    addKind(this, 'PgConnectError');
  }

  /** True for errors of this package, including ones from a duplicate copy of it. */
  static isInstance(value: unknown): value is PgConnectError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}

/** Input of a public function failed validation. `issues` lists what was wrong. */
export class PgConnectValidationError extends PgConnectError {
  readonly issues: string[];
  constructor(what: string, issues: string[], options?: { cause?: unknown }) {
    super(
      'VALIDATION_FAILED',
      `Invalid ${what}: ${issues.join('; ')}. Fix: pass a value matching the documented options.`,
      options,
    );
    this.name = 'PgConnectValidationError';
    addKind(this, 'PgConnectValidationError');
    this.issues = issues;
  }

  /** True for a PgConnectValidationError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is PgConnectValidationError {
    return isKind(value, 'PgConnectValidationError');
  }
}

/** Turns a zod result into data or a typed validation error. */
export function validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map(
    (issue) => `${issue.path.length ? issue.path.join('.') : '(value)'}: ${issue.message}`,
  );
  throw new PgConnectValidationError(what, issues, { cause: parsed.error });
}

/** A connection string (URL, key=value, env) could not be parsed. `part` names where. */
export class ConnectionStringError extends PgConnectError {
  /** The offending part: `scheme`, `host`, `port`, `user`, `password`, `database`, `parameter <name>`, ... */
  readonly part: string;
  constructor(part: string, message: string, options?: { cause?: unknown }) {
    super('CONNECTION_STRING_INVALID', message, options);
    this.name = 'ConnectionStringError';
    addKind(this, 'ConnectionStringError');
    this.part = part;
  }

  /** True for a ConnectionStringError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is ConnectionStringError {
    return isKind(value, 'ConnectionStringError');
  }
}

/** The server could not be reached (refused, reset, timed out, DNS) after the retries. */
export class ConnectionError extends PgConnectError {
  readonly attempts: number;
  constructor(
    code: 'CONNECTION_FAILED' | 'HOST_NOT_FOUND',
    message: string,
    options: { cause?: unknown; attempts?: number } = {},
  ) {
    super(code, message, options);
    this.name = 'ConnectionError';
    addKind(this, 'ConnectionError');
    this.attempts = options.attempts ?? 1;
  }

  /** True for a ConnectionError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is ConnectionError {
    return isKind(value, 'ConnectionError');
  }
}

/** The server rejected the credentials (28P01/28000) or Supavisor did not know the tenant. Never retried. */
export class AuthenticationError extends PgConnectError {
  readonly sqlState: string | undefined;
  constructor(message: string, options: { cause?: unknown; sqlState?: string } = {}) {
    super('AUTHENTICATION_FAILED', message, options);
    this.name = 'AuthenticationError';
    addKind(this, 'AuthenticationError');
    this.sqlState = options.sqlState;
  }

  /** True for a AuthenticationError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is AuthenticationError {
    return isKind(value, 'AuthenticationError');
  }
}

/** The server has no free connection slot (53300), even after retrying until the deadline. */
export class TooManyConnectionsError extends PgConnectError {
  readonly attempts: number;
  constructor(message: string, options: { cause?: unknown; attempts?: number } = {}) {
    super('TOO_MANY_CONNECTIONS', message, options);
    this.name = 'TooManyConnectionsError';
    addKind(this, 'TooManyConnectionsError');
    this.attempts = options.attempts ?? 1;
  }

  /** True for a TooManyConnectionsError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is TooManyConnectionsError {
    return isKind(value, 'TooManyConnectionsError');
  }
}

/** Every client of the pool stayed busy for the whole connection timeout. */
export class PoolTimeoutError extends PgConnectError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('POOL_TIMEOUT', message, options);
    this.name = 'PoolTimeoutError';
    addKind(this, 'PoolTimeoutError');
  }

  /** True for a PoolTimeoutError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is PoolTimeoutError {
    return isKind(value, 'PoolTimeoutError');
  }
}

/** The pool (or registry entry) was used after it was closed, or a registry name is wrong. */
export class PoolStateError extends PgConnectError {
  constructor(
    code: 'POOL_CLOSED' | 'POOL_NOT_FOUND' | 'POOL_EXISTS',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'PoolStateError';
    addKind(this, 'PoolStateError');
  }

  /** True for a PoolStateError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is PoolStateError {
    return isKind(value, 'PoolStateError');
  }
}

export interface PgErrorFields {
  sqlState: string;
  position?: number | undefined;
  hint?: string | undefined;
  detail?: string | undefined;
  schema?: string | undefined;
  table?: string | undefined;
  column?: string | undefined;
  constraint?: string | undefined;
  routine?: string | undefined;
  severity?: string | undefined;
  /** Index of the statement (0-based) that failed when several were sent. */
  statementIndex?: number | undefined;
}

/** A statement failed on the server. Carries SQLSTATE, position (1-based, in characters) and a hint. */
export class PgQueryError extends PgConnectError {
  readonly sqlState: string;
  readonly position: number | undefined;
  readonly hint: string | undefined;
  readonly detail: string | undefined;
  readonly schema: string | undefined;
  readonly table: string | undefined;
  readonly column: string | undefined;
  readonly constraint: string | undefined;
  readonly routine: string | undefined;
  readonly severity: string | undefined;
  readonly statementIndex: number | undefined;

  constructor(
    message: string,
    fields: PgErrorFields,
    options: { cause?: unknown; code?: PgConnectErrorCode } = {},
  ) {
    super(options.code ?? 'QUERY_FAILED', message, options);
    this.name = 'PgQueryError';
    addKind(this, 'PgQueryError');
    this.sqlState = fields.sqlState;
    this.position = fields.position;
    this.hint = fields.hint;
    this.detail = fields.detail;
    this.schema = fields.schema;
    this.table = fields.table;
    this.column = fields.column;
    this.constraint = fields.constraint;
    this.routine = fields.routine;
    this.severity = fields.severity;
    this.statementIndex = fields.statementIndex;
  }

  /** True for a PgQueryError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is PgQueryError {
    return isKind(value, 'PgQueryError');
  }
}

/** 42501 insufficient_privilege (or "must be owner"): `hint` says who owns the object and which role to use. */
export class PermissionDeniedError extends PgQueryError {
  /** Owner of the object when it could be looked up, e.g. `supabase_auth_admin` for auth.users. */
  readonly owner: string | undefined;
  constructor(
    message: string,
    fields: PgErrorFields & { owner?: string | undefined },
    options: { cause?: unknown } = {},
  ) {
    super(message, fields, { ...options, code: 'PERMISSION_DENIED' });
    this.name = 'PermissionDeniedError';
    addKind(this, 'PermissionDeniedError');
    this.owner = fields.owner;
  }

  /** True for a PermissionDeniedError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is PermissionDeniedError {
    return isKind(value, 'PermissionDeniedError');
  }
}

/** 25006: a write was attempted in a read-only execution. */
export class ReadOnlyViolationError extends PgQueryError {
  constructor(message: string, fields: PgErrorFields, options: { cause?: unknown } = {}) {
    super(message, fields, { ...options, code: 'READ_ONLY_VIOLATION' });
    this.name = 'ReadOnlyViolationError';
    addKind(this, 'ReadOnlyViolationError');
  }

  /** True for a ReadOnlyViolationError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is ReadOnlyViolationError {
    return isKind(value, 'ReadOnlyViolationError');
  }
}

export type CancelReason = 'statement_timeout' | 'lock_timeout' | 'timeout' | 'aborted';

/** The statement was cancelled on the server: by statement_timeout, lock_timeout, our timeout or an AbortSignal. */
export class QueryCanceledError extends PgQueryError {
  readonly reason: CancelReason;
  constructor(
    message: string,
    fields: PgErrorFields & { reason: CancelReason },
    options: { cause?: unknown } = {},
  ) {
    super(message, fields, { ...options, code: 'QUERY_CANCELED' });
    this.name = 'QueryCanceledError';
    addKind(this, 'QueryCanceledError');
    this.reason = fields.reason;
  }

  /** True for a QueryCanceledError (or a subclass) only, also from a duplicate copy of the package. */
  static override isInstance(value: unknown): value is QueryCanceledError {
    return isKind(value, 'QueryCanceledError');
  }
}
