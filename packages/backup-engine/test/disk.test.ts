import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mountTmpfs } from '@supaops/testkit';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup, createLocalStorage, RestoreError, restoreBackup } from '../src/index.js';
import { seed, tempDir } from './helpers.js';

const db = useTestDatabase('disk');

// A real small disk: a 1 MiB tmpfs. Mounting needs root; elsewhere this reports itself skipped.
const disk = mountTmpfs('1m', 'backup-full-');
const mountPoint = disk.path;

describe.skipIf(!disk.mounted)('on a small disk (1 MiB tmpfs)', () => {
  beforeAll(async () => {
    await seed(db.current.adminUrl, 20_000);
  });
  afterAll(() => disk.remove());

  it('a backup that fills the disk fails typed and leaves no object with a final name', async () => {
    const storage = createLocalStorage(join(mountPoint, 'store'));
    const error = await createBackup({
      source: db.current.adminUrl,
      storage,
      encryption: false,
      supabase: false,
      compression: 'none',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BACKUP_STORAGE_LOCAL_FAILED' });
    expect((error as Error).message).toContain('ENOSPC');
    expect(
      readdirSync(mountPoint, { recursive: true })
        .map(String)
        .filter((f) => f.includes('.dump')),
    ).toEqual([]);
  });

  it('a parallel restore is refused up front when the temp directory is too small', async () => {
    const storage = createLocalStorage(await tempDir('disk'));
    const { id, manifest } = await createBackup({
      source: db.current.adminUrl,
      storage,
      encryption: false,
      supabase: false,
    });
    expect(manifest.parts[0]!.raw_size).toBeGreaterThan(1024 * 1024);
    const error = await restoreBackup({
      storage,
      id,
      target: db.current.adminUrl.replace(/\/[^/]+$/, '/disk_target_never_created'),
      jobs: 2,
      tempDir: mountPoint,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestoreError);
    expect((error as RestoreError).code).toBe('RESTORE_DISK_INSUFFICIENT');
  });
});
