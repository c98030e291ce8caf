import type pg from 'pg';
import type { LoadedBackup } from './backup-store.js';
import { quoteIdent } from './connection.js';
import { RestoreError } from './errors.js';
import { matchesAny } from './supabase.js';

export interface RowCountCheck {
  mode: 'exact' | 'estimated' | 'none';
  checked: number;
  /** Tables whose count differs: `{ table, expected, actual }`. Empty when all match. */
  mismatches: { table: string; expected: number; actual: number | null }[];
  skipped: boolean;
}

export async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return (rowCount ?? 0) > 0;
}

/** User objects in the target that a restore would collide with. */
export async function userObjects(client: pg.Client, loaded: LoadedBackup): Promise<string[]> {
  const { rows } = await client.query<{ name: string; schema: string }>(
    `SELECT n.nspname AS schema, n.nspname || '.' || c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_%'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY 2`,
  );
  const excluded = loaded.manifest.source.supabase ? loaded.manifest.options.exclude_schemas : [];
  const found = rows.filter((r) => !matchesAny(r.schema, excluded)).map((r) => r.name);
  // rows already in the managed tables the supabase-data part fills
  for (const part of loaded.manifest.parts.filter((p) => p.restore === 'data-only')) {
    for (const table of Object.keys(loaded.manifest.row_counts.tables)) {
      const [schema, name] = splitTable(table);
      if (!part.schemas?.includes(schema)) continue;
      const exists = await client.query('SELECT to_regclass($1) AS r', [
        `${quoteIdent(schema)}.${quoteIdent(name)}`,
      ]);
      if (!exists.rows[0]?.r) continue;
      const { rowCount } = await client.query(
        `SELECT 1 FROM ${quoteIdent(schema)}.${quoteIdent(name)} LIMIT 1`,
      );
      if ((rowCount ?? 0) > 0) found.push(`${table} (has rows)`);
    }
  }
  return found;
}

/**
 * Empties the managed tables a data-only part refills, with DELETE (Supabase's `postgres` has
 * no TRUNCATE on them), retrying in passes so that referencing rows go before referenced ones.
 */
export async function emptyTables(client: pg.Client, tables: [string, string][]): Promise<void> {
  // the tables to empty, plus every table whose foreign keys reference them (transitively):
  // with `clean` those user tables are dropped and recreated by the full part anyway
  const { rows } = await client.query<{ name: string }>(
    `WITH RECURSIVE targets(oid) AS (
        SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE (n.nspname, c.relname) IN (SELECT * FROM unnest($1::text[], $2::text[]))
        UNION
        SELECT con.conrelid FROM pg_constraint con JOIN targets t ON con.confrelid = t.oid
         WHERE con.contype = 'f')
     SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name
       FROM targets t JOIN pg_class c ON c.oid = t.oid JOIN pg_namespace n ON n.oid = c.relnamespace`,
    [tables.map(([schema]) => schema), tables.map(([, name]) => name)],
  );
  let pending = rows.map((r) => r.name);
  let lastError: unknown;
  for (let pass = 0; pass <= rows.length && pending.length > 0; pass++) {
    const failed: string[] = [];
    for (const qualified of pending) {
      try {
        await client.query(`DELETE FROM ${qualified}`);
      } catch (error) {
        lastError = error;
        failed.push(qualified);
      }
    }
    if (failed.length === pending.length) break;
    pending = failed;
  }
  if (pending.length > 0) {
    throw new RestoreError(
      'RESTORE_CLEAN_FAILED',
      `Could not empty ${pending.join(', ')} before restoring their data: ${(lastError as Error).message}. Fix: empty them (and the tables referencing them) yourself, or restore into a fresh instance.`,
      { cause: lastError },
    );
  }
}

export function splitTable(table: string): [string, string] {
  const dot = table.indexOf('.');
  return [table.slice(0, dot), table.slice(dot + 1)];
}

/** Compares exact row counts of the restored database with the manifest. */
export async function compareRowCounts(
  client: pg.Client,
  loaded: LoadedBackup,
): Promise<RowCountCheck> {
  const { mode, tables } = loaded.manifest.row_counts;
  if (mode !== 'exact') return { mode, checked: 0, mismatches: [], skipped: true };
  const mismatches: RowCountCheck['mismatches'] = [];
  for (const [table, expected] of Object.entries(tables)) {
    const [schema, name] = splitTable(table);
    let actual: number | null = null;
    try {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM ONLY ${quoteIdent(schema)}.${quoteIdent(name)}`,
      );
      actual = Number(rows[0]!.n);
    } catch {
      actual = null;
    }
    if (actual !== expected) mismatches.push({ table, expected, actual });
  }
  return { mode, checked: Object.keys(tables).length, mismatches, skipped: false };
}
