import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { readAll } from '../backup-store.js';
import { BackupNotFoundError, BackupValidationError } from '../errors.js';
import { createLocalStorage } from './local.js';

const dirs: string[] = [];
async function tracked(prefix: string): Promise<string> {
  const dir = await mkdtemp(prefix);
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

describe('createLocalStorage', () => {
  it('puts atomically, reads, heads, lists and deletes', async () => {
    const dir = await tracked(join(tmpdir(), 'local-'));
    const storage = createLocalStorage(dir);
    expect(storage.description).toBe(`local:${dir}`);
    const { size } = await storage.put(
      'b1/data.bin',
      Readable.from([Buffer.from('hello '), Buffer.from('world')]),
    );
    expect(size).toBe(11);
    expect((await readAll(await storage.get('b1/data.bin'))).toString()).toBe('hello world');
    expect(await storage.head('b1/data.bin')).toMatchObject({ key: 'b1/data.bin', size: 11 });
    expect(await storage.head('b1/none')).toBeUndefined();
    await storage.put('b2/x', Readable.from([Buffer.from('x')]));
    expect((await storage.list()).map((o) => o.key)).toEqual(['b1/data.bin', 'b2/x']);
    expect((await storage.list('b2/')).map((o) => o.key)).toEqual(['b2/x']);
    await storage.delete('b1/data.bin');
    await expect(storage.get('b1/data.bin')).rejects.toBeInstanceOf(BackupNotFoundError);
    expect(await files(dir)).toEqual(['b2', 'b2/x']);
  });

  it('leaves no final name (and no temp file) when the stream fails or is aborted', async () => {
    const dir = await tracked(join(tmpdir(), 'local-'));
    const storage = createLocalStorage(dir);
    const failing = new PassThrough();
    const put = storage.put('b/obj', failing);
    failing.write(Buffer.alloc(1000));
    setTimeout(() => failing.destroy(new Error('source broke')), 20);
    await expect(put).rejects.toThrow('source broke');
    expect(await storage.head('b/obj')).toBeUndefined();
    expect((await files(dir)).filter((f) => f.includes('obj'))).toEqual([]);

    const controller = new AbortController();
    const slow = new PassThrough();
    const aborted = storage.put('b/obj2', slow, { signal: controller.signal });
    slow.write(Buffer.alloc(10));
    setTimeout(() => controller.abort(new Error('stop now')), 20);
    await expect(aborted).rejects.toThrow('stop now');
    expect(await storage.head('b/obj2')).toBeUndefined();
  });

  it('sweeps stale temp files and ignores them when listing', async () => {
    const dir = await tracked(join(tmpdir(), 'local-'));
    const storage = createLocalStorage(dir);
    await storage.put('b/keep', Readable.from([Buffer.from('k')]));
    const stale = join(dir, 'b', 'obj.partial-1-abcd');
    await writeFile(stale, 'partial');
    const old = new Date(Date.now() - 2 * 3_600_000);
    await utimes(stale, old, old);
    await writeFile(join(dir, 'b', 'fresh.partial-1-abcd'), 'partial');
    expect((await storage.list()).map((o) => o.key)).toEqual(['b/keep']);
    expect((await storage.cleanupIncompleteUploads()).removed).toEqual(['b/obj.partial-1-abcd']);
    expect((await storage.cleanupIncompleteUploads({ olderThanMs: 0 })).removed).toEqual([
      'b/fresh.partial-1-abcd',
    ]);
  });

  it('validates keys and directories', async () => {
    const storage = createLocalStorage(await tracked(join(tmpdir(), 'local-')));
    for (const key of ['../x', '/abs', 'a/../b', 'a//b', 'x.partial-1', '']) {
      await expect(storage.head(key)).rejects.toBeInstanceOf(BackupValidationError);
    }
    expect(() => createLocalStorage('')).toThrow(BackupValidationError);
    const missing = createLocalStorage(
      join(tmpdir(), 'does-not-exist-supaops', String(Date.now())),
    );
    expect(await missing.list()).toEqual([]);
  });

  it('reports unwritable locations as storage errors', async () => {
    const dir = await tracked(join(tmpdir(), 'local-'));
    await writeFile(join(dir, 'file'), 'x');
    const storage = createLocalStorage(join(dir, 'file'));
    await expect(storage.put('a/b', Readable.from([Buffer.from('x')]))).rejects.toMatchObject({
      code: 'BACKUP_STORAGE_LOCAL_FAILED',
    });
  });
});
