import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxLockError } from './errors.js';
import { breakStale, withLock } from './lock-file.js';

const DEAD_PID = 4194305; // above Linux's default pid_max

function lockPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'lock-')), 'sandbox.lock');
}

describe('withLock', () => {
  it('holds the lock with our pid while fn runs, and serializes callers', async () => {
    const file = lockPath();
    const order: string[] = [];
    const first = withLock(file, async () => {
      expect(readFileSync(file, 'utf8')).toBe(`${process.pid}\n`);
      order.push('first in');
      await new Promise((r) => setTimeout(r, 100));
      order.push('first out');
    });
    const second = withLock(file, async () => {
      order.push('second');
    });
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'first out', 'second']);
    expect(existsSync(file)).toBe(false);
  });

  it('releases the lock when fn throws', async () => {
    const file = lockPath();
    await expect(
      withLock(file, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrowError('boom');
    expect(existsSync(file)).toBe(false);
  });

  it('breaks the lock of a dead holder and of an empty lock left long ago', async () => {
    const file = lockPath();
    writeFileSync(file, `${DEAD_PID}\n`);
    expect(await withLock(file, async () => 'got it')).toBe('got it');
    writeFileSync(file, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    expect(await withLock(file, async () => 'again')).toBe('again');
  });

  it('waits a bounded time for a live holder, then names it', async () => {
    const file = lockPath();
    writeFileSync(file, `${process.pid}\n`);
    const error = await withLock(file, async () => 'never', { timeoutMs: 100, pollMs: 10 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SandboxLockError);
    expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', holderPid: process.pid, lockFile: file });
    // a fresh empty lock (a holder between create and write) is waited for too
    writeFileSync(file, '');
    await expect(withLock(file, async () => 1, { timeoutMs: 50 })).rejects.toMatchObject({
      holderPid: undefined,
    });
  });

  it('puts back a lock that a live process took after the stale one was seen', () => {
    const file = lockPath();
    writeFileSync(file, `${process.pid}\n`);
    breakStale(file, DEAD_PID);
    expect(readFileSync(file, 'utf8')).toBe(`${process.pid}\n`);
    writeFileSync(file, `${DEAD_PID}\n`);
    breakStale(file, DEAD_PID);
    expect(existsSync(file)).toBe(false);
    // nothing to break: someone else was first
    breakStale(file, DEAD_PID);
    expect(existsSync(file)).toBe(false);
  });
});
