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
});
