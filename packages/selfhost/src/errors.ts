import type { z } from 'zod';

const MARKER = Symbol.for('supaops.selfhost.error');

/** Stable error codes of this package. */
export const ERROR_CODES = {
  INVALID_INPUT: 'SELFHOST_INVALID_INPUT',
  ENV_CIPHERTEXT: 'SELFHOST_ENV_CIPHERTEXT',
  ENV_UNPARSEABLE: 'SELFHOST_ENV_UNPARSEABLE',
  DOCTOR_SOURCE_FAILED: 'SELFHOST_DOCTOR_SOURCE_FAILED',
  // the wizard, validation and repair (classes in workflow-errors.ts)
  WIZARD_STEP_FAILED: 'SELFHOST_WIZARD_STEP_FAILED',
  WIZARD_ABORTED: 'SELFHOST_WIZARD_ABORTED',
  WIZARD_STATE_UNREADABLE: 'SELFHOST_WIZARD_STATE_UNREADABLE',
  DOKPLOY_UNSUPPORTED: 'SELFHOST_DOKPLOY_UNSUPPORTED',
  REVIEW_NOT_CLEAN: 'SELFHOST_REVIEW_NOT_CLEAN',
  DEPLOY_FAILED: 'SELFHOST_DEPLOY_FAILED',
  DEPLOY_CANCELLED: 'SELFHOST_DEPLOY_CANCELLED',
  DEPLOYMENT_INVALID: 'SELFHOST_DEPLOYMENT_INVALID',
  HISTORY_WRITE_FAILED: 'SELFHOST_HISTORY_WRITE_FAILED',
  REPAIR_STALE: 'SELFHOST_REPAIR_STALE',
  // day-2 operations (classes in ops/ops-errors.ts)
  ROLLBACK_UNAVAILABLE: 'SELFHOST_ROLLBACK_UNAVAILABLE',
  ROLLBACK_STALE: 'SELFHOST_ROLLBACK_STALE',
  DOMAIN_NOT_FOUND: 'SELFHOST_DOMAIN_NOT_FOUND',
  LETSENCRYPT_UNREACHABLE: 'SELFHOST_LETSENCRYPT_UNREACHABLE',
  TLS_CHECK_FAILED: 'SELFHOST_TLS_CHECK_FAILED',
  // safety: template check and the cross-process deploy lock (classes in safety/safety-errors.ts)
  TEMPLATE_INVALID: 'SELFHOST_TEMPLATE_INVALID',
  DEPLOY_LOCK_TIMEOUT: 'SELFHOST_DEPLOY_LOCK_TIMEOUT',
  DEPLOY_LOCK_FAILED: 'SELFHOST_DEPLOY_LOCK_FAILED',
  // clone (classes in clone/clone-errors.ts)
  CLONE_SOURCE_INVALID: 'SELFHOST_CLONE_SOURCE_INVALID',
  CLONE_SETTINGS_INCOMPLETE: 'SELFHOST_CLONE_SETTINGS_INCOMPLETE',
  CLONE_ABORTED: 'SELFHOST_CLONE_ABORTED',
  DATABASE_UNRESOLVED: 'SELFHOST_DATABASE_UNRESOLVED',
  DATA_COPY_FAILED: 'SELFHOST_DATA_COPY_FAILED',
  ROW_COUNT_MISMATCH: 'SELFHOST_ROW_COUNT_MISMATCH',
  // schema sync and promote (classes in promote/promote-errors.ts)
  SCHEMA_DIVERGED: 'SELFHOST_SCHEMA_DIVERGED',
  SCHEMA_BACKUP_FAILED: 'SELFHOST_SCHEMA_BACKUP_FAILED',
  SCHEMA_SYNC_FAILED: 'SELFHOST_SCHEMA_SYNC_FAILED',
  SCHEMA_HISTORY_MISMATCH: 'SELFHOST_SCHEMA_HISTORY_MISMATCH',
  SYNC_STRATEGY_NOT_YET: 'SELFHOST_SYNC_STRATEGY_NOT_YET',
  SYNC_ABORTED: 'SELFHOST_SYNC_ABORTED',
  PRODUCTION_CONFIRMATION_REQUIRED: 'SELFHOST_PRODUCTION_CONFIRMATION_REQUIRED',
  COMPOSE_FILE_UNREADABLE: 'SELFHOST_COMPOSE_FILE_UNREADABLE',
  PROMOTE_READ_FAILED: 'SELFHOST_PROMOTE_READ_FAILED',
} as const;

export type SelfhostErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/**
 * Base class of every error thrown by `@supaops/selfhost`. `code` is stable; the message says
 * what was wrong and how to fix it, and never holds a secret value.
 */
export class SelfhostError extends Error {
  readonly [MARKER] = true;
  readonly code: SelfhostErrorCode;

  constructor(code: SelfhostErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SelfhostError';
    this.code = code;
  }

  /** True for any error of this package, also across duplicate copies of it. */
  static isInstance(error: unknown): error is SelfhostError {
    return typeof error === 'object' && error !== null && MARKER in error;
  }
}

/** A kind check by code: `X.isInstance` for a class that owns one code. */
export function kindCheck(code: SelfhostErrorCode) {
  return (error: unknown): boolean => SelfhostError.isInstance(error) && error.code === code;
}

/** One problem found by input validation. */
export interface InputIssue {
  readonly path: string;
  readonly message: string;
}

/** The input of a public function did not match its schema. */
export class SelfhostValidationError extends SelfhostError {
  readonly issues: readonly InputIssue[];

  constructor(functionName: string, issues: readonly InputIssue[], options?: { cause?: unknown }) {
    const list = issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; ');
    super(
      ERROR_CODES.INVALID_INPUT,
      `${functionName}() got invalid input: ${list}. Fix: pass values of the documented types.`,
      options,
    );
    this.name = 'SelfhostValidationError';
    this.issues = issues;
  }

  static override isInstance(error: unknown): error is SelfhostValidationError {
    return SelfhostError.isInstance(error) && error.code === ERROR_CODES.INVALID_INPUT;
  }
}

/**
 * The env text is ciphertext, not KEY=VALUE lines: Dokploy (v0.29.12+) returns the stored
 * `enc:v1:` value as is when BETTER_AUTH_SECRET changed since it was written. Writing it back
 * would store garbage as the env.
 */
export class EnvCiphertextError extends SelfhostError {
  constructor(what = 'The env', options?: { cause?: unknown }) {
    super(
      ERROR_CODES.ENV_CIPHERTEXT,
      `${what} is encrypted text, not KEY=VALUE lines: Dokploy v0.29.12+ returns the stored ciphertext when BETTER_AUTH_SECRET changed after the env was saved. It was not written back. Fix: restore the BETTER_AUTH_SECRET the env was saved with and restart Dokploy, or paste the env again in Dokploy's Environment tab.`,
      options,
    );
    this.name = 'EnvCiphertextError';
  }

  static override isInstance(error: unknown): error is EnvCiphertextError {
    return SelfhostError.isInstance(error) && error.code === ERROR_CODES.ENV_CIPHERTEXT;
  }
}

/** A problem that makes env text unsafe to rewrite; values are never part of it. */
export interface EnvSyntaxProblem {
  readonly line: number;
  readonly reason: string;
}

/** The env text has lines docker compose cannot read; rewriting it could lose data. */
export class EnvSyntaxError extends SelfhostError {
  readonly problems: readonly EnvSyntaxProblem[];

  constructor(problems: readonly EnvSyntaxProblem[], options?: { cause?: unknown }) {
    const shown = problems
      .slice(0, 5)
      .map((p) => `line ${p.line}: ${p.reason}`)
      .join('; ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    super(
      ERROR_CODES.ENV_UNPARSEABLE,
      `The env does not parse as KEY=VALUE lines: ${shown}${more}. It was not written back. Fix: correct those lines (one KEY=VALUE per line, # for comments, quotes closed), then retry.`,
      options,
    );
    this.name = 'EnvSyntaxError';
    this.problems = problems;
  }

  static override isInstance(error: unknown): error is EnvSyntaxError {
    return SelfhostError.isInstance(error) && error.code === ERROR_CODES.ENV_UNPARSEABLE;
  }
}

/** The doctor could not read what it was asked to check (Dokploy answered with an error). */
export class DoctorSourceError extends SelfhostError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.DOCTOR_SOURCE_FAILED, message, options);
    this.name = 'DoctorSourceError';
  }

  static override isInstance(error: unknown): error is DoctorSourceError {
    return SelfhostError.isInstance(error) && error.code === ERROR_CODES.DOCTOR_SOURCE_FAILED;
  }
}

/** Parses `input` with `schema`, or throws SelfhostValidationError listing the issues. */
export function parseInput<T extends z.ZodType>(
  functionName: string,
  schema: T,
  input: unknown,
): z.output<T> {
  let result: z.ZodSafeParseResult<z.output<T>>;
  try {
    result = schema.safeParse(input);
  } catch (cause) {
    // a getter or proxy trap of the input threw while zod read it
    throw new SelfhostValidationError(
      functionName,
      [{ path: '', message: 'could not be read (a getter or proxy threw)' }],
      { cause },
    );
  }
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  throw new SelfhostValidationError(functionName, issues, { cause: result.error });
}
