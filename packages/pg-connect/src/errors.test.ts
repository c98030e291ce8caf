import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AuthenticationError,
  ConnectionError,
  ConnectionStringError,
  PermissionDeniedError,
  PgConnectError,
  PgConnectValidationError,
  PgQueryError,
  PoolStateError,
  PoolTimeoutError,
  QueryCanceledError,
  ReadOnlyViolationError,
  TooManyConnectionsError,
  validate,
} from './errors.js';

const fields = { sqlState: '42501' };
const cause = new Error('root cause');
// one of each class, and the classes each one is (itself and what it extends)
const cases = [
  [new PgConnectError('RESULT_DISPOSED', 'm', { cause }), [PgConnectError]],
  [new PgConnectValidationError('x', ['a: b'], { cause }), [PgConnectValidationError]],
  [new ConnectionStringError('port', 'm', { cause }), [ConnectionStringError]],
  [new ConnectionError('CONNECTION_FAILED', 'm', { cause }), [ConnectionError]],
  [new ConnectionError('HOST_NOT_FOUND', 'm', { cause }), [ConnectionError]],
  [new AuthenticationError('m', { cause }), [AuthenticationError]],
  [new TooManyConnectionsError('m', { cause }), [TooManyConnectionsError]],
  [new PoolTimeoutError('m', { cause }), [PoolTimeoutError]],
  [new PoolStateError('POOL_CLOSED', 'm', { cause }), [PoolStateError]],
  [new PoolStateError('POOL_EXISTS', 'm', { cause }), [PoolStateError]],
  [new PgQueryError('m', fields, { cause }), [PgQueryError]],
  [new PermissionDeniedError('m', fields, { cause }), [PgQueryError, PermissionDeniedError]],
  [new ReadOnlyViolationError('m', fields, { cause }), [PgQueryError, ReadOnlyViolationError]],
  [
    new QueryCanceledError('m', { ...fields, reason: 'timeout' }, { cause }),
    [PgQueryError, QueryCanceledError],
  ],
] as const;
const classes = [
  PgConnectValidationError,
  ConnectionStringError,
  ConnectionError,
  AuthenticationError,
  TooManyConnectionsError,
  PoolTimeoutError,
  PoolStateError,
  PgQueryError,
  PermissionDeniedError,
  ReadOnlyViolationError,
  QueryCanceledError,
];

describe('error classes', () => {
  it('PgConnectError.isInstance is true for every error of the package', () => {
    for (const [error] of cases) {
      expect(PgConnectError.isInstance(error)).toBe(true);
      expect(error.cause).toBe(cause);
      expect(error.name).toBe(error.constructor.name);
    }
    expect(PgConnectError.isInstance(new Error('x'))).toBe(false);
    expect(PgConnectError.isInstance(null)).toBe(false);
    expect(PgConnectError.isInstance('PgQueryError')).toBe(false);
  });

  it('each class isInstance is true for itself and its subclasses only', () => {
    for (const [error, is] of cases) {
      for (const cls of classes) {
        const expected = (is as readonly unknown[]).includes(cls);
        expect({ error: error.name, cls: cls.name, is: cls.isInstance(error) }).toEqual({
          error: error.name,
          cls: cls.name,
          is: expected,
        });
        // the same answer as instanceof within one copy
        expect(cls.isInstance(error)).toBe(error instanceof cls);
      }
    }
  });

  it('tells kinds apart across duplicate copies, by the global symbols', () => {
    const marker = Symbol.for('supaops.pg-connect.error');
    const kinds = Symbol.for('supaops.pg-connect.error.kinds');
    const foreign = Object.assign(new Error('x'), {
      [marker]: true,
      [kinds]: ['PgConnectError', 'PgQueryError', 'PermissionDeniedError'],
      code: 'PERMISSION_DENIED',
    });
    expect(PermissionDeniedError.isInstance(foreign)).toBe(true);
    expect(PgQueryError.isInstance(foreign)).toBe(true);
    expect(QueryCanceledError.isInstance(foreign)).toBe(false);
    expect(ConnectionError.isInstance(foreign)).toBe(false);
    // kinds without the package marker, or a marker with junk kinds, are not enough
    expect(PgQueryError.isInstance({ [kinds]: ['PgQueryError'] })).toBe(false);
    expect(PgQueryError.isInstance({ [marker]: true, [kinds]: 'PgQueryError' })).toBe(false);
    expect(PgQueryError.isInstance({ [marker]: true, [kinds]: [1, 'PgQueryErrorX'] })).toBe(false);
    expect(PgConnectError.isInstance({ [marker]: true })).toBe(true);
  });

  it('keeps the kinds out of JSON and enumeration', () => {
    const error = new PermissionDeniedError('m', fields);
    const kinds = Symbol.for('supaops.pg-connect.error.kinds');
    expect(Object.getOwnPropertyDescriptor(error, kinds)?.enumerable).toBe(false);
    expect(Object.getOwnPropertySymbols(error).map(String)).toContain(
      'Symbol(supaops.pg-connect.error.kinds)',
    );
    expect(JSON.stringify(error)).not.toContain('PgQueryError');
    expect(error.code).toBe('PERMISSION_DENIED');
  });

  it('validate turns zod issues into PgConnectValidationError', () => {
    expect(validate(z.number(), 1, 'n')).toBe(1);
    let error: unknown;
    try {
      validate(z.object({ port: z.number() }), { port: 'x' }, 'options');
    } catch (e) {
      error = e;
    }
    expect(PgConnectValidationError.isInstance(error)).toBe(true);
    expect((error as PgConnectValidationError).issues[0]).toMatch(/^port: /);
    expect(ConnectionStringError.isInstance(error)).toBe(false);
  });
});
