import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { executeSql } from '@supaops/pg-connect';
import { applySupabaseBootstrap, type PostgresCluster, startPostgres } from '@supaops/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_SQL } from '../src/wizard/bundled-mounts/db-data.js';
import { JWT_SQL } from '../src/wizard/bundled-mounts/db-jwt.js';
import { LOGS_SQL } from '../src/wizard/bundled-mounts/db-logs.js';
import { POOLER_SQL } from '../src/wizard/bundled-mounts/db-pooler.js';
import { REALTIME_SQL } from '../src/wizard/bundled-mounts/db-realtime.js';
import { ROLES_SQL, SERVICE_ROLES } from '../src/wizard/bundled-mounts/db-roles.js';
import { SUPABASE_DB_SQL } from '../src/wizard/bundled-mounts/db-supabase.js';
import { WEBHOOKS_SQL } from '../src/wizard/bundled-mounts/db-webhooks.js';

/**
 * The db init SQL run as the supabase/postgres image runs the compose's mounts on the first
 * boot: init-scripts (98-webhooks, 99-jwt, 99-roles) with psql -v ON_ERROR_STOP=1 as `postgres`
 * while it is a superuser, then migrations (97-_supabase, 99-logs, 99-pooler, 99-realtime) as
 * supabase_admin, with the db service's env (POSTGRES_PASSWORD, JWT_SECRET, JWT_EXP). A cluster
 * of its own, because the scripts create roles and a database (cluster-wide).
 */

const run = promisify(execFile);
let cluster: PostgresCluster;
let dir: string;
let psql: string;
const BOOT_PASSWORD_ENV = {
  POSTGRES_PASSWORD: 'p0stgresPasswordFromTheEnv',
  JWT_SECRET: 'a-jwt-secret-of-at-least-32-characters!!',
  JWT_EXP: '7200',
};

async function psqlFile(
  name: string,
  sql: string,
  user: string,
  env: Record<string, string> = BOOT_PASSWORD_ENV,
) {
  const file = join(dir, name);
  await writeFile(file, sql);
  return run(
    psql,
    ['-v', 'ON_ERROR_STOP=1', '--no-password', '--no-psqlrc', '-U', user, '-f', file],
    {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        PGHOST: cluster.host,
        PGPORT: String(cluster.port),
        PGDATABASE: 'postgres',
        // the cluster's superuser password; the bootstrap gave postgres the same
        PGPASSWORD: cluster.password,
        ...env,
      },
    },
  );
}

async function boot(env: Record<string, string> = BOOT_PASSWORD_ENV) {
  for (const [name, sql] of [
    ['98-webhooks.sql', WEBHOOKS_SQL],
    ['99-jwt.sql', JWT_SQL],
    ['99-roles.sql', ROLES_SQL],
  ] as const)
    await psqlFile(name, sql, 'postgres', env);
  for (const [name, sql] of [
    ['97-_supabase.sql', SUPABASE_DB_SQL],
    ['99-logs.sql', LOGS_SQL],
    ['99-pooler.sql', POOLER_SQL],
    ['99-realtime.sql', REALTIME_SQL],
  ] as const)
    await psqlFile(name, sql, 'supabase_admin', env);
}

const q = async (sql: string, database = 'postgres') =>
  (await executeSql(cluster.url(database), sql)).rows as Record<string, unknown>[];

beforeAll(async () => {
  cluster = await startPostgres();
  dir = await mkdtemp(join(tmpdir(), 'bundled-sql-'));
  psql = existsSync(join(cluster.binDir, 'psql')) ? join(cluster.binDir, 'psql') : 'psql';
  await applySupabaseBootstrap(cluster.url('postgres'), cluster.password);
  // the image's migrate.sh runs init-scripts while postgres is still a superuser
  await q('ALTER ROLE postgres SUPERUSER');
  await boot();
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the bundled db init SQL on a real PostgreSQL (Supabase-like bootstrap)', () => {
  it('roles.sql: every service role logs in with POSTGRES_PASSWORD, no longer with the old one', async () => {
    for (const role of SERVICE_ROLES) {
      const url = cluster.url('postgres', role);
      const withEnvPassword = new URL(url);
      withEnvPassword.password = BOOT_PASSWORD_ENV.POSTGRES_PASSWORD;
      const rows = await executeSql(withEnvPassword.toString(), 'SELECT current_user AS u');
      expect(rows.rows[0]).toEqual({ u: role });
      const old = new URL(url);
      old.password = cluster.password;
      await expect(executeSql(old.toString(), 'SELECT 1')).rejects.toThrow(/password/);
    }
  });

  it('jwt.sql: the JWT secret and expiry are settings of the database', async () => {
    const u = new URL(cluster.url('postgres', 'authenticator'));
    u.password = BOOT_PASSWORD_ENV.POSTGRES_PASSWORD;
    const { rows } = await executeSql(
      u.toString(),
      "SELECT current_setting('app.settings.jwt_secret') AS secret, current_setting('app.settings.jwt_exp') AS exp",
    );
    expect(rows[0]).toEqual({ secret: BOOT_PASSWORD_ENV.JWT_SECRET, exp: '7200' });
  });

  it('_supabase.sql, logs.sql, pooler.sql, realtime.sql: the database and schemas, owned by supabase_admin', async () => {
    expect(
      await q(
        "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = '_supabase'",
      ),
    ).toEqual([{ owner: 'supabase_admin' }]);
    expect(
      await q(
        "SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname IN ('_analytics', '_supavisor') ORDER BY 1",
        '_supabase',
      ),
    ).toEqual([
      { nspname: '_analytics', owner: 'supabase_admin' },
      { nspname: '_supavisor', owner: 'supabase_admin' },
    ]);
    expect(
      await q(
        "SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = '_realtime'",
      ),
    ).toEqual([{ owner: 'supabase_admin' }]);
  });

  it('webhooks.sql: a trigger on http_request() posts the row through pg_net and logs the request', async () => {
    // pg_net is not installed on this server: webhooks.sql warned and skipped it. A stand-in
    // net.http_post/http_get with pg_net's named parameters records the calls instead.
    expect(await q("SELECT 1 FROM pg_extension WHERE extname = 'pg_net'")).toEqual([]);
    await q(`CREATE SCHEMA net;
      CREATE TABLE net.calls (id bigserial PRIMARY KEY, method text, url text, body jsonb, params jsonb, headers jsonb, timeout_ms int);
      CREATE FUNCTION net.http_post(url text, body jsonb DEFAULT '{}', params jsonb DEFAULT '{}', headers jsonb DEFAULT '{}', timeout_milliseconds int DEFAULT 2000)
        RETURNS bigint LANGUAGE sql AS $$ INSERT INTO net.calls (method, url, body, params, headers, timeout_ms) VALUES ('POST', url, body, params, headers, timeout_milliseconds) RETURNING id $$;
      CREATE FUNCTION net.http_get(url text, params jsonb DEFAULT '{}', headers jsonb DEFAULT '{}', timeout_milliseconds int DEFAULT 2000)
        RETURNS bigint LANGUAGE sql AS $$ INSERT INTO net.calls (method, url, params, headers, timeout_ms) VALUES ('GET', url, params, headers, timeout_milliseconds) RETURNING id $$;
      GRANT USAGE ON SCHEMA net TO supabase_functions_admin;
      GRANT ALL ON ALL TABLES IN SCHEMA net TO supabase_functions_admin;
      GRANT ALL ON ALL SEQUENCES IN SCHEMA net TO supabase_functions_admin;
      CREATE TABLE public.orders (id int PRIMARY KEY, total int);
      CREATE TRIGGER orders_webhook AFTER INSERT OR UPDATE ON public.orders FOR EACH ROW
        EXECUTE FUNCTION supabase_functions.http_request('http://functions:9000/hello', 'POST', '{"Content-Type":"application/json"}', '{}', '1500');
      CREATE TRIGGER orders_ping AFTER DELETE ON public.orders FOR EACH ROW
        EXECUTE FUNCTION supabase_functions.http_request('http://example.test/ping', 'GET', '{}', '{"a":"1"}', '');`);
    await q(
      'INSERT INTO public.orders VALUES (1, 10); UPDATE public.orders SET total = 12; DELETE FROM public.orders',
    );
    const calls = await q(
      'SELECT method, url, body, params, headers, timeout_ms FROM net.calls ORDER BY id',
    );
    expect(calls).toEqual([
      {
        method: 'POST',
        url: 'http://functions:9000/hello',
        body: {
          type: 'INSERT',
          table: 'orders',
          schema: 'public',
          record: { id: 1, total: 10 },
          old_record: null,
        },
        params: {},
        headers: { 'Content-Type': 'application/json' },
        timeout_ms: 1500,
      },
      expect.objectContaining({
        method: 'POST',
        body: expect.objectContaining({
          type: 'UPDATE',
          record: { id: 1, total: 12 },
          old_record: { id: 1, total: 10 },
        }),
      }),
      {
        method: 'GET',
        url: 'http://example.test/ping',
        body: null,
        params: { a: '1' },
        headers: {},
        timeout_ms: 1000,
      },
    ]);
    const hooks = await q(
      "SELECT hook_table_id = 'public.orders'::regclass::oid::int AS same_table, hook_name, request_id FROM supabase_functions.hooks ORDER BY id",
    );
    expect(hooks).toEqual([
      { same_table: true, hook_name: 'orders_webhook', request_id: '1' },
      { same_table: true, hook_name: 'orders_webhook', request_id: '2' },
      { same_table: true, hook_name: 'orders_ping', request_id: '3' },
    ]);
    // the function writes the log as its owner: anon cannot touch it directly
    expect(
      await q(
        "SELECT has_table_privilege('anon', 'supabase_functions.hooks', 'INSERT') AS anon, pg_get_userbyid(proowner) AS owner FROM pg_proc WHERE proname = 'http_request'",
      ),
    ).toEqual([{ anon: false, owner: 'supabase_functions_admin' }]);
  });

  it('runs again without error (idempotent), and stops with a clear error when the env lacks the secret', async () => {
    await boot();
    const noPassword = await psqlFile('roles-again.sql', ROLES_SQL, 'postgres', {
      POSTGRES_PASSWORD: '',
    }).catch((e: { code: number; stderr: string }) => e);
    expect((noPassword as { code: number }).code).toBe(3);
    expect((noPassword as { stderr: string }).stderr).toMatch(
      /POSTGRES_PASSWORD is empty or not set/,
    );
    const noSecret = await psqlFile('jwt-again.sql', JWT_SQL, 'postgres', {
      JWT_EXP: '',
    }).catch((e: { code: number; stderr: string }) => e);
    expect((noSecret as { stderr: string }).stderr).toMatch(/JWT_SECRET is empty or not set/);
    // data.sql has no statement: psql runs it as a no-op
    await psqlFile('data.sql', DATA_SQL, 'postgres');
  });
});
