import { describe, expect, it } from 'vitest';
import {
  DokployAbortError,
  DokployConfigError,
  DokployError,
  DokployHttpError,
  DokployInputError,
  DokployNotFoundError,
  DokployStreamError,
  DokployUnauthorizedError,
  DokployVersionError,
} from './errors.js';

describe('error classes', () => {
  it('have stable codes, chain causes and are recognized by isInstance', () => {
    const cause = new Error('root');
    const e = new DokployVersionError(
      'old',
      { serverVersion: 'v0.24.0', requiredVersion: 'v0.25.0' },
      { cause },
    );
    expect(e.code).toBe('DOKPLOY_VERSION');
    expect(e.cause).toBe(cause);
    expect(e.name).toBe('DokployVersionError');
    expect(DokployError.isInstance(e)).toBe(true);
    expect(DokployVersionError.isInstance(e)).toBe(true);
    expect(DokployInputError.isInstance(e)).toBe(false);
    expect(DokployHttpError.isInstance(e)).toBe(false);
    expect(DokployError.isInstance(new Error('x'))).toBe(false);
    expect(DokployError.isInstance(null)).toBe(false);
    expect(new DokployConfigError('c').cause).toBeUndefined();
    expect(new DokployAbortError('a').code).toBe('DOKPLOY_ABORTED');
    expect(new DokployStreamError('s', {}).closeCode).toBeUndefined();
  });

  it('isInstance works across copies of the package (symbol marker + code)', () => {
    const foreign = Object.assign(new Error('from another copy'), {
      [Symbol.for('supaops.dokploy-client.error')]: true,
      code: 'DOKPLOY_NOT_FOUND',
      status: 404,
    });
    expect(foreign instanceof DokployNotFoundError).toBe(false);
    expect(DokployNotFoundError.isInstance(foreign)).toBe(true);
    expect(DokployHttpError.isInstance(foreign)).toBe(true);
    expect(DokployUnauthorizedError.isInstance(foreign)).toBe(false);
  });

  it('HTTP errors keep status, server code and request', () => {
    const e = new DokployUnauthorizedError('no', {
      status: 401,
      request: { method: 'GET', procedure: 'user.get' },
      serverVersion: 'v0.30.2',
    });
    expect(e).toMatchObject({
      status: 401,
      code: 'DOKPLOY_UNAUTHORIZED',
      serverVersion: 'v0.30.2',
      request: { procedure: 'user.get' },
    });
    expect(e).toBeInstanceOf(DokployHttpError);
  });
});
