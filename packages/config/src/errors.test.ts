import { describe, expect, it } from 'vitest';
import {
  AuditLogError,
  ConfigError,
  ConfigFileError,
  ConfigValidationError,
  DokployServerNotFoundError,
  HomeDirectoryError,
  InstanceNotFoundError,
  SecretReferenceError,
  SecretStoreError,
} from './errors.js';

describe('errors', () => {
  const cause = new Error('root cause');
  const all = [
    new ConfigValidationError('x', [{ path: 'a.b', message: 'is wrong. Fix: y' }], {
      cause,
      file: '/f',
    }),
    new ConfigFileError('/f', 'm', { cause }),
    new SecretReferenceError('env:X', 'env-missing', 'm', { cause }),
    new SecretStoreError('/s', 'wrong-key', 'm', { cause }),
    new InstanceNotFoundError('x', ['a'], 'm', { cause }),
    new AuditLogError('/l', 'm', { cause }),
    new HomeDirectoryError('linux', { cause }),
    new DokployServerNotFoundError('x', ['a'], 'm', { cause }),
  ];

  it('carry a stable code, a name, the cause, and the cross-copy marker', () => {
    expect(all.map((e) => e.code)).toEqual([
      'CONFIG_VALIDATION_FAILED',
      'CONFIG_FILE_INVALID',
      'SECRET_REFERENCE_UNRESOLVED',
      'SECRET_STORE_FAILED',
      'INSTANCE_NOT_FOUND',
      'AUDIT_LOG_FAILED',
      'HOME_DIRECTORY_UNKNOWN',
      'DOKPLOY_SERVER_NOT_FOUND',
    ]);
    for (const error of all) {
      expect(ConfigError.isInstance(error)).toBe(true);
      expect(error.cause).toBe(cause);
      expect(error.name).toBe(error.constructor.name);
    }
    // a look-alike from another copy of the package is recognized by the symbol
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('supaops.config.error')]: true,
      code: 'INSTANCE_NOT_FOUND',
    });
    expect(InstanceNotFoundError.isInstance(foreign)).toBe(true);
    expect(ConfigError.isInstance(new Error('x'))).toBe(false);
    expect(ConfigError.isInstance(null)).toBe(false);
  });

  it('tells the kinds apart', () => {
    const [validation, file, ref, store, notFound, audit] = all;
    expect(ConfigValidationError.isInstance(validation)).toBe(true);
    expect(ConfigValidationError.isInstance(file)).toBe(false);
    expect(ConfigFileError.isInstance(file)).toBe(true);
    expect(SecretReferenceError.isInstance(ref)).toBe(true);
    expect(SecretStoreError.isInstance(store)).toBe(true);
    expect(InstanceNotFoundError.isInstance(notFound)).toBe(true);
    expect(AuditLogError.isInstance(audit)).toBe(true);
    expect(AuditLogError.isInstance(store)).toBe(false);
    expect(HomeDirectoryError.isInstance(all[6])).toBe(true);
    expect(HomeDirectoryError.isInstance(audit)).toBe(false);
    expect(DokployServerNotFoundError.isInstance(all[7])).toBe(true);
    expect(DokployServerNotFoundError.isInstance(notFound)).toBe(false);
    expect(InstanceNotFoundError.isInstance(all[7])).toBe(false);
  });

  it('lists each issue with its path in the message', () => {
    expect(all[0]?.message).toBe('Invalid x in /f:\n  - a.b: is wrong. Fix: y');
  });
});
