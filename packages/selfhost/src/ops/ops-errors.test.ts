import { describe, expect, it } from 'vitest';
import { ERROR_CODES, SelfhostError } from '../errors.js';
import {
  DomainNotFoundError,
  LetsEncryptUnreachableError,
  RollbackStaleError,
  RollbackUnavailableError,
  TlsCheckError,
} from './ops-errors.js';

describe('operation errors', () => {
  const all = [
    [RollbackUnavailableError, new RollbackUnavailableError('c', '/h')],
    [RollbackStaleError, new RollbackStaleError('c', 'r', 'env')],
    [DomainNotFoundError, new DomainNotFoundError('c', 'x.dev', [])],
    [LetsEncryptUnreachableError, new LetsEncryptUnreachableError('h', '10.0.0.1', 'private')],
    [TlsCheckError, new TlsCheckError('h', 443, 'refused')],
  ] as const;

  it('carry the stable codes in order, each recognised only by its own class, with a fix', () => {
    expect(all.map(([, e]) => e.code)).toEqual(Object.values(ERROR_CODES).slice(14, 19));
    for (const [cls, e] of all) {
      expect(SelfhostError.isInstance(e)).toBe(true);
      expect(cls.isInstance(e)).toBe(true);
      expect(e.message).toMatch(/Fix:/);
      for (const [other, o] of all) if (other !== cls) expect(cls.isInstance(o)).toBe(false);
    }
    expect(new DomainNotFoundError('c', 'x', ['a.dev']).message).toMatch(/it has: a\.dev/);
  });
});
