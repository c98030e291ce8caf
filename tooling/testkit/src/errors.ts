const marker = Symbol.for('supaops.testkit.error');

/** Base class for every testkit failure; `code` is stable, the message says how to fix it. */
export class TestkitError extends Error {
  readonly [marker] = true;
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TestkitError';
    this.code = code;
  }

  static isInstance(error: unknown): error is TestkitError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
