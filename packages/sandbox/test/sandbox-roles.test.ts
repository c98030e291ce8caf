import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { freshHome, query, sqlState } from './helpers.js';

const fresh = freshHome();
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ env: fresh.env });
  await query(
    sandbox.url(),
    "INSERT INTO auth.users (id, email, aud, role) VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com', 'authenticated', 'authenticated')",
  );
});
afterAll(() => fresh.cleanup());

async function asRole(role: string, sql: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: sandbox.url('postgres', 'authenticator') });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL ROLE ${role}`);
    return await sqlState(client.query(sql));
  } finally {
    await client.end();
  }
}

describe('the Supabase-like roles of the sandbox, as in the test kit', () => {
  it('denies anon and authenticated a read of auth.users (42501)', async () => {
    expect(await asRole('anon', 'SELECT * FROM auth.users')).toBe('42501');
    expect(await asRole('authenticated', 'SELECT * FROM auth.users')).toBe('42501');
  });

  it('makes supabase_admin the superuser and postgres a privileged non-superuser', async () => {
    const rows = await query<{ rolname: string; rolsuper: boolean }>(
      sandbox.url('postgres', 'postgres'),
      "SELECT rolname, rolsuper FROM pg_roles WHERE rolname IN ('supabase_admin', 'postgres') ORDER BY 1",
    );
    expect(rows).toEqual([
      { rolname: 'postgres', rolsuper: false },
      { rolname: 'supabase_admin', rolsuper: true },
    ]);
    expect(
      await query(sandbox.url('postgres', 'postgres'), 'SELECT count(*)::int AS n FROM auth.users'),
    ).toEqual([{ n: 1 }]);
  });

  it('reports the Supabase extensions it has and the ones it cannot have, truthfully', async () => {
    const { available, missing } = sandbox.extensions!;
    expect(available).toContain('pgcrypto');
    expect(available).toContain('uuid-ossp');
    expect(missing).toContain('pg_graphql');
    const here = await query<{ name: string }>(
      sandbox.url(),
      'SELECT name FROM pg_available_extensions WHERE name = ANY($1)',
      [[...available, ...missing]],
    );
    expect(here.map((r) => r.name).sort()).toEqual([...available].sort());
    await query(sandbox.url(), 'CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions');
    expect(await sqlState(query(sandbox.url(), 'CREATE EXTENSION pg_graphql'))).toBe('0A000');
  });
});
