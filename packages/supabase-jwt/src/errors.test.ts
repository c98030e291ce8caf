import { describe, expect, it } from 'vitest';
import { leaks, randomAlnum } from '../test/helpers.js';
import {
  ERROR_CODES,
  InvalidInputError,
  KeyFormatError,
  SecretConstraintError,
  SigningError,
  SupabaseJwtError,
  TokenVerificationError,
} from './errors.js';
import { redactSecret } from './redact.js';

describe('errors', () => {
  it('mark every class with a stable code, isInstance and a chained cause', () => {
    const cause = new Error('root');
    const errors = [
      new InvalidInputError('fn', [{ path: 'a.b', message: 'bad' }], { cause }),
      new SecretConstraintError('JWT_SECRET', 'm', { cause }),
      new SigningError('m', { cause }),
      new KeyFormatError('JWT_KEYS', 'm', { cause }),
      new TokenVerificationError('ERR_X', 'm', { cause }),
    ];
    expect(errors.map((error) => error.code)).toEqual(Object.values(ERROR_CODES));
    for (const error of errors) {
      expect(SupabaseJwtError.isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(Error);
      expect(error.cause).toBe(cause);
      expect(error.name).not.toBe('Error');
    }
    expect(InvalidInputError.isInstance(errors[0])).toBe(true);
    expect(InvalidInputError.isInstance(errors[1])).toBe(false);
    expect(SecretConstraintError.isInstance(errors[1])).toBe(true);
    expect(SigningError.isInstance(errors[2])).toBe(true);
    expect(KeyFormatError.isInstance(errors[3])).toBe(true);
    expect(TokenVerificationError.isInstance(errors[4])).toBe(true);
    expect(errors[0]?.message).toBe(
      'fn() got invalid input: a.b: bad. Fix: pass values of the documented types and ranges.',
    );
  });

  it('recognises errors from another copy of the package by the shared symbol', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('supaops.supabase-jwt.error')]: true,
      code: ERROR_CODES.SIGNING_FAILED,
    });
    expect(SupabaseJwtError.isInstance(foreign)).toBe(true);
    expect(SigningError.isInstance(foreign)).toBe(true);
    expect(SupabaseJwtError.isInstance(new Error('x'))).toBe(false);
    expect(SupabaseJwtError.isInstance(null)).toBe(false);
    expect(SupabaseJwtError.isInstance('SUPABASE_JWT_SIGNING_FAILED')).toBe(false);
  });
});

describe('redactSecret', () => {
  it('shows at most the first and last 4 characters', () => {
    expect(redactSecret('abcdefghijklmnopqrstuvwxyz')).toBe('abcd…wxyz');
    expect(redactSecret('short-secret')).toBe('***');
    expect(redactSecret('')).toBe('***');
    expect(redactSecret(undefined)).toBe('***');
    expect(redactSecret(1234567890123456)).toBe('***');
    expect(redactSecret('🔑🔑🔑🔑-middle-part-🗝🗝🗝🗝')).toBe('🔑🔑🔑🔑…🗝🗝🗝🗝');
    const long = randomAlnum(10_000);
    expect(redactSecret(long)).toBe(`${long.slice(0, 4)}…${long.slice(-4)}`);
  });

  it('the leak oracle used by the tests does detect a leak', () => {
    const secret = randomAlnum(40);
    expect(leaks(`oops ${secret.slice(5, 15)}`, [secret])).toBeDefined();
    expect(leaks(`fine ${redactSecret(secret)}`, [secret])).toBeUndefined();
  });
});
