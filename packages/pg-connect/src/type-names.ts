import type pg from 'pg';
import { builtinTypeName } from './pg-types.js';
import type { StatementResultParts } from './statement-parts.js';

const typeNameCache = new Map<number, string>();

/** Fills in column type names; returns a promise only when a catalog lookup is needed. */
export function resolveTypeNames(
  client: pg.PoolClient,
  results: StatementResultParts[],
): Promise<void> | undefined {
  let unknown: Set<number> | undefined;
  for (const r of results) {
    for (const c of r.columns) {
      const name = builtinTypeName(c.dataTypeID) ?? typeNameCache.get(c.dataTypeID);
      if (name) c.type = name;
      else {
        unknown ??= new Set();
        unknown.add(c.dataTypeID);
      }
    }
  }
  if (!unknown) return undefined;
  return client
    .query<{ oid: number; name: string }>(
      'SELECT oid::int AS oid, format_type(oid, NULL) AS name FROM pg_type WHERE oid = ANY($1::oid[])',
      [[...unknown]],
    )
    .then(({ rows }) => {
      const found = new Map(rows.map((r) => [r.oid, r.name]));
      for (const r of results) {
        for (const c of r.columns) {
          if (!c.type) c.type = found.get(c.dataTypeID) ?? `oid:${c.dataTypeID}`;
          if (c.dataTypeID < 16384 && found.has(c.dataTypeID))
            typeNameCache.set(c.dataTypeID, c.type);
        }
      }
    });
}
