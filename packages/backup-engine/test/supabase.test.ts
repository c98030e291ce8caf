import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { testServer, useTestDatabase } from '@supaops/testkit/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createBackup,
  createDecompressor,
  createDecryptTransform,
  createLocalStorage,
  restoreBackup,
  verifyBackup,
} from '../src/index.js';
import { checksums, databaseUrl, dropDatabase, sql, tempDir } from './helpers.js';

const db = useTestDatabase('supabase');
const key = { passphrase: 'a test passphrase', scrypt: { logN: 12 } };

describe('Supabase-aware backups', () => {
  beforeAll(async () => {
    await sql(
      db.current.adminUrl,
      `INSERT INTO auth.users (id, email) SELECT gen_random_uuid(), 'u' || g || '@example.com' FROM generate_series(1, 50) g;
       INSERT INTO storage.buckets (id, name) VALUES ('avatars', 'avatars');
       INSERT INTO storage.objects (bucket_id, name) VALUES ('avatars', 'a/b.png'), ('avatars', 'c.png');
       CREATE TABLE public.profiles (id uuid PRIMARY KEY REFERENCES auth.users (id), bio text);
       INSERT INTO public.profiles SELECT id, 'bio of ' || email FROM auth.users;
       GRANT ALL ON public.profiles TO postgres;
       DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_reader') THEN CREATE ROLE app_reader NOLOGIN; END IF; END $$;`,
    );
  });

  it('excludes managed schemas, keeps auth/storage data and roles apart, and restores into a fresh Supabase database', async () => {
    const dir = await tempDir('supabase');
    const storage = createLocalStorage(dir);
    // as `postgres`, the non-superuser a Supabase operator has
    const { id, manifest, warnings } = await createBackup({
      source: db.current.url('postgres'),
      storage,
      encryption: key,
    });
    // `postgres` may read auth's tables but not this sequence, which pg_dump would dump with its table
    expect(warnings).toEqual([
      'supabase-data: auth.refresh_tokens_id_seq left out (permission denied: no SELECT privilege for postgres)',
      'supabase-data: auth.refresh_tokens left out (permission denied: postgres may not read its sequence auth.refresh_tokens_id_seq)',
    ]);
    expect(manifest.source.supabase).toBe(true);
    expect(manifest.encryption?.kdf).toMatchObject({ name: 'scrypt', logN: 12 });
    expect(manifest.parts.map((p) => p.name)).toEqual(['database', 'supabase-data', 'roles']);
    expect(manifest.options.exclude_schemas).toEqual(
      expect.arrayContaining(['auth', 'storage', 'extensions']),
    );
    expect(manifest.row_counts.tables).toMatchObject({
      'public.profiles': 50,
      'auth.users': 50,
      'storage.objects': 2,
    });
    expect(Object.keys(manifest.row_counts.tables)).not.toContain(
      'supabase_migrations.schema_migrations',
    );

    // the roles part is SQL with the platform's reserved roles commented out
    const roles = manifest.parts.find((p) => p.name === 'roles')!;
    const chunks: Buffer[] = [];
    const decrypt = createDecryptTransform({ key });
    const gunzip = createDecompressor(manifest.compression.algorithm);
    gunzip.on('data', (c: Buffer) => chunks.push(c));
    await pipeline(createReadStream(join(dir, ...roles.key.split('/'))), decrypt, gunzip);
    const rolesSql = Buffer.concat(chunks).toString('utf8');
    expect(rolesSql).toMatch(/^CREATE ROLE app_reader;/m);
    expect(rolesSql).toMatch(/^-- CREATE ROLE anon;/m);
    expect(rolesSql).not.toMatch(/^CREATE ROLE authenticator;/m);
    expect(rolesSql).not.toContain('PASSWORD');

    const verified = await verifyBackup({
      storage,
      id,
      key,
      restoreTest: { server: db.current.adminUrl, template: testServer().template },
    });
    expect(verified.restoreTest?.rowCounts).toMatchObject({ mismatches: [], skipped: false });

    // a fresh Supabase-like database: the platform schemas exist, empty
    const fresh = `bk_supa_${randomBytes(4).toString('hex')}`;
    await sql(
      db.current.adminUrl,
      `CREATE DATABASE ${fresh} TEMPLATE "${testServer().template}" OWNER postgres`,
    );
    const target = new URL(databaseUrl(db.current.url('postgres'), fresh)).toString();
    // a Supabase-initialised template the restoring role (postgres) owns, so it may copy it
    const ownTemplate = `bk_supa_tpl_${randomBytes(4).toString('hex')}`;
    await sql(
      db.current.adminUrl,
      `CREATE DATABASE ${ownTemplate} TEMPLATE "${testServer().template}" OWNER postgres`,
    );
    try {
      const result = await restoreBackup({ storage, id, key, target, noOwner: true });
      expect(result.rowCounts.mismatches).toEqual([]);
      // supabase_admin's default privileges exist on the target already; postgres may not set them
      expect(result.skippedEntries.length).toBeGreaterThan(0);
      expect(
        result.skippedEntries.every(
          (e) => e.includes('DEFAULT ACL') && e.endsWith('supabase_admin'),
        ),
      ).toBe(true);
      expect(result.rowCounts.checked).toBe(Object.keys(manifest.row_counts.tables).length);
      const tables = ['public', 'auth', 'storage'];
      expect(await checksums(target, tables)).toEqual(await checksums(db.current.adminUrl, tables));

      // atomic: a new database from the Supabase template, then swapped in
      const atomic = await restoreBackup({
        storage,
        id,
        key,
        target,
        noOwner: true,
        atomic: true,
        dropPrevious: true,
        template: ownTemplate,
      });
      expect(atomic.previousDatabase).toBeUndefined();
      expect(await checksums(target, tables)).toEqual(await checksums(db.current.adminUrl, tables));

      // the managed tables now have rows: a second restore is refused
      const again = await restoreBackup({ storage, id, key, target, noOwner: true }).catch(
        (e: unknown) => e,
      );
      expect(again).toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY' });
      // clean truncates the managed tables it fills and recreates the user objects
      await restoreBackup({ storage, id, key, target, noOwner: true, clean: true });
      expect(await checksums(target, tables)).toEqual(await checksums(db.current.adminUrl, tables));
    } finally {
      await dropDatabase(db.current.adminUrl, fresh);
      await dropDatabase(db.current.adminUrl, ownTemplate);
    }
  });

  it('records a permission-denied optional part as a warning', async () => {
    await sql(
      db.current.adminUrl,
      `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'limited_backup') THEN
         EXECUTE format('CREATE ROLE limited_backup LOGIN PASSWORD %L', '${db.current.password}'); END IF; END $$;
       GRANT SELECT ON ALL TABLES IN SCHEMA public TO limited_backup;
       GRANT USAGE ON SCHEMA auth, storage TO limited_backup;`,
    );
    const storage = createLocalStorage(await tempDir('limited'));
    const { manifest, warnings } = await createBackup({
      source: db.current.url('limited_backup'),
      storage,
      encryption: false,
      roles: false,
    });
    expect(manifest.parts.map((p) => p.name)).toEqual(['database']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^supabase-data part skipped \(permission denied\)/);
    expect(manifest.warnings).toEqual(warnings);
    const result = await verifyBackup({ storage, id: manifest.id });
    expect(result.manifestAuthentication).toBe('sha256');
  });
});
