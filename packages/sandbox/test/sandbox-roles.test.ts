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

  it('has the image extensions in `extensions` and its search path, so unqualified calls resolve', async () => {
    const [row] = await query<{ id: string; n: number; owner: string }>(
      sandbox.url('postgres', 'postgres'),
      `SELECT uuid_generate_v4()::text AS id, length(gen_random_bytes(16)) AS n,
              (SELECT datdba::regrole::text FROM pg_database WHERE datname = 'postgres') AS owner`,
    );
    expect(row).toMatchObject({ n: 16, owner: 'postgres' });
  });

  it('preloads the libraries of the image it has', async () => {
    const [setting] = await query<{ shared_preload_libraries: string }>(
      sandbox.url(),
      'SHOW shared_preload_libraries',
    );
    const libs = setting!.shared_preload_libraries.split(',');
    // both Debian's contrib and the embedded binaries carry pg_stat_statements
    expect(libs).toContain('pg_stat_statements');
    expect(libs.includes('pg_cron')).toBe(sandbox.extensions!.available.includes('pg_cron'));
  });

  // Debian's postgresql-15-cron (installed by .ci/run); the embedded binaries lack it
  it('lets supabase_admin create pg_cron in postgres and schedule a job, where installed', async (ctx) => {
    if (!sandbox.extensions!.available.includes('pg_cron')) ctx.skip('pg_cron is not installed');
    await query(sandbox.url(), 'CREATE EXTENSION IF NOT EXISTS pg_cron');
    const jobs = await query<{ jobid: string }>(
      sandbox.url(),
      "SELECT cron.schedule('nightly', '0 3 * * *', 'SELECT 1')::text AS jobid",
    );
    expect(jobs).toHaveLength(1);
  });
});
