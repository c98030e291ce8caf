import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A temporary migrations directory; files are `{ 'v_name.sql': 'sql' }`. */
export function tempDir(files: Record<string, string> = {}): {
  dir: string;
  write(name: string, sql: string): void;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'supaops-migrator-'));
  const write = (name: string, sql: string) => writeFileSync(join(dir, name), sql);
  for (const [name, sql] of Object.entries(files)) write(name, sql);
  return { dir, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Runs `fn` until it returns true, at most `attempts` times, `delayMs` apart. */
export async function eventually(
  fn: () => Promise<boolean>,
  attempts = 100,
  delayMs = 100,
): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, delayMs));
  }
  return false;
}

/** As in the real Supabase image, `postgres` may create schemas in its database. */
export async function grantCreateToPostgres(db: { name: string; adminUrl: string }): Promise<void> {
  await query(
    db.adminUrl,
    `GRANT CREATE ON DATABASE "${db.name.replaceAll('"', '""')}" TO postgres`,
  );
}
