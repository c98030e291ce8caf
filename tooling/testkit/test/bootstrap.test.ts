import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../src/vitest.js';

const db = useTestDatabase('bootstrap');

async function as<T>(user: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: db.current.url(user) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function sqlState(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('Supabase-like bootstrap', () => {
  beforeAll(async () => {
    await as('supabase_admin', (c) =>
      c.query(
        "INSERT INTO auth.users (id, email, aud, role) VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com', 'authenticated', 'authenticated')",
      ),
    );
  });
  afterAll(() => undefined);

  it('creates every Supabase role', async () => {
    const { rows } = await as('postgres', (c) =>
      c.query<{ rolname: string }>('SELECT rolname FROM pg_roles ORDER BY rolname'),
    );
    const names = rows.map((r) => r.rolname);
    for (const role of [
      'anon',
      'authenticated',
      'service_role',
      'authenticator',
      'supabase_admin',
      'supabase_auth_admin',
      'supabase_storage_admin',
      'dashboard_user',
      'pgbouncer',
      'postgres',
    ]) {
      expect(names).toContain(role);
    }
  });

  it('makes supabase_admin the superuser and postgres a non-superuser, as the real image does', async () => {
    const { rows } = await as('postgres', (c) =>
      c.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>(
        "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname IN ('supabase_admin','postgres','service_role') ORDER BY rolname",
      ),
    );
    expect(rows).toEqual([
      { rolname: 'postgres', rolsuper: false, rolbypassrls: true },
      { rolname: 'service_role', rolsuper: false, rolbypassrls: true },
      { rolname: 'supabase_admin', rolsuper: true, rolbypassrls: true },
    ]);
  });

  it('gives auth tables GoTrue column names and supabase_auth_admin as owner', async () => {
    const { rows } = await as('postgres', (c) =>
      c.query<{ tablename: string; tableowner: string }>(
        "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'auth' ORDER BY tablename",
      ),
    );
    expect(rows).toEqual([
      { tablename: 'identities', tableowner: 'supabase_auth_admin' },
      { tablename: 'refresh_tokens', tableowner: 'supabase_auth_admin' },
      { tablename: 'sessions', tableowner: 'supabase_auth_admin' },
      { tablename: 'users', tableowner: 'supabase_auth_admin' },
    ]);
    const columns = await as('postgres', (c) =>
      c.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'auth' AND table_name = 'users'",
      ),
    );
    const names = columns.rows.map((r) => r.column_name);
    for (const column of [
      'instance_id',
      'encrypted_password',
      'raw_user_meta_data',
      'email_confirmed_at',
      'is_anonymous',
    ]) {
      expect(names).toContain(column);
    }
    const storage = await as('postgres', (c) =>
      c.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'storage' ORDER BY 1",
      ),
    );
    expect(storage.rows.map((r) => r.tablename)).toEqual(['buckets', 'objects']);
  });

  it('denies anon and authenticated any read of auth.users (42501), as in production', async () => {
    for (const role of ['anon', 'authenticated']) {
      const code = await as('authenticator', async (c) => {
        await c.query('BEGIN');
        await c.query(`SET LOCAL ROLE ${role}`);
        const state = await sqlState(c.query('SELECT * FROM auth.users'));
        await c.query('ROLLBACK');
        return state;
      });
      expect(code).toBe('42501');
    }
  });

  it('lets postgres read auth.users but not alter it ("must be owner")', async () => {
    const count = await as('postgres', (c) =>
      c.query<{ n: string }>('SELECT count(*) AS n FROM auth.users'),
    );
    expect(count.rows[0]!.n).toBe('1');
    const code = await as('postgres', (c) =>
      sqlState(c.query('ALTER TABLE auth.users ADD COLUMN x int')),
    );
    expect(code).toBe('42501');
  });

  it('lets the auth admin work on its own tables', async () => {
    const { rows } = await as('supabase_auth_admin', (c) =>
      c.query<{ email: string }>('SELECT email FROM users'),
    );
    expect(rows).toEqual([{ email: 'a@example.com' }]);
  });

  it('gives API roles the default privileges on new public tables', async () => {
    await as('postgres', (c) =>
      c.query('CREATE TABLE public.notes (id int primary key, body text)'),
    );
    const rows = await as('authenticator', async (c) => {
      await c.query('BEGIN');
      await c.query('SET LOCAL ROLE anon');
      await c.query("INSERT INTO public.notes VALUES (1, 'hi')");
      const result = await c.query('SELECT body FROM public.notes');
      await c.query('ROLLBACK');
      return result.rows;
    });
    expect(rows).toEqual([{ body: 'hi' }]);
  });

  it('has the supabase_migrations and extensions schemas', async () => {
    const { rows } = await as('postgres', (c) =>
      c.query<{ nspname: string }>(
        "SELECT nspname FROM pg_namespace WHERE nspname IN ('supabase_migrations','extensions','storage','auth') ORDER BY 1",
      ),
    );
    expect(rows.map((r) => r.nspname)).toEqual([
      'auth',
      'extensions',
      'storage',
      'supabase_migrations',
    ]);
  });

  it('owns the database and public as the image does: postgres through pg_database_owner', async () => {
    const [row] = await as('postgres', (c) =>
      c.query<{ db: string; public: string; extensions: string }>(
        `SELECT (SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()) AS db,
                (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'public') AS public,
                (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'extensions') AS extensions`,
      ),
    ).then((r) => r.rows);
    expect(row).toEqual({ db: 'postgres', public: 'pg_database_owner', extensions: 'postgres' });
    // the schema privileges supabase/postgres checks in migrations/tests/database/privs.sql
    const { rows } = await as('postgres', (c) =>
      c.query<{ role: string; create: boolean; usage: boolean }>(
        `SELECT r AS role, has_schema_privilege(r, s, 'CREATE') AS create, has_schema_privilege(r, s, 'USAGE') AS usage
           FROM unnest(ARRAY['postgres','anon','authenticated','service_role']) r,
                unnest(ARRAY['public','extensions']) s ORDER BY s, r`,
      ),
    );
    expect(rows.filter((r) => r.create).map((r) => r.role)).toEqual(['postgres', 'postgres']);
    expect(rows.every((r) => r.usage)).toBe(true);
  });

  it('has uuid-ossp and pgcrypto in extensions, owned by postgres, on the search path', async () => {
    const { rows } = await as('postgres', (c) =>
      c.query<{ extname: string; owner: string; schema: string }>(
        `SELECT extname, extowner::regrole::text AS owner, extnamespace::regnamespace::text AS schema
           FROM pg_extension WHERE extname IN ('uuid-ossp', 'pgcrypto') ORDER BY 1`,
      ),
    );
    expect(rows).toEqual([
      { extname: 'pgcrypto', owner: 'postgres', schema: 'extensions' },
      { extname: 'uuid-ossp', owner: 'postgres', schema: 'extensions' },
    ]);
    const paths = await Promise.all(
      ['postgres', 'supabase_admin'].map((user) =>
        as(user, (c) => c.query<{ search_path: string }>('SHOW search_path')).then(
          (r) => r.rows[0]!.search_path,
        ),
      ),
    );
    expect(paths).toEqual(['"$user", public, extensions', '"$user", public, auth, extensions']);
    const [call] = await as('postgres', (c) =>
      c.query<{ id: string; n: number }>(
        'SELECT uuid_generate_v4()::text AS id, length(gen_random_bytes(8)) AS n',
      ),
    ).then((r) => r.rows);
    expect(call!.n).toBe(8);
    // postgres may drop and re-create them (a pg_restore --clean does), as on the image
    await as('postgres', async (c) => {
      await c.query('BEGIN');
      await c.query('DROP EXTENSION "uuid-ossp"');
      await c.query('CREATE EXTENSION "uuid-ossp" WITH SCHEMA extensions');
      await c.query('ROLLBACK');
    });
  });

  it('grants what postgres and supabase_admin create in public to the API roles', async () => {
    await as('postgres', (c) =>
      c.query(
        'CREATE SEQUENCE public.ticket_seq; CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$',
      ),
    );
    await as('supabase_admin', (c) => c.query('CREATE TABLE public.admin_made (id int)'));
    const { rows } = await as('postgres', (c) =>
      c.query<{ role: string; seq: boolean; fn: boolean; tbl: boolean }>(
        `SELECT r AS role, has_sequence_privilege(r, 'public.ticket_seq', 'USAGE') AS seq,
                has_function_privilege(r, 'public.f()', 'EXECUTE') AS fn,
                has_table_privilege(r, 'public.admin_made', 'INSERT,SELECT,UPDATE,DELETE') AS tbl
           FROM unnest(ARRAY['postgres','anon','authenticated','service_role']) r ORDER BY 1`,
      ),
    );
    expect(rows.every((r) => r.seq && r.fn && r.tbl)).toBe(true);
    expect(rows).toHaveLength(4);
  });
});
