import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BackupAbortedError,
  BackupNotFoundError,
  BackupValidationError,
  createBackup,
  createLocalStorage,
  PgToolVersionError,
  RestoreError,
  restoreBackup,
  verifyBackup,
} from '../src/index.js';
import { checksums, createDatabase, dropDatabase, seed, sql, tempDir } from './helpers.js';

const db = useTestDatabase('options');

describe('backup options and failure paths', () => {
  beforeAll(async () => {
    await seed(db.current.adminUrl, 300);
  });

  it('filters schemas and tables, and takes estimated counts', async () => {
    const storage = createLocalStorage(await tempDir('filters'));
    const { manifest } = await createBackup({
      source: db.current.adminUrl,
      storage,
      encryption: { passphrase: 'filter passphrase', scrypt: { logN: 10 } },
      supabase: false,
      includeSchemas: ['public'],
      excludeTables: ['public.orders', 'public.big_*'],
      rowCounts: 'estimated',
      compression: 'gzip',
    });
    expect(Object.keys(manifest.row_counts.tables).sort()).toEqual([
      'public.customers',
      'public.empty_table',
    ]);
    expect(manifest.row_counts.mode).toBe('estimated');
    expect(manifest.parts[0]!.key).toMatch(/database\.dump\.gz\.enc$/);
    const verified = await verifyBackup({
      storage,
      id: manifest.id,
      key: { passphrase: 'filter passphrase' },
      listContents: false,
      markVerified: false,
    });
    expect(verified.parts[0]!.tocEntries).toBeUndefined();
    expect(await storage.head(`${manifest.id}/verified.json`)).toBeUndefined();

    const target = await createDatabase(db.current.adminUrl, 'filtered');
    try {
      const result = await restoreBackup({
        storage,
        id: manifest.id,
        key: { passphrase: 'filter passphrase' },
        target: target.url,
        noOwner: true,
        noPrivileges: true,
      });
      expect(result.rowCounts).toMatchObject({ mode: 'estimated', skipped: true });
      const tables = await sql<{ t: string }>(
        target.url,
        "SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
      );
      expect(tables.map((r) => r.t)).toEqual(['public.customers', 'public.empty_table']);
    } finally {
      await dropDatabase(db.current.adminUrl, target.name);
    }
  });

  it('schema-only and data-only backups compose into a full restore; a mismatch in row counts is reported', async () => {
    const storage = createLocalStorage(await tempDir('split'));
    const schema = await createBackup({
      source: db.current.adminUrl,
      storage,
      encryption: false,
      supabase: false,
      schemaOnly: true,
    });
    expect(schema.manifest.row_counts).toEqual({ mode: 'none', tables: {} });
    const data = await createBackup({
      source: db.current.adminUrl,
      storage,
      encryption: false,
      supabase: false,
      dataOnly: true,
    });
    const target = await createDatabase(db.current.adminUrl, 'split');
    try {
      await restoreBackup({ storage, id: schema.id, target: target.url });
      await restoreBackup({ storage, id: data.id, target: target.url, force: true });
      expect(await checksums(target.url)).toEqual(await checksums(db.current.adminUrl));
      // the same data again doubles some tables: the post-restore check says which
      await sql(target.url, 'ALTER TABLE app.events DROP CONSTRAINT events_pkey');
      await sql(target.url, 'TRUNCATE public.orders, public.customers');
      const error = await restoreBackup({
        storage,
        id: data.id,
        target: target.url,
        force: true,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RestoreError);
      expect((error as RestoreError).code).toBe('RESTORE_ROW_COUNT_MISMATCH');
      expect((error as Error).message).toContain('app.events expected 300, found 600');
      const skipped = await restoreBackup({
        storage,
        id: schema.id,
        target: target.url,
        clean: true,
        verifyRowCounts: false,
      });
      expect(skipped.rowCounts.skipped).toBe(true);
    } finally {
      await dropDatabase(db.current.adminUrl, target.name);
    }
  });

  it('creates a missing target database, and refuses unreachable servers and unknown backups', async () => {
    const storage = createLocalStorage(await tempDir('missing'));
    const { id } = await createBackup({
      source: db.current.adminUrl,
      storage,
      encryption: false,
      supabase: false,
      includeSchemas: ['app'],
    });
    const name = `bk_created_${Date.now()}`;
    const url = new URL(db.current.adminUrl);
    url.pathname = `/${name}`;
    try {
      await restoreBackup({ storage, id, target: url.toString() });
      expect(await sql(url.toString(), 'SELECT count(*)::int AS n FROM app.events')).toEqual([
        { n: 300 },
      ]);
    } finally {
      await dropDatabase(db.current.adminUrl, name);
    }
    const unreachable = new URL(db.current.adminUrl);
    unreachable.port = '1';
    const error = await restoreBackup({ storage, id, target: unreachable.toString() }).catch(
      (e: unknown) => e,
    );
    expect((error as RestoreError).code).toBe('PG_UNREACHABLE');
    expect((error as Error).message).not.toContain(db.current.password);
    await expect(
      restoreBackup({ storage, id: 'no-such-backup', target: db.current.adminUrl }),
    ).rejects.toBeInstanceOf(BackupNotFoundError);
    const sourceError = await createBackup({
      source: unreachable.toString(),
      storage,
      encryption: false,
    }).catch((e: unknown) => e);
    expect((sourceError as RestoreError).code).toBe('PG_UNREACHABLE');
  });

  it('names the pg_dump major needed when the found pg_dump is too old', async () => {
    const dir = await tempDir('old-pg');
    await writeFile(join(dir, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 14.9"\n');
    await chmod(join(dir, 'pg_dump'), 0o755);
    const error = await createBackup({
      source: db.current.adminUrl,
      storage: createLocalStorage(await tempDir('old')),
      encryption: false,
      pgBin: dir,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgToolVersionError);
    expect((error as PgToolVersionError).requiredMajor).toBe(15);
    expect((error as Error).message).toContain('pg_dump 15 or newer is needed');
  });

  it('validates options and honours an already-aborted signal', async () => {
    const storage = createLocalStorage(await tempDir('validate'));
    await expect(
      createBackup({ source: 'mysql://x', storage, encryption: false } as never),
    ).rejects.toBeInstanceOf(BackupValidationError);
    await expect(
      createBackup({
        source: db.current.adminUrl,
        storage,
        encryption: false,
        schemaOnly: true,
        dataOnly: true,
      }),
    ).rejects.toBeInstanceOf(BackupValidationError);
    await expect(
      restoreBackup({ storage, id: '../etc', target: db.current.adminUrl }),
    ).rejects.toBeInstanceOf(BackupValidationError);
    const controller = new AbortController();
    controller.abort();
    const error = await createBackup({
      source: db.current.adminUrl,
      storage,
      encryption: false,
      supabase: false,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupAbortedError);
    expect(await storage.list()).toEqual([]);
  });
});
