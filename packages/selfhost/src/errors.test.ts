import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DoctorSourceError,
  EnvCiphertextError,
  EnvSyntaxError,
  ERROR_CODES,
  parseInput,
  SelfhostError,
  SelfhostValidationError,
} from './errors.js';

describe('errors', () => {
  it('carry stable codes and are recognised across copies by their marker', () => {
    const errors = [
      new SelfhostValidationError('f', [{ path: 'a', message: 'bad' }]),
      new EnvCiphertextError(),
      new EnvSyntaxError([{ line: 1, reason: 'x' }]),
      new DoctorSourceError('y'),
    ];
    expect(errors.map((e) => e.code)).toEqual(Object.values(ERROR_CODES).slice(0, 4));
    for (const e of errors) expect(SelfhostError.isInstance(e)).toBe(true);
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('supaops.selfhost.error')]: true,
      code: ERROR_CODES.ENV_CIPHERTEXT,
    });
    expect(EnvCiphertextError.isInstance(foreign)).toBe(true);
    expect(EnvSyntaxError.isInstance(foreign)).toBe(false);
    expect(SelfhostError.isInstance(new Error('x'))).toBe(false);
    expect(SelfhostError.isInstance(null)).toBe(false);
    expect(DoctorSourceError.isInstance(errors[3])).toBe(true);
    expect(SelfhostValidationError.isInstance(errors[0])).toBe(true);
  });

  it('says what was wrong and how to fix it', () => {
    const many = new EnvSyntaxError(
      Array.from({ length: 7 }, (_, i) => ({ line: i + 1, reason: 'bad' })),
    );
    expect(many.message).toMatch(/line 5: bad \(and 2 more\)\. It was not written back\. Fix:/);
    expect(new SelfhostValidationError('f', [{ path: '', message: 'm' }]).message).toContain(
      '(input): m',
    );
  });

  it('turns zod failures and throwing getters into validation errors', () => {
    expect(() => parseInput('f', z.string(), 1)).toThrow(SelfhostValidationError);
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    expect(() => parseInput('f', z.record(z.string(), z.string()), hostile)).toThrow(
      /could not be read/,
    );
  });
});
