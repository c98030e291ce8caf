import { describe, expect, it } from 'vitest';
import { ERROR_CODES, SelfhostError } from '../errors.js';
import { DeployLockError, DeployLockTimeoutError, TemplateInvalidError } from './safety-errors.js';

describe('safety errors', () => {
  const all = [
    [TemplateInvalidError, new TemplateInvalidError([])],
    [DeployLockTimeoutError, new DeployLockTimeoutError('k', '/l', 1500, undefined)],
    [
      DeployLockError,
      new DeployLockError('/d', { cause: Object.assign(new Error('x'), { code: 'EACCES' }) }),
    ],
  ] as const;

  it('carry their stable codes, each recognised only by its own class, with a fix', () => {
    expect(all.map(([, e]) => e.code)).toEqual([
      ERROR_CODES.TEMPLATE_INVALID,
      ERROR_CODES.DEPLOY_LOCK_TIMEOUT,
      ERROR_CODES.DEPLOY_LOCK_FAILED,
    ]);
    for (const [cls, e] of all) {
      expect(SelfhostError.isInstance(e)).toBe(true);
      expect(cls.isInstance(e)).toBe(true);
      expect(e.message).toMatch(/Fix:/);
      for (const [other, o] of all) if (other !== cls) expect(cls.isInstance(o)).toBe(false);
    }
    expect(all[1][1].message).toMatch(/whole 2 s wait: a process that left no readable holder/);
    expect(all[2][1].message).toMatch(/\(EACCES\)/);
    expect(new DeployLockError('/d').message).toMatch(/\(unknown error\)/);
  });
});
