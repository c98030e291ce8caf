import type pg from 'pg';
import { quoteIdent } from './connection.js';
import { matchesAny, tableMatches } from './supabase.js';

export type RowCountMode = 'exact' | 'estimated' | 'none';

export interface TableSelection {
  includeSchemas: string[];
  excludeSchemas: string[];
  includeTables: string[];
  excludeTables: string[];
}

/** Ordinary tables (and partitions) that pg_dump would dump the data of, as `schema.table`. */
export async function listTables(
  client: pg.Client,
  selection: TableSelection,
): Promise<{ schema: string; table: string; estimate: number }[]> {
  const { rows } = await client.query<{ schema: string; table: string; estimate: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, greatest(c.reltuples, 0)::bigint AS estimate
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r'
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d
                         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY 1, 2`,
  );
  return rows
    .filter(
      (r) =>
        (selection.includeSchemas.length === 0 || matchesAny(r.schema, selection.includeSchemas)) &&
        !matchesAny(r.schema, selection.excludeSchemas) &&
        (selection.includeTables.length === 0 ||
          tableMatches(r.schema, r.table, selection.includeTables)) &&
        !tableMatches(r.schema, r.table, selection.excludeTables),
    )
    .map((r) => ({ schema: r.schema, table: r.table, estimate: Number(r.estimate) }));
}

/** Row counts keyed `schema.table`: exact `count(*)` or the planner's estimate. */
export async function countRows(
  client: pg.Client,
  tables: { schema: string; table: string; estimate: number }[],
  mode: RowCountMode,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (mode === 'none') return out;
  for (const t of tables) {
    const name = `${t.schema}.${t.table}`;
    if (mode === 'estimated') {
      out[name] = t.estimate;
      continue;
    }
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ONLY ${quoteIdent(t.schema)}.${quoteIdent(t.table)}`,
    );
    out[name] = Number(rows[0]!.n);
  }
  return out;
}
