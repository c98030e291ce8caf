import { readFileSync } from 'node:fs';
import pg from 'pg';

const sqlUrl = new URL('../sql/supabase-bootstrap.sql', import.meta.url);

/** The Supabase-like bootstrap SQL: an approximation of the real image, see the file header. */
export function supabaseBootstrapSql(): string {
  return readFileSync(sqlUrl, 'utf8');
}

/**
 * Applies the bootstrap to one database. Roles are cluster-wide, so concurrent runs on a
 * shared server (TEST_DATABASE_URL) serialize on an advisory lock.
 */
export async function applySupabaseBootstrap(url: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
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
