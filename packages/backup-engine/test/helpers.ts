import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll } from 'vitest';

const created: string[] = [];
// every test file that imports these helpers removes its temp directories at the end
afterAll(async () => {
  for (const dir of created.splice(0)) await rm(dir, { recursive: true, force: true });
});

export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** A few tables with varied types, an FK, a sequence, a view and a second schema. */
export async function seed(url: string, rows = 2000): Promise<void> {
  await sql(
    url,
    `CREATE SCHEMA IF NOT EXISTS app;
     CREATE TABLE public.customers (id serial PRIMARY KEY, name text NOT NULL, data jsonb, created timestamptz DEFAULT now());
     CREATE TABLE public.orders (id bigserial PRIMARY KEY, customer_id int REFERENCES public.customers(id), total numeric(12,2), note text, blob bytea);
     CREATE TABLE app.events (id int PRIMARY KEY, kind text, payload text);
     CREATE TABLE public.empty_table (id int);
     CREATE VIEW public.big_orders AS SELECT * FROM public.orders WHERE total > 500;
     INSERT INTO public.customers (name, data) SELECT 'c' || g, jsonb_build_object('g', g, 'tags', ARRAY['a', md5(g::text)]) FROM generate_series(1, ${rows}) g;
     INSERT INTO public.orders (customer_id, total, note, blob) SELECT 1 + (g % ${rows}), (g * 7.31) % 1000, repeat(md5(g::text), 3), decode(md5(g::text), 'hex') FROM generate_series(1, ${rows * 2}) g;
     INSERT INTO app.events SELECT g, 'k' || (g % 7), md5((g * 3)::text) FROM generate_series(1, ${rows}) g;`,
  );
}

/** Content checksum of every user table: `schema.table` → md5 of all rows in a stable order. */
export async function checksums(
  url: string,
  schemas = ['public', 'app'],
): Promise<Record<string, string>> {
  const tables = await sql<{ s: string; t: string }>(
    url,
    `SELECT schemaname AS s, tablename AS t FROM pg_tables WHERE schemaname = ANY($1) ORDER BY 1, 2`,
    [schemas],
  );
  const out: Record<string, string> = {};
  for (const { s, t } of tables) {
    const [row] = await sql<{ md5: string | null }>(
      url,
      `SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) AS md5 FROM "${s}"."${t}" x`,
    );
    out[`${s}.${t}`] = row?.md5 ?? 'empty';
  }
  return out;
}

export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates an empty database next to the test database; returns its URL. */
export async function createDatabase(
  adminUrl: string,
  label: string,
): Promise<{ name: string; url: string }> {
  const name = `bk_${label}_${randomBytes(4).toString('hex')}`;
  await sql(adminUrl, `CREATE DATABASE ${name} TEMPLATE template0`);
  return { name, url: databaseUrl(adminUrl, name) };
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await sql(databaseUrl(adminUrl, 'postgres'), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `supaops-${prefix}-`));
  created.push(dir);
  return dir;
}
