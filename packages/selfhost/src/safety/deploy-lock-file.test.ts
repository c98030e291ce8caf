import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SelfhostValidationError } from '../errors.js';
import { historyLockOptions, withDeployLock } from './deploy-lock.js';
import {
  acquireFileLock,
  breakStale,
  lockFilePath,
  pidAlive,
  readSeen,
} from './deploy-lock-file.js';
import { DeployLockError, DeployLockTimeoutError } from './safety-errors.js';

let dir: string;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const KEY = 'http://dokploy.test/api#local';
const record = (over: Record<string, unknown> = {}) =>
  `${JSON.stringify({ pid: 1, host: 'other-host', since: '2026-01-01T00:00:00.000Z', key: KEY, token: 'other', ...over })}\n`;
const old = new Date(Date.now() - 3_600_000);

describe('acquireFileLock', () => {
  it('names one file per key and checks pids', async () => {
    expect(lockFilePath('/d', 'https://Dokploy.Example.com:3000/api#srv-1')).toMatch(
      /^\/d\/deploy-dokploy-example-com-3000-api-srv-1-[0-9a-f]{12}\.lock$/,
    );
    expect(lockFilePath('/d', 'a#b')).not.toBe(lockFilePath('/d', 'a-b'));
    expect(lockFilePath('/d', '###')).toMatch(/deploy-server-/);
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(-1)).toBe(false);
    expect(pidAlive(2 ** 22 + 12345)).toBe(false);
  });

  it('takes over a file nobody refreshed within staleMs (another host that crashed)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lock-'));
    const path = lockFilePath(dir, KEY);
    await writeFile(path, record());
    await utimes(path, old, old);
    const unlock = await acquireFileLock(KEY, { lockDir: dir, staleMs: 60_000 });
    const mine = JSON.parse(await readFile(path, 'utf8'));
    expect(mine).toMatchObject({ pid: process.pid, host: hostname(), key: KEY });
    await unlock();
    await unlock(); // idempotent
    expect(await readSeen(path)).toBeUndefined();
  });

  it('waits for a live holder of another host, once told, then times out naming it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lock-'));
    const path = lockFilePath(dir, KEY);
    await writeFile(path, record({ purpose: 'wizard' }));
    const waits: unknown[] = [];
    const error = await acquireFileLock(KEY, {
      lockDir: dir,
      timeoutMs: 60,
      pollMs: 5,
      onWait: (h) => {
        waits.push(h);
        throw new Error('a listener bug');
      },
    }).catch((e: unknown) => e);
    expect(DeployLockTimeoutError.isInstance(error)).toBe(true);
    const e = error as DeployLockTimeoutError;
    expect(e.holder).toEqual({
      pid: 1,
      host: 'other-host',
      since: '2026-01-01T00:00:00.000Z',
      purpose: 'wizard',
    });
    expect(e.message).toContain('process 1 on other-host (wizard)');
    expect(e.message).toContain(path);
    expect(waits).toHaveLength(1);
    expect(JSON.parse(await readFile(path, 'utf8')).token).toBe('other'); // untouched
  });

  it('a file being written (no readable record) counts as held until it is stale', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lock-'));
    const path = lockFilePath(dir, KEY);
    await writeFile(path, '');
    const error = await acquireFileLock(KEY, { lockDir: dir, timeoutMs: 30, pollMs: 5 }).catch(
      (e: unknown) => e,
    );
    expect((error as DeployLockTimeoutError).holder).toBeUndefined();
    expect((error as Error).message).toContain('no readable holder record');
    await utimes(path, old, old);
    const unlock = await acquireFileLock(KEY, { lockDir: dir, timeoutMs: 30 });
    await unlock();
  });

  it('keeps its file fresh while held and never deletes a file it no longer owns', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lock-'));
    const path = lockFilePath(dir, KEY);
    const unlock = await acquireFileLock(KEY, { lockDir: dir, staleMs: 40 });
    await utimes(path, old, old);
    let fresh = false;
    for (let i = 0; i < 200 && !fresh; i++) {
      await new Promise((r) => setTimeout(r, 10));
      fresh = (await stat(path)).mtimeMs > old.getTime() + 1000;
    }
    expect(fresh).toBe(true);
    await writeFile(path, record({ token: 'someone-else' }));
    await unlock();
    expect(JSON.parse(await readFile(path, 'utf8')).token).toBe('someone-else');
  });

  it('breaking a stale file puts back a fresh one that replaced it meanwhile', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lock-'));
    const path = lockFilePath(dir, KEY);
    await writeFile(path, record({ token: 'stale' }));
    const seen = await readSeen(path);
    if (!seen) throw new Error('no file');
    await writeFile(path, record({ token: 'fresh' }));
    await breakStale(path, seen, 'me');
    expect(JSON.parse(await readFile(path, 'utf8')).token).toBe('fresh');
    await breakStale(path, (await readSeen(path)) as typeof seen, 'me');
    expect(await readSeen(path)).toBeUndefined();
    await breakStale(path, seen, 'me'); // gone already: nothing to do
  });

  it('an unusable directory is DeployLockError; an abort ends the wait', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lock-'));
    await writeFile(join(dir, 'file'), 'x');
    const error = await acquireFileLock(KEY, { lockDir: join(dir, 'file', 'sub') }).catch(
      (e: unknown) => e,
    );
    expect(DeployLockError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/ENOTDIR|EEXIST/);
    await writeFile(lockFilePath(dir, KEY), record());
    const controller = new AbortController();
    const waiting = acquireFileLock(KEY, {
      lockDir: dir,
      pollMs: 5,
      signal: controller.signal,
      onWait: () => controller.abort(new Error('stop')),
    });
    await expect(waiting).rejects.toThrow('stop');
    const aborted = new AbortController();
    aborted.abort(new Error('already'));
    await expect(acquireFileLock(KEY, { lockDir: dir, signal: aborted.signal })).rejects.toThrow(
      'already',
    );
  });
});

describe('withDeployLock with a lock directory', () => {
  it('holds the file only while fn runs, also when fn fails; validates its input', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lock-'));
    const path = lockFilePath(dir, KEY);
    const options = historyLockOptions({ dir }, 'test');
    expect(options).toEqual({ lockDir: dir, purpose: 'test' });
    const seen = await withDeployLock(
      KEY,
      async () => JSON.parse(await readFile(path, 'utf8')),
      options,
    );
    expect(seen.purpose).toBe('test');
    expect(await readSeen(path)).toBeUndefined();
    await expect(
      withDeployLock(KEY, async () => Promise.reject(new Error('boom')), options),
    ).rejects.toThrow('boom');
    expect(await readSeen(path)).toBeUndefined();
    const signal = new AbortController().signal;
    const onWait = () => {};
    expect(historyLockOptions({ dir }, 'x', signal, onWait)).toEqual({
      lockDir: dir,
      purpose: 'x',
      signal,
      onWait,
    });
    await expect(withDeployLock('', async () => 1)).rejects.toThrow(SelfhostValidationError);
    await expect(
      withDeployLock(KEY, async () => 1, { lockDir: dir, bogus: true } as never),
    ).rejects.toThrow(SelfhostValidationError);
  });
});
