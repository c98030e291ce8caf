import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BackupIntegrityError,
  BackupKeyError,
  BackupKeyMissingError,
  BackupKeyWrongError,
  createBackup,
  createLocalStorage,
  HEADER_SIZE,
  type ProgressEvent,
  RestoreTargetNotEmptyError,
  restoreBackup,
  TAG_SIZE,
  verifyBackup,
} from '../src/index.js';
import {
  checksums,
  createDatabase,
  databaseUrl,
  dropDatabase,
  seed,
  sql,
  tempDir,
} from './helpers.js';

const db = useTestDatabase('roundtrip');
const key = { key: randomBytes(32) };

describe('backup → verify → restore round trip (local storage)', () => {
  let dir: string;
  let id: string;
  let source: Record<string, string>;

  beforeAll(async () => {
    await seed(db.current.adminUrl);
    source = await checksums(db.current.adminUrl);
    dir = await tempDir('roundtrip');
  });

  it('creates an encrypted, compressed backup with a complete manifest', async () => {
    const events: ProgressEvent[] = [];
    const result = await createBackup({
      source: db.current.adminUrl,
      storage: createLocalStorage(dir),
      encryption: key,
      supabase: false,
      tags: { env: 'test' },
      onProgress: (e) => events.push(e),
    });
    id = result.id;
    const m = result.manifest;
    expect(m.parts.map((p) => p.name)).toEqual(['database']);
    expect(m.compression.algorithm).toBe('zstd');
    expect(m.encryption).toMatchObject({ algorithm: 'AES-256-GCM-STREAM', kdf: { name: 'none' } });
    expect(m.row_counts).toMatchObject({ mode: 'exact' });
    expect(m.row_counts.tables).toMatchObject({
      'public.customers': 2000,
      'public.orders': 4000,
      'app.events': 2000,
      'public.empty_table': 0,
    });
    expect(m.source).toMatchObject({
      host: '127.0.0.1',
      database: db.current.name,
      server_major: 15,
    });
    expect(m.pg_dump.major).toBe(15);
    expect(m.tags).toEqual({ env: 'test' });
    expect(m.parts[0]!.raw_size).toBeGreaterThan(m.parts[0]!.stored_size);
    const stored = JSON.parse(await readFile(join(dir, id, 'manifest.json'), 'utf8'));
    expect(stored.authentication.algorithm).toBe('HMAC-SHA256');
    expect(JSON.stringify(stored)).not.toContain(db.current.password);
    expect(JSON.stringify(stored)).not.toContain(key.key.toString('hex'));
    const last = events.at(-1)!;
    expect(last).toMatchObject({ phase: 'dump', part: 'database', done: true, etaSeconds: 0 });
    expect(last.bytes).toBe(m.parts[0]!.raw_size);
    expect(last.rate).toBeGreaterThan(0);
  });

  it('verifies by decoding everything, listing the archive and a restore test', async () => {
    const result = await verifyBackup({
      storage: createLocalStorage(dir),
      id,
      key,
      restoreTest: { server: db.current.adminUrl },
    });
    expect(result.manifestAuthentication).toBe('hmac');
    expect(result.parts[0]!.tocEntries).toBeGreaterThan(10);
    expect(result.restoreTest?.rowCounts).toMatchObject({
      mode: 'exact',
      mismatches: [],
      skipped: false,
    });
    // every table of the dump is counted: ours plus the Supabase-like bootstrap's auth/storage tables
    expect(result.restoreTest?.rowCounts.checked).toBeGreaterThanOrEqual(4);
    const scratch = await sql(db.current.adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [
      result.restoreTest!.scratchDatabase,
    ]);
    expect(scratch).toHaveLength(0);
  });

  it('restores into a new database with identical table contents', async () => {
    const target = await createDatabase(db.current.adminUrl, 'rt');
    try {
      const result = await restoreBackup({
        storage: createLocalStorage(dir),
        id,
        key,
        target: target.url,
      });
      expect(result.rowCounts.mismatches).toEqual([]);
      expect(await checksums(target.url)).toEqual(source);
      const [view] = await sql<{ n: string }>(
        target.url,
        'SELECT count(*) AS n FROM public.big_orders',
      );
      expect(Number(view!.n)).toBeGreaterThan(0);
      // the restored sequence continues after the restored rows
      const [next] = await sql<{ id: number }>(
        target.url,
        "INSERT INTO public.customers (name) VALUES ('n') RETURNING id",
      );
      expect(next!.id).toBe(2001);

      // a second restore into the now non-empty target is refused without clean/force
      const refused = await restoreBackup({
        storage: createLocalStorage(dir),
        id,
        key,
        target: target.url,
      }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RestoreTargetNotEmptyError);
      expect((refused as RestoreTargetNotEmptyError).objects).toContain('public.customers');
      // with clean it replaces the objects and matches the source again
      await restoreBackup({
        storage: createLocalStorage(dir),
        id,
        key,
        target: target.url,
        clean: true,
      });
      expect(await checksums(target.url)).toEqual(source);
    } finally {
      await dropDatabase(db.current.adminUrl, target.name);
    }
  });

  it('restores atomically (new database, then swap by rename) and in parallel from a temp file', async () => {
    const target = await createDatabase(db.current.adminUrl, 'atomic');
    try {
      await sql(target.url, 'CREATE TABLE old_stuff (x int); INSERT INTO old_stuff VALUES (1)');
      const result = await restoreBackup({
        storage: createLocalStorage(dir),
        id,
        key,
        target: target.url,
        atomic: true,
        jobs: 2,
      });
      expect(result.previousDatabase).toBeDefined();
      expect(await checksums(target.url)).toEqual(source);
      const old = await sql(
        databaseUrl(db.current.adminUrl, result.previousDatabase!),
        'SELECT x FROM old_stuff',
      );
      expect(old).toEqual([{ x: 1 }]);
      await dropDatabase(db.current.adminUrl, result.previousDatabase!);
    } finally {
      await dropDatabase(db.current.adminUrl, target.name);
    }
  });

  it('gives a typed error for a wrong key', async () => {
    const error = await verifyBackup({
      storage: createLocalStorage(dir),
      id,
      key: { key: randomBytes(32) },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupKeyError);
    expect((error as BackupKeyError).code).toBe('BACKUP_KEY_WRONG');
    expect(BackupKeyWrongError.isInstance(error)).toBe(true);
    expect(BackupKeyMissingError.isInstance(error)).toBe(false);
    const missing = await verifyBackup({ storage: createLocalStorage(dir), id }).catch(
      (e: unknown) => e,
    );
    expect((missing as BackupKeyError).code).toBe('BACKUP_KEY_MISSING');
    expect(missing).toBeInstanceOf(BackupKeyMissingError);
    expect(missing).toMatchObject({ backupId: id });
  });

  it('detects a truncated object and names the chunk of a flipped byte', async () => {
    const copyDir = await tempDir('corrupt');
    const storage = createLocalStorage(copyDir);
    const result = await createBackup({
      source: db.current.adminUrl,
      storage,
      encryption: key,
      supabase: false,
      compression: 'none',
      chunkSizeLog2: 12,
    });
    const part = result.manifest.parts[0]!;
    const file = join(copyDir, ...part.key.split('/'));
    const original = await readFile(file);
    expect(part.stored_size).toBeGreaterThan(HEADER_SIZE + 5 * (4096 + TAG_SIZE));

    await writeFile(file, original.subarray(0, original.length - 1000));
    const truncated = await verifyBackup({ storage, id: result.id, key }).catch((e: unknown) => e);
    expect(truncated).toBeInstanceOf(BackupIntegrityError);

    const flipped = Buffer.from(original);
    const chunk = 3;
    flipped[HEADER_SIZE + chunk * (4096 + TAG_SIZE) + 100]! ^= 0x40;
    await writeFile(file, flipped);
    const error = await verifyBackup({ storage, id: result.id, key }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupIntegrityError);
    expect((error as BackupIntegrityError).chunkIndex).toBe(chunk);
    expect((error as Error).message).toContain('Chunk 3 ');

    // the restore path checks the same way and leaves an atomic target untouched
    const target = await createDatabase(db.current.adminUrl, 'corrupt');
    try {
      const restoreError = await restoreBackup({
        storage,
        id: result.id,
        key,
        target: target.url,
        atomic: true,
      }).catch((e: unknown) => e);
      expect(restoreError).toBeInstanceOf(BackupIntegrityError);
      expect(await sql(target.url, "SELECT 1 FROM pg_tables WHERE schemaname = 'public'")).toEqual(
        [],
      );
      const leftovers = await sql(
        db.current.adminUrl,
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`${target.name}_restoring_%`],
      );
      expect(leftovers).toEqual([]);
    } finally {
      await dropDatabase(db.current.adminUrl, target.name);
    }
  });
});
