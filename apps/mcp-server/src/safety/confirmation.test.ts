import { describe, expect, it } from 'vitest';
import { ConfirmationError } from '../errors.js';
import { ConfirmationTokens, canonicalJson } from './confirmation.js';

function failure(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(ConfirmationError.isInstance(error)).toBe(true);
    return (error as ConfirmationError).reason;
  }
}

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}',
    );
  });
});

describe('ConfirmationTokens', () => {
  it('accepts a token once, for the same tool and arguments', () => {
    const tokens = new ConfirmationTokens();
    const { token, expiresAt } = tokens.issue('restore_backup', { id: 'b1', clean: true });
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(failure(() => tokens.consume('restore_backup', { clean: true, id: 'b1' }, token))).toBe(
      undefined,
    );
    expect(failure(() => tokens.consume('restore_backup', { clean: true, id: 'b1' }, token))).toBe(
      'used',
    );
  });

  it('refuses other arguments, another tool, a forged or malformed token', () => {
    const tokens = new ConfirmationTokens();
    const { token } = tokens.issue('restore_backup', { id: 'b1' });
    expect(failure(() => tokens.consume('restore_backup', { id: 'b2' }, token))).toBe('mismatch');
    expect(failure(() => tokens.consume('cleanup_backups', { id: 'b1' }, token))).toBe('mismatch');
    const [id, exp] = token.split('.');
    expect(failure(() => tokens.consume('restore_backup', { id: 'b1' }, `${id}.${exp}.AAAA`))).toBe(
      'mismatch',
    );
    expect(failure(() => tokens.consume('restore_backup', { id: 'b1' }, 'nonsense'))).toBe(
      'malformed',
    );
    // a later expiry written into the token breaks the MAC
    const later = `${id}.${Number(exp) + 60_000}.${token.split('.')[2]}`;
    expect(failure(() => tokens.consume('restore_backup', { id: 'b1' }, later))).toBe('mismatch');
    // still valid for the right arguments
    expect(failure(() => tokens.consume('restore_backup', { id: 'b1' }, token))).toBe(undefined);
  });

  it('refuses an expired token', () => {
    let now = 1_000_000;
    const tokens = new ConfirmationTokens({ ttlMs: 1000, now: () => now });
    const { token } = tokens.issue('rollback_migration', {});
    now += 1000;
    expect(failure(() => tokens.consume('rollback_migration', {}, token))).toBe('expired');
  });

  it('a token of another process (another key) is refused', () => {
    const { token } = new ConfirmationTokens().issue('x', {});
    expect(failure(() => new ConfirmationTokens().consume('x', {}, token))).toBe('mismatch');
  });

  it('forgets used ids once they expired', () => {
    let now = 0;
    const tokens = new ConfirmationTokens({ ttlMs: 10, now: () => now });
    const a = tokens.issue('x', {});
    tokens.consume('x', {}, a.token);
    now = 20;
    const b = tokens.issue('x', {});
    tokens.consume('x', {}, b.token);
    expect(failure(() => tokens.consume('x', {}, b.token))).toBe('used');
  });
});
