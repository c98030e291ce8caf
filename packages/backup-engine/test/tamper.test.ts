import { randomBytes } from 'node:crypto';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BackupError,
  BackupNotFoundError,
  createBackup,
  createLocalStorage,
  HEADER_SIZE,
  restoreBackup,
  TAG_SIZE,
  verifyBackup,
} from '../src/index.js';
import { createDatabase, databaseUrl, dropDatabase, seed, sql, tempDir } from './helpers.js';

const db = useTestDatabase('tamper');
const key = { key: randomBytes(32) };
const CHUNK = 4096;

async function userTables(url: string): Promise<string[]> {
  const rows = await sql<{ t: string }>(
    url,
    "SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname IN ('public', 'app')",
  );
  return rows.map((r) => r.t);
}

async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  const rows = await sql(adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rows.length > 0;
}

interface Fixture {
  dir: string;
  id: string;
  file: string;
  original: Buffer;
  encrypted: boolean;
}

async function backup(encrypted: boolean, dir?: string): Promise<Fixture> {
  const target = dir ?? (await tempDir(encrypted ? 'tamper-enc' : 'tamper-plain'));
  const { id, manifest } = await createBackup({
    source: db.current.adminUrl,
    storage: createLocalStorage(target),
    encryption: encrypted ? key : false,
    supabase: false,
    compression: 'none',
    chunkSizeLog2: 12,
  });
  const file = join(target, ...manifest.parts[0]!.key.split('/'));
  return { dir: target, id, file, original: await readFile(file), encrypted };
}

/** Restores a tampered backup into a new and into an existing empty database; both stay empty. */
async function expectRefusedBeforeWriting(fx: Fixture, codes: string[]): Promise<void> {
  const storage = createLocalStorage(fx.dir);
  const fresh = `bk_tamper_new_${randomBytes(4).toString('hex')}`;
  const existing = await createDatabase(db.current.adminUrl, 'tamper');
  try {
    for (const target of [databaseUrl(db.current.adminUrl, fresh), existing.url]) {
      const error = await restoreBackup({
        storage,
        id: fx.id,
        ...(fx.encrypted ? { key } : {}),
        target,
      }).catch((e: unknown) => e);
      expect(BackupError.isInstance(error)).toBe(true);
      expect(codes).toContain((error as BackupError).code);
    }
    // the new database was never created; the existing one never got a table
    expect(await databaseExists(db.current.adminUrl, fresh)).toBe(false);
    expect(await userTables(existing.url)).toEqual([]);
    const verified = await verifyBackup({
      storage,
      id: fx.id,
      ...(fx.encrypted ? { key } : {}),
      markVerified: false,
    }).catch((e: unknown) => e);
    expect(codes).toContain((verified as BackupError).code);
  } finally {
    await dropDatabase(db.current.adminUrl, existing.name);
    await dropDatabase(db.current.adminUrl, fresh);
  }
}

describe('a tampered, truncated or foreign object writes nothing to the target', () => {
  let plain: Fixture;
  let enc: Fixture;

  beforeAll(async () => {
    await seed(db.current.adminUrl, 300);
    plain = await backup(false);
    enc = await backup(true);
    expect(enc.original.length).toBeGreaterThan(HEADER_SIZE + 6 * (CHUNK + TAG_SIZE));
  });

  it('flipped bytes, unencrypted and encrypted', async () => {
    for (const fx of [plain, enc]) {
      const flipped = Buffer.from(fx.original);
      flipped[Math.floor(flipped.length / 2)]! ^= 0x01;
      await writeFile(fx.file, flipped);
      await expectRefusedBeforeWriting(fx, ['BACKUP_HASH_MISMATCH', 'BACKUP_CHUNK_AUTH_FAILED']);
      await writeFile(fx.file, fx.original);
    }
  });

  it('truncations inside a chunk and at a chunk boundary, unencrypted and encrypted', async () => {
    for (const fx of [plain, enc]) {
      for (const length of [
        fx.original.length - 1000,
        HEADER_SIZE + 3 * (CHUNK + TAG_SIZE),
        fx.original.length - 1,
      ]) {
        await writeFile(fx.file, fx.original.subarray(0, length));
        await expectRefusedBeforeWriting(fx, [
          'BACKUP_HASH_MISMATCH',
          'BACKUP_TRUNCATED',
          'BACKUP_CHUNK_AUTH_FAILED',
        ]);
      }
      await writeFile(fx.file, fx.original);
    }
  });

  it('a swapped or a duplicated chunk of an encrypted object', async () => {
    const size = CHUNK + TAG_SIZE;
    const chunk = (i: number) =>
      enc.original.subarray(HEADER_SIZE + i * size, HEADER_SIZE + (i + 1) * size);
    const swapped = Buffer.concat([
      enc.original.subarray(0, HEADER_SIZE + size),
      chunk(2),
      chunk(1),
      enc.original.subarray(HEADER_SIZE + 3 * size),
    ]);
    const duplicated = Buffer.concat([
      enc.original.subarray(0, HEADER_SIZE + 2 * size),
      chunk(1),
      enc.original.subarray(HEADER_SIZE + 2 * size),
    ]);
    for (const bytes of [swapped, duplicated]) {
      await writeFile(enc.file, bytes);
      await expectRefusedBeforeWriting(enc, ['BACKUP_HASH_MISMATCH', 'BACKUP_CHUNK_AUTH_FAILED']);
    }
    await writeFile(enc.file, enc.original);
  });

  it("refuses the manifest or the object of another backup under this backup's name", async () => {
    // two valid backups in one storage, signed with the same key
    const other = await backup(true, enc.dir);
    const ownManifest = await readFile(join(enc.dir, enc.id, 'manifest.json'));
    await cp(join(enc.dir, other.id, 'manifest.json'), join(enc.dir, enc.id, 'manifest.json'));
    await expectRefusedBeforeWriting(enc, ['BACKUP_MANIFEST_MISMATCH']);
    await writeFile(join(enc.dir, enc.id, 'manifest.json'), ownManifest);

    await writeFile(enc.file, other.original);
    await expectRefusedBeforeWriting(enc, ['BACKUP_HASH_MISMATCH']);
    await writeFile(enc.file, enc.original);

    // untouched, both restore
    const target = `bk_tamper_ok_${randomBytes(4).toString('hex')}`;
    try {
      await restoreBackup({
        storage: createLocalStorage(enc.dir),
        id: enc.id,
        key,
        target: databaseUrl(db.current.adminUrl, target),
      });
      expect((await userTables(databaseUrl(db.current.adminUrl, target))).length).toBe(4);
    } finally {
      await dropDatabase(db.current.adminUrl, target);
    }
  });

  it('a deleted part fails restore and verify at once with BackupNotFoundError', async () => {
    const fx = await backup(true);
    await rm(fx.file);
    const storage = createLocalStorage(fx.dir);
    const fresh = `bk_tamper_missing_${randomBytes(4).toString('hex')}`;
    const restoreError = await restoreBackup({
      storage,
      id: fx.id,
      key,
      target: databaseUrl(db.current.adminUrl, fresh),
    }).catch((e: unknown) => e);
    expect(restoreError).toMatchObject({ code: 'BACKUP_NOT_FOUND', name: 'BackupNotFoundError' });
    expect(await databaseExists(db.current.adminUrl, fresh)).toBe(false);
    const verifyError = await verifyBackup({ storage, id: fx.id, key }).catch((e: unknown) => e);
    expect(verifyError).toMatchObject({ code: 'BACKUP_NOT_FOUND' });
    expect(verifyError).toBeInstanceOf(BackupNotFoundError);
  });
});
