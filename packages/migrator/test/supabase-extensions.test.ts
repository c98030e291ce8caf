import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator, MigrationFailedError } from '../src/index.js';
import { query, tempDir } from './helpers.js';

// No grantCreateToPostgres here: the test kit's databases are owned by postgres, as on the image.
const db = useTestDatabase('migrator_ext');
const dirs: { cleanup(): void }[] = [];
afterAll(() => {
  for (const d of dirs) d.cleanup();
});

let availableHere = new Set<string>();
beforeAll(async () => {
  const rows = await query<{ name: string }>(
    db.current.adminUrl,
    'SELECT name FROM pg_available_extensions',
  );
  availableHere = new Set(rows.map((r) => r.name));
});

function migratorFor(files: Record<string, string>, user = 'postgres') {
  const d = tempDir(files);
  dirs.push(d);
  return createMigrator({ connection: db.current.url(user), dir: d.dir });
}

// What real Supabase migration folders do with the image's extensions and privileges.
const folder = {
  '20240101000000_extensions.sql': `
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;
alter default privileges in schema public grant select on tables to anon;
alter default privileges in schema public revoke all on tables from anon;
alter default privileges in schema public grant select, insert on tables to anon;
`,
  '20240102000000_tables.sql': `
create table public.api_keys (
  id uuid primary key default uuid_generate_v4(),
  secret bytea not null default gen_random_bytes(32),
  hashed text not null default extensions.crypt('pw', extensions.gen_salt('bf')),
  other uuid not null default extensions.uuid_generate_v4()
);
create function public.new_token() returns text language sql as $$
  select encode(extensions.digest(gen_random_bytes(16), 'sha256'), 'hex')
$$;
insert into public.api_keys default values;
`,
};

describe('a Supabase migration folder on the Supabase-like bootstrap', () => {
  it('applies cleanly as postgres: extensions in `extensions`, unqualified and qualified calls, default privileges', async () => {
    const report = await migratorFor(folder).up();
    expect(report.ok).toBe(true);
    expect(report.files.map((f) => f.status)).toEqual(['applied', 'applied']);

    const [row] = await query<{ id: string; n: number; ok: boolean }>(
      db.current.url('postgres'),
      "SELECT id::text, length(secret) AS n, hashed = extensions.crypt('pw', hashed) AS ok FROM public.api_keys",
    );
    expect(row).toMatchObject({ n: 32, ok: true });
    expect(row?.id).toMatch(/^[0-9a-f-]{36}$/);

    // the migration's own default privileges and the image's: anon may insert but not delete
    const privileges = await query<{ privilege_type: string }>(
      db.current.adminUrl,
      "SELECT privilege_type FROM information_schema.role_table_grants WHERE table_name = 'api_keys' AND grantee = 'anon' ORDER BY 1",
    );
    expect(privileges.map((p) => p.privilege_type)).toEqual(['INSERT', 'SELECT']);
    const service = await query<{ n: number }>(
      db.current.adminUrl,
      "SELECT count(*)::int AS n FROM information_schema.role_table_grants WHERE table_name = 'api_keys' AND grantee = 'service_role'",
    );
    expect(service[0]?.n).toBe(7);
    const exec = await query<{ ok: boolean }>(
      db.current.adminUrl,
      "SELECT has_function_privilege('authenticated', 'public.new_token()', 'EXECUTE') AS ok",
    );
    expect(exec[0]?.ok).toBe(true);
  });

  it('fails on an extension this server cannot have, naming it and the fix', async () => {
    const migrator = migratorFor({
      ...folder,
      '20240103000000_webhooks.sql': 'create extension if not exists pg_net;\n',
    });
    const error = await migrator.up().catch((e: unknown) => e);
    expect(MigrationFailedError.isInstance(error)).toBe(true);
    const failed = error as MigrationFailedError;
    expect(failed.details.sqlstate).toBe('0A000');
    expect(failed.details.missingExtension?.name).toBe('pg_net');
    expect(failed.message).toContain('pg_net is not available on this server');
    expect(failed.message).toContain('the supabase/postgres image has it');
    expect(failed.message).toContain('run against a Supabase image');
  });

  it('traces a type of an extension the database lacks to that extension', async () => {
    const migrator = migratorFor({
      ...folder,
      '20240104000000_embeddings.sql': 'create table public.docs (embedding vector(3));\n',
    });
    const error = (await migrator.up().catch((e: unknown) => e)) as MigrationFailedError;
    expect(error.details.sqlstate).toBe('42704');
    expect(error.details.missingExtension?.name).toBe('vector');
    expect(error.message).toContain('CREATE EXTENSION IF NOT EXISTS vector');
  });

  // Debian's postgresql-15-cron and -postgis-3 (installed by .ci/run); absent on the embedded binaries
  it('explains pg_cron outside its database and postgis for a non-superuser, where the server has them', async (ctx) => {
    if (!availableHere.has('pg_cron') || !availableHere.has('postgis')) {
      ctx.skip('pg_cron or postgis is not installed on this server');
    }
    const cron = (await migratorFor(
      { ...folder, '20240105000000_cron.sql': 'create extension if not exists pg_cron;\n' },
      'supabase_admin',
    )
      .up()
      .catch((e: unknown) => e)) as MigrationFailedError;
    expect(cron.details.missingExtension?.name).toBe('pg_cron');
    expect(cron.message).toContain('cron.database_name (postgres)');
    const postgis = (await migratorFor({
      ...folder,
      '20240106000000_geo.sql': 'create extension if not exists postgis with schema extensions;\n',
    })
      .up()
      .catch((e: unknown) => e)) as MigrationFailedError;
    expect(postgis.details.sqlstate).toBe('42501');
    expect(postgis.message).toContain('apply this migration as supabase_admin');
  });
});
