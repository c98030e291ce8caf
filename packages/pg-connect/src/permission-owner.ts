import type pg from 'pg';
import { type MapContext, permissionSubject } from './query-errors.js';

/** The owner of the relation a 42501 names, preferring the one the SQL names; undefined when unknown. */
export async function lookupOwner(
  client: pg.PoolClient,
  sql: string,
  message: string,
): Promise<MapContext['owner']> {
  const subject = permissionSubject(message);
  if (!subject || subject.kind === 'schema' || subject.kind === 'database') return undefined;
  try {
    const { rows } = await client.query<{ schema: string; name: string; owner: string }>(
      `SELECT n.nspname AS schema, c.relname AS name, pg_get_userbyid(c.relowner) AS owner
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relname = $1
        ORDER BY (position(lower(n.nspname || '.' || c.relname) IN lower($2)) > 0) DESC,
                 (n.nspname = ANY (current_schemas(false))) DESC, n.nspname
        LIMIT 1`,
      [subject.name, sql],
    );
    return rows[0];
  } catch {
    return undefined;
  }
}
