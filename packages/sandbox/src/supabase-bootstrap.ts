import { readFileSync } from 'node:fs';
import pg from 'pg';
import { z } from 'zod';
import { validate } from './errors.js';

const sqlUrl = new URL('../sql/supabase-bootstrap.sql', import.meta.url);

/** The Supabase-like bootstrap SQL: an approximation of the real image, see the file header. */
export function supabaseBootstrapSql(): string {
  return readFileSync(sqlUrl, 'utf8');
}

const argsSchema = z.object({ url: z.string().min(1), password: z.string().min(1) });

/**
 * Applies the bootstrap to one database; every login role gets `password`. Roles are
 * cluster-wide, so concurrent runs on a shared server serialize on an advisory lock.
 */
export async function applySupabaseBootstrap(url: string, password: string): Promise<void> {
  validate(argsSchema, { url, password }, 'applySupabaseBootstrap arguments');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // the testkit's old key: a testkit of an older checkout on the same server still serializes
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['supaops-testkit-bootstrap']);
    await client.query('SELECT set_config($1, $2, false)', [
      'supaops.bootstrap_password',
      password,
    ]);
    await client.query(supabaseBootstrapSql());
  } finally {
    await client.end();
  }
}
