import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testServer, useTestDatabase } from '@supaops/testkit/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BackupError, createBackup, createLocalStorage, restoreBackup } from '../src/index.js';
import { createDatabase, databaseUrl, dropDatabase, seed, sql, tempDir } from './helpers.js';

const db = useTestDatabase('leftovers');
const key = { key: randomBytes(32) };

/** An event trigger that fails the restore when it creates `table`: a failure mid-way. */
const blockTable = (table: string) => `
  CREATE FUNCTION public.block_restore() RETURNS event_trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() WHERE object_identity = '${table}') THEN
      RAISE EXCEPTION 'blocked by the test';
    END IF;
  END $$;
  CREATE EVENT TRIGGER block_restore ON ddl_command_end EXECUTE FUNCTION public.block_restore();`;

async function userTables(url: string): Promise<string[]> {
  const rows = await sql<{ t: string }>(
    url,
    "SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname IN ('public', 'app') ORDER BY 1",
  );
  return rows.map((r) => r.t);
}

describe('a failed restore leaves nothing behind, and nothing hangs', () => {
  let dir: string;
  let plainId: string;
  let supabaseId: string;

  beforeAll(async () => {
    await seed(db.current.adminUrl, 200);
    await sql(
      db.current.adminUrl,
      `INSERT INTO auth.users (id, email) SELECT gen_random_uuid(), 'u' || g || '@example.com' FROM generate_series(1, 20) g;
       CREATE TABLE public.profiles (id uuid PRIMARY KEY REFERENCES auth.users (id), bio text);
       INSERT INTO public.profiles SELECT id, 'bio' FROM auth.users;`,
    );
    dir = await tempDir('leftovers');
    const storage = createLocalStorage(dir);
    plainId = (
      await createBackup({
        source: db.current.adminUrl,
        storage,
        encryption: key,
        supabase: false,
      })
    ).id;
    supabaseId = (
      await createBackup({ source: db.current.adminUrl, storage, encryption: key, roles: false })
    ).id;
  });

  it('a Supabase restore failing in its database part does not leave the supabase-data part committed', async () => {
    const target = `bk_left_supa_${randomBytes(4).toString('hex')}`;
    await sql(db.current.adminUrl, `CREATE DATABASE ${target} TEMPLATE "${testServer().template}"`);
    const url = databaseUrl(db.current.adminUrl, target);
    try {
      await sql(url, blockTable('public.profiles'));
      const error = (await restoreBackup({
        storage: createLocalStorage(dir),
        id: supabaseId,
        key,
        target: url,
      }).catch((e: unknown) => e)) as BackupError;
      expect(error.message).toContain('blocked by the test');
      expect(error.message).toMatch(/Cleanup: emptied .*auth\.users.* again/);
      expect(await sql(url, 'SELECT 1 FROM auth.users')).toEqual([]);
      expect(await userTables(url)).toEqual([]);
    } finally {
      await dropDatabase(db.current.adminUrl, target);
    }
  });

  it('a parallel restore (no transaction) into an existing empty database leaves it empty', async () => {
    const target = await createDatabase(db.current.adminUrl, 'left_jobs');
    try {
      await sql(target.url, blockTable('public.orders'));
      const error = (await restoreBackup({
        storage: createLocalStorage(dir),
        id: plainId,
        key,
        target: target.url,
        jobs: 2,
      }).catch((e: unknown) => e)) as BackupError;
      expect(error.message).toContain('blocked by the test');
      expect(error.message).toMatch(/Cleanup: dropped \d+ object\(s\)/);
      expect(await userTables(target.url)).toEqual([]);
      expect(await sql(target.url, "SELECT 1 FROM pg_namespace WHERE nspname = 'app'")).toEqual([]);
      // what was there before stays
      expect(
        await sql(target.url, "SELECT 1 FROM pg_event_trigger WHERE evtname = 'block_restore'"),
      ).toHaveLength(1);
    } finally {
      await dropDatabase(db.current.adminUrl, target.name);
    }
  });

  it('a failed restore into a database it created drops that database and says so', async () => {
    const template = await createDatabase(db.current.adminUrl, 'left_tpl');
    const fresh = `bk_left_new_${randomBytes(4).toString('hex')}`;
    try {
      await sql(template.url, blockTable('public.orders'));
      const error = (await restoreBackup({
        storage: createLocalStorage(dir),
        id: plainId,
        key,
        target: databaseUrl(db.current.adminUrl, fresh),
        template: template.name,
      }).catch((e: unknown) => e)) as BackupError;
      expect(error.message).toContain(
        `Cleanup: the database "${fresh}" this restore created was dropped.`,
      );
      expect(
        await sql(db.current.adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [fresh]),
      ).toEqual([]);
    } finally {
      await dropDatabase(db.current.adminUrl, fresh);
      await dropDatabase(db.current.adminUrl, template.name);
    }
  });

  it('with a deleted part, restore and verify fail with BACKUP_NOT_FOUND and the process exits', async () => {
    const copy = await tempDir('left-missing');
    const storage = createLocalStorage(copy);
    const { id, manifest } = await createBackup({
      source: db.current.adminUrl,
      storage,
      encryption: key,
      supabase: false,
    });
    await rm(join(copy, ...manifest.parts[0]!.key.split('/')));
    const fresh = `bk_left_missing_${randomBytes(4).toString('hex')}`;
    const child = spawn(
      process.execPath,
      [
        fileURLToPath(new URL('./fixtures/restore-child.mjs', import.meta.url)),
        JSON.stringify({
          dir: copy,
          id,
          keyHex: key.key.toString('hex'),
          target: databaseUrl(db.current.adminUrl, fresh),
        }),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    // a hang would be the failure: the guard kills the child, whose exit code then is null
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(guard);
    expect(code).toBe(0);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { op: 'restore', ok: false, code: 'BACKUP_NOT_FOUND', name: 'BackupNotFoundError' },
      { op: 'verify', ok: false, code: 'BACKUP_NOT_FOUND', name: 'BackupNotFoundError' },
    ]);
    expect(
      await sql(db.current.adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [fresh]),
    ).toEqual([]);
  });
});
