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
): Promise<TableInfo[]> {
  const { rows } = await client.query<{
    schema: string;
    table: string;
    estimate: string;
    readable: boolean;
  }>(
    `SELECT n.nspname AS schema, c.relname AS table, greatest(c.reltuples, 0)::bigint AS estimate,
            has_table_privilege(c.oid, 'SELECT') AS readable
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
    .map((r) => ({
      schema: r.schema,
      table: r.table,
      estimate: Number(r.estimate),
      readable: r.readable,
    }));
}

export interface TableInfo {
  schema: string;
  table: string;
  estimate: number;
  /** Whether the current role may SELECT from it (pg_dump needs that). */
  readable: boolean;
}

/**
 * Sequences in the given schemas whose value the current role may not read, with the table
 * owning each (pg_dump dumps an owned sequence whenever its table is dumped).
 */
export async function unreadableSequences(
  client: pg.Client,
  schemas: string[],
): Promise<{ sequence: string; ownedBy: string | undefined }[]> {
  const { rows } = await client.query<{ name: string; owner: string | null }>(
    `SELECT n.nspname || '.' || c.relname AS name,
            (SELECT tn.nspname || '.' || t.relname
               FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid
               JOIN pg_namespace tn ON tn.oid = t.relnamespace
              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
              LIMIT 1) AS owner
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'S' AND n.nspname = ANY($1)
        AND CASE WHEN c.relkind = 'S' THEN NOT has_sequence_privilege(c.oid, 'SELECT') ELSE false END
      ORDER BY 1`,
    [schemas],
  );
  return rows.map((r) => ({ sequence: r.name, ownedBy: r.owner ?? undefined }));
}

/** Row counts keyed `schema.table`: exact `count(*)` or the planner's estimate. */
export async function countRows(
  client: pg.Client,
  tables: TableInfo[],
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
