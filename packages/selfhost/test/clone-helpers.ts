import { executeSql } from '@supaops/pg-connect';
import type { SimulatedStack } from './stack.js';

/** Options that keep a clone fast against the simulators (no real image pulls to wait for). */
export const FAST = { deployPollMs: 5, validateAttempts: 2, validateRetryMs: 5 } as const;

/** Three migrations (a table, a column, another table) a promote or schema sync applies in order. */
export const MIGRATION_FILES: Readonly<Record<string, string>> = {
  '20240101000000_create_todos.sql':
    'create table public.todos (id serial primary key, title text not null);\n',
  '20240102000000_add_done.sql':
    'alter table public.todos add column done boolean not null default false;\n',
  '20240103000000_tags.sql':
    'create table public.tags (id serial primary key, name text unique);\n',
};

/** Runs SQL statements one by one on a test database. */
export async function sql(url: string, ...statements: string[]): Promise<void> {
  for (const s of statements) await executeSql(url, s);
}

/** A number from one `SELECT count(*) …`. */
export async function scalar(url: string, query: string): Promise<number> {
  const { rows } = await executeSql<{ n: string }>(url, query);
  return Number(rows[0]?.n);
}

/** Rows, profiles tied to auth.users, an orders table: what a small Supabase project holds. */
export async function seedProject(url: string, users = 20, orders = 500): Promise<void> {
  await sql(
    url,
    `INSERT INTO auth.users (id, email) SELECT gen_random_uuid(), 'u' || g || '@example.com' FROM generate_series(1, ${users}) g`,
    'CREATE TABLE public.profiles (id uuid PRIMARY KEY REFERENCES auth.users (id), bio text)',
    `INSERT INTO public.profiles SELECT id, 'bio of ' || email FROM auth.users`,
    'CREATE TABLE public.orders (id int PRIMARY KEY, total numeric NOT NULL)',
    `INSERT INTO public.orders SELECT g, g * 1.5 FROM generate_series(1, ${orders}) g`,
    "INSERT INTO storage.buckets (id, name) VALUES ('avatars', 'avatars')",
  );
}

/** Successful calls of one Dokploy procedure the simulator saw. */
export const calls = (s: SimulatedStack, procedure: string) =>
  s.sim.requests.filter((r) => r.procedure === procedure && r.status < 300).length;
