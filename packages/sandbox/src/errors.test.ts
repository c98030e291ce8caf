import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  SandboxError,
  SandboxOsUserError,
  SandboxStartError,
  SandboxStopError,
  SandboxValidationError,
  validate,
} from './errors.js';

describe('sandbox errors', () => {
  it('turns zod issues into the typed validation error, with paths', () => {
    const schema = z.object({ port: z.number() }).strict();
    expect(validate(schema, { port: 1 }, 'x')).toEqual({ port: 1 });
    let caught: unknown;
    try {
      validate(schema, { port: 'a', extra: 1 }, 'startSandbox options');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SandboxValidationError);
    expect((caught as SandboxValidationError).issues.join(' ')).toMatch(/port: .+/);
    expect((caught as Error).message).toMatch(/^Invalid startSandbox options: .+Fix: /);
    expect(() => validate(z.number(), 'x', 'n')).toThrowError(/\(value\)/);
  });

  it('is recognisable across copies by its marker, and chains the cause', () => {
    const cause = new Error('root cause');
    const errors = [
      new SandboxStartError('no', 'the log', { cause }),
      new SandboxStopError('no', { cause }),
      new SandboxOsUserError('no', { cause }),
    ];
    for (const error of errors) {
      expect(SandboxError.isInstance(error)).toBe(true);
      expect(error.cause).toBe(cause);
    }
    expect(errors.map((e) => [e.name, e.code])).toEqual([
      ['SandboxStartError', 'START_FAILED'],
      ['SandboxStopError', 'STOP_FAILED'],
      ['SandboxOsUserError', 'OS_USER_MISSING'],
    ]);
    expect(errors[0]!.message).toBe('no\nserver log:\nthe log');
    expect(SandboxError.isInstance({ [Symbol.for('supaops.sandbox.error')]: true })).toBe(true);
    expect(SandboxError.isInstance(new Error('x'))).toBe(false);
    expect(SandboxError.isInstance(null)).toBe(false);
  });
});
