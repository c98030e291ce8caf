import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryWriteError } from '../workflow-errors.js';
import { deployLockKey, withDeployLock } from './deploy-lock.js';
import { createHistoryStore } from './history.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('createHistoryStore', () => {
  it('writes one 0600 JSON file per record in a 0700 directory, listed oldest first', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hist-'));
    const store = createHistoryStore(join(dir, 'h'));
    expect(await store.list()).toEqual([]);
    const a = await store.record({
      kind: 'compose.env',
      actor: 'test',
      composeId: 'c1',
      before: 'A=1\n',
      after: 'A=2\n',
    });
    const b = await store.record({ kind: 'compose.deploy', actor: 'test', composeId: 'c1' });
    expect((await stat(join(dir, 'h'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'h', `${a.id}.json`))).mode & 0o777).toBe(0o600);
    expect((await store.list()).map((r) => r.id)).toEqual([a.id, b.id]);
    expect(JSON.parse(await readFile(join(dir, 'h', `${a.id}.json`), 'utf8'))).toMatchObject({
      before: 'A=1\n',
      after: 'A=2\n',
    });
  });

  it('a store that cannot write throws HistoryWriteError', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hist-'));
    await writeFile(join(dir, 'file'), 'x');
    const store = createHistoryStore(join(dir, 'file', 'h'));
    await expect(store.record({ kind: 'compose.deploy', actor: 't' })).rejects.toSatisfy(
      (e: unknown) =>
        HistoryWriteError.isInstance(e) && /make the directory writable/.test((e as Error).message),
    );
  });
});

describe('withDeployLock', () => {
  it('runs deploys to one server one after the other, other servers in parallel', async () => {
    const order: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const k = deployLockKey('http://x/api', undefined);
    const first = withDeployLock(k, async () => {
      order.push('a-start');
      await gate;
      order.push('a-end');
    });
    const second = withDeployLock(k, async () => {
      order.push('b');
    });
    const other = withDeployLock(deployLockKey('http://x/api', 'srv-2'), async () => {
      order.push('other');
    });
    await other;
    expect(order).toEqual(['a-start', 'other']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['a-start', 'other', 'a-end', 'b']);
  });

  it('a failed deploy releases the lock', async () => {
    const k = deployLockKey('http://y/api', null);
    await expect(withDeployLock(k, async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await withDeployLock(k, async () => 7)).toBe(7);
  });
});
