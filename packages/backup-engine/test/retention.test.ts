import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyRetention,
  BackupValidationError,
  createBackup,
  createLocalStorage,
  listBackups,
  verifyBackup,
} from '../src/index.js';
import { sql, tempDir } from './helpers.js';

const db = useTestDatabase('retention');

describe('applyRetention', () => {
  let dir: string;
  const ids: string[] = [];

  beforeAll(async () => {
    await sql(
      db.current.adminUrl,
      'CREATE TABLE public.t (x int); INSERT INTO public.t VALUES (1), (2)',
    );
    dir = await tempDir('retention');
    for (let i = 0; i < 4; i++) {
      const { id } = await createBackup({
        source: db.current.adminUrl,
        storage: createLocalStorage(dir),
        encryption: false,
        supabase: false,
        includeSchemas: ['public'],
        tags: { n: String(i) },
      });
      ids.push(id);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  });

  it('keeps the newest verified backup even when keep-last would drop it', async () => {
    const storage = createLocalStorage(dir);
    await verifyBackup({ storage, id: ids[1]! });
    const listed = await listBackups(storage);
    expect(listed.map((b) => b.id)).toEqual(ids);
    expect(listed.map((b) => b.verifiedAt !== undefined)).toEqual([false, true, false, false]);

    // an interrupted backup: objects without a manifest
    await mkdir(join(dir, 'orphan-1'), { recursive: true });
    await writeFile(join(dir, 'orphan-1', 'database.dump.zst'), 'partial but renamed');
    const old = new Date(Date.now() - 2 * 86_400_000);
    await utimes(join(dir, 'orphan-1', 'database.dump.zst'), old, old);

    const dry = await applyRetention({ storage, keepLast: 1, dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.kept.map((k) => [k.id, k.reasons])).toEqual([
      [ids[3], ['last']],
      [ids[1], ['newest-verified']],
    ]);
    expect(dry.deleted.map((d) => d.id)).toEqual([ids[2], ids[0]]);
    expect(dry.orphans).toEqual(['orphan-1']);
    expect(dry.protectedId).toBe(ids[1]);
    expect((await listBackups(storage)).map((b) => b.id)).toEqual(ids);

    const real = await applyRetention({ storage, keepLast: 1 });
    expect(real.deleted.map((d) => d.id)).toEqual([ids[2], ids[0]]);
    expect((await listBackups(storage)).map((b) => b.id)).toEqual([ids[1], ids[3]]);
    expect((await storage.list()).some((o) => o.key.startsWith('orphan-1/'))).toBe(false);
    expect((await storage.list()).some((o) => o.key.startsWith(`${ids[0]}/`))).toBe(false);
  });

  it('deletes only backups older than the age limit and refuses a policy without rules', async () => {
    const storage = createLocalStorage(dir);
    const young = await applyRetention({ storage, olderThanMs: 3_600_000, dryRun: true });
    expect(young.deleted).toEqual([]);
    const future = new Date(Date.now() + 2 * 3_600_000);
    const aged = await applyRetention({
      storage,
      olderThanMs: 3_600_000,
      now: future,
      dryRun: true,
    });
    // everything is old enough, but the newest verified backup stays
    expect(aged.kept.map((k) => k.id)).toEqual([ids[1]]);
    expect(aged.deleted.map((d) => d.id)).toEqual([ids[3]]);
    await expect(applyRetention({ storage })).rejects.toBeInstanceOf(BackupValidationError);
  });
});
