import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { BackupNotFoundError, BackupStorageError } from '../errors.js';
import { OWNED_READS, RELEASE_WRITTEN, ReleasingSink } from '../release.js';
import { parseInput } from '../validation.js';
import { assertKey, type BackupStorage, type StorageObjectInfo } from './types.js';

const PARTIAL = '.partial-';

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function walk(root: string, dir: string, out: string[]): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, full, out);
    else if (entry.isFile()) out.push(relative(root, full).split(sep).join('/'));
  }
}

function storageError(what: string, error: unknown): BackupStorageError {
  const code = (error as NodeJS.ErrnoException).code;
  return new BackupStorageError(
    'BACKUP_STORAGE_LOCAL_FAILED',
    `Local storage could not ${what}: ${code ?? (error as Error).message}. Fix: check that the directory exists, is writable and has free space.`,
    { cause: error },
  );
}

/**
 * Keeps backups in a local directory. Writes go to `<key>.partial-<pid>-<random>`, are
 * fsynced, then renamed to the final name (and the directory fsynced), so a crash never
 * leaves a partial file under a final name; `cleanupIncompleteUploads` removes stale temps.
 */
export function createLocalStorage(directory: string): BackupStorage {
  const dir = resolve(parseInput(z.string().min(1), directory, 'local storage directory'));
  const pathOf = (key: string) => {
    assertKey(key);
    return join(dir, ...key.split('/'));
  };

  const storage: BackupStorage & { [OWNED_READS]: true } = {
    kind: 'local',
    description: `local:${dir}`,
    [OWNED_READS]: true,

    async put(key, body, options = {}) {
      const final = pathOf(key);
      const temp = `${final}${PARTIAL}${process.pid}-${randomBytes(4).toString('hex')}`;
      try {
        await mkdir(dirname(final), { recursive: true });
        const file = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
        // this package's own pipelines hand over chunks nothing else uses: freed once written
        const release = (options as { [RELEASE_WRITTEN]?: number })[RELEASE_WRITTEN];
        await pipeline(body, release ? new ReleasingSink(file, release) : file, {
          ...(options.signal ? { signal: options.signal } : {}),
        });
        await fsyncPath(temp);
        await rename(temp, final);
        await fsyncPath(dirname(final));
        const { size } = await stat(final);
        return { size };
      } catch (error) {
        await unlink(temp).catch(() => {});
        if (options.signal?.aborted) throw options.signal.reason ?? error;
        if ((error as { code?: string }).code?.startsWith('E'))
          throw storageError(`write ${key}`, error);
        throw error;
      }
    },

    async get(key) {
      const path = pathOf(key);
      try {
        await stat(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new BackupNotFoundError(
            `No object "${key}" in ${dir}. Fix: list the backups with listBackups() and use an existing id.`,
            { cause: error },
          );
        }
        throw storageError(`read ${key}`, error);
      }
      return createReadStream(path, { highWaterMark: 256 * 1024 });
    },

    async head(key) {
      const path = pathOf(key);
      try {
        const info = await stat(path);
        return { key, size: info.size, lastModified: info.mtime };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw storageError(`stat ${key}`, error);
      }
    },

    async list(prefix = '') {
      const keys: string[] = [];
      await walk(dir, dir, keys).catch((error: unknown) => {
        throw storageError('list the directory', error);
      });
      const out: StorageObjectInfo[] = [];
      for (const key of keys.sort()) {
        if (!key.startsWith(prefix) || key.includes(PARTIAL)) continue;
        const info = await stat(join(dir, key)).catch(() => undefined);
        if (info) out.push({ key, size: info.size, lastModified: info.mtime });
      }
      return out;
    },

    async delete(key) {
      const path = pathOf(key);
      await rm(path, { force: true }).catch((error: unknown) => {
        throw storageError(`delete ${key}`, error);
      });
      // remove now-empty parent directories up to the root
      let parent = dirname(path);
      while (parent.startsWith(dir + sep)) {
        try {
          await rmdir(parent);
        } catch {
          break;
        }
        parent = dirname(parent);
      }
    },

    async cleanupIncompleteUploads(options = {}) {
      const olderThanMs = options.olderThanMs ?? 3_600_000;
      const keys: string[] = [];
      await walk(dir, dir, keys);
      const removed: string[] = [];
      for (const key of keys) {
        if (!key.includes(PARTIAL)) continue;
        const full = join(dir, key);
        const info = await stat(full).catch(() => undefined);
        if (info && Date.now() - info.mtimeMs >= olderThanMs) {
          await unlink(full).catch(() => {});
          removed.push(key);
        }
      }
      return { removed };
    },
  };
  return storage;
}
