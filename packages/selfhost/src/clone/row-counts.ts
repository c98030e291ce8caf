import {
  SUPABASE_DATA_SCHEMAS,
  SUPABASE_EXCLUDED_DATA_TABLES,
  SUPABASE_MANAGED_SCHEMAS,
} from '@supaops/backup-engine';
import { executeSql, quoteIdent, quoteLiteral } from '@supaops/pg-connect';

/** `schema.table` of a qualified name (the first dot splits, as backup manifests write them). */
function split(table: string): [string, string] {
  const dot = table.indexOf('.');
  return dot < 0 ? ['public', table] : [table.slice(0, dot), table.slice(dot + 1)];
}

const managedPattern = new RegExp(
  `^(${SUPABASE_MANAGED_SCHEMAS.map((p) =>
    p
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.'),
  ).join('|')})$`,
);

/**
 * The tables whose rows are the users' data: every table outside Supabase's managed schemas,
 * plus those of `auth` and `storage` (accounts, objects) but not the platforms' migration tables.
 */
export async function userTables(url: string, signal?: AbortSignal): Promise<string[]> {
  const { rows } = await executeSql<{ schema: string; name: string }>(
    url,
    `SELECT n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY 1, 2`,
    { readOnly: true, maxRows: 100_000, ...(signal ? { signal } : {}) },
  );
  const data = new Set<string>(SUPABASE_DATA_SCHEMAS);
  const excluded = new Set<string>(SUPABASE_EXCLUDED_DATA_TABLES);
  return rows
    .filter((r) => !managedPattern.test(r.schema) || data.has(r.schema))
    .map((r) => `${r.schema}.${r.name}`)
    .filter((t) => !excluded.has(t));
}

const tableError = (error: unknown) =>
  /^42/.test(String((error as { sqlState?: unknown }).sqlState ?? ''));

/**
 * Exact row counts of `tables` (`count(*)` of each, in one read-only transaction); a table that
 * does not exist or cannot be read counts as null; any other failure throws.
 */
export async function countRows(
  url: string,
  tables: readonly string[],
  signal?: AbortSignal,
): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  if (tables.length === 0) return out;
  const select = (t: string) => {
    const [schema, name] = split(t);
    return `SELECT ${quoteLiteral(t)} AS t, count(*)::bigint AS n FROM ONLY ${quoteIdent(schema)}.${quoteIdent(name)}`;
  };
  const opts = { readOnly: true, maxRows: 100_000, ...(signal ? { signal } : {}) };
  try {
    const { rows } = await executeSql<{ t: string; n: string }>(
      url,
      tables.map(select).join('\nUNION ALL\n'),
      opts,
    );
    for (const r of rows) out[r.t] = Number(r.n);
    return out;
  } catch (error) {
    // only a missing or unreadable table (SQLSTATE class 42) is worth counting table by table;
    // an unreachable database or a cancel is the caller's error
    if (signal?.aborted || !tableError(error)) throw error;
  }
  for (const t of tables) {
    try {
      const { rows } = await executeSql<{ n: string }>(url, select(t), opts);
      out[t] = Number(rows[0]?.n);
    } catch (error) {
      if (signal?.aborted || !tableError(error)) throw error;
      out[t] = null;
    }
  }
  return out;
}
