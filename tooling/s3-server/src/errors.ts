const marker = Symbol.for('supaops.s3-server.error');

/** Base class for failures of the test S3 server; `code` is stable, the message says how to fix it. */
export class S3ServerError extends Error {
  readonly [marker] = true;
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'S3ServerError';
    this.code = code;
  }

  static isInstance(error: unknown): error is S3ServerError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
