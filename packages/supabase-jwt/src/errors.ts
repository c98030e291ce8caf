const marker = Symbol.for('supaops.supabase-jwt.error');

/** Stable error codes of this package. */
export const ERROR_CODES = {
  INVALID_INPUT: 'SUPABASE_JWT_INVALID_INPUT',
  SECRET_CONSTRAINT: 'SUPABASE_JWT_SECRET_CONSTRAINT',
  SIGNING_FAILED: 'SUPABASE_JWT_SIGNING_FAILED',
  KEY_FORMAT: 'SUPABASE_JWT_KEY_FORMAT',
  VERIFICATION_FAILED: 'SUPABASE_JWT_VERIFICATION_FAILED',
} as const;

export type SupabaseJwtErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/**
 * Base class of every failure thrown by `@supaops/supabase-jwt`. `code` is stable; the
 * message says what was wrong and how to fix it, and never holds a whole secret.
 */
export class SupabaseJwtError extends Error {
  readonly [marker] = true;
  readonly code: SupabaseJwtErrorCode;

  constructor(code: SupabaseJwtErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SupabaseJwtError';
    this.code = code;
  }

  /** True for any error of this package, also across duplicate copies of it. */
  static isInstance(error: unknown): error is SupabaseJwtError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

/** One problem found by input validation. */
export interface InputIssue {
  path: string;
  message: string;
}

/** The input of a public function did not match its schema. */
export class InvalidInputError extends SupabaseJwtError {
  readonly issues: readonly InputIssue[];

  constructor(
    functionName: string,
    issues: readonly InputIssue[],
    options?: { cause?: unknown; hint?: string },
  ) {
    const list = issues.map((issue) => `${issue.path || '(input)'}: ${issue.message}`).join('; ');
    super(
      ERROR_CODES.INVALID_INPUT,
      `${functionName}() got invalid input: ${list}. Fix: ${options?.hint ?? 'pass values of the documented types and ranges'}.`,
      options,
    );
    this.name = 'InvalidInputError';
    this.issues = issues;
  }

  static override isInstance(error: unknown): error is InvalidInputError {
    return SupabaseJwtError.isInstance(error) && error.code === ERROR_CODES.INVALID_INPUT;
  }
}

/** A secret (generated or given) does not meet its service's documented constraint. */
export class SecretConstraintError extends SupabaseJwtError {
  readonly variable: string;

  constructor(variable: string, message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.SECRET_CONSTRAINT, message, options);
    this.name = 'SecretConstraintError';
    this.variable = variable;
  }

  static override isInstance(error: unknown): error is SecretConstraintError {
    return SupabaseJwtError.isInstance(error) && error.code === ERROR_CODES.SECRET_CONSTRAINT;
  }
}

/** A token could not be signed (bad key material, crypto failure). */
export class SigningError extends SupabaseJwtError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.SIGNING_FAILED, message, options);
    this.name = 'SigningError';
  }

  static override isInstance(error: unknown): error is SigningError {
    return SupabaseJwtError.isInstance(error) && error.code === ERROR_CODES.SIGNING_FAILED;
  }
}

/** JWT_KEYS / JWT_JWKS (or another key container) could not be read. */
export class KeyFormatError extends SupabaseJwtError {
  readonly variable: string;

  constructor(variable: string, message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.KEY_FORMAT, message, options);
    this.name = 'KeyFormatError';
    this.variable = variable;
  }

  static override isInstance(error: unknown): error is KeyFormatError {
    return SupabaseJwtError.isInstance(error) && error.code === ERROR_CODES.KEY_FORMAT;
  }
}

/** A token did not verify (signature, unknown kid, expired, malformed). */
export class TokenVerificationError extends SupabaseJwtError {
  readonly reason: string;

  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.VERIFICATION_FAILED, message, options);
    this.name = 'TokenVerificationError';
    this.reason = reason;
  }

  static override isInstance(error: unknown): error is TokenVerificationError {
    return SupabaseJwtError.isInstance(error) && error.code === ERROR_CODES.VERIFICATION_FAILED;
  }
}
