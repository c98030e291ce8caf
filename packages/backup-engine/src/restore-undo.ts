import type pg from 'pg';
import { quoteIdent } from './connection.js';

/**
 * What an existing target database held before a restore, so that a failed restore can take
 * away exactly what it added. Needed where no single transaction covers the whole restore: a
 * Supabase backup is two pg_restore runs (its `supabase-data` part commits before the `database`
 * part starts), and `jobs > 1` runs without a transaction at all.
 */
export interface TargetSnapshot {
  oids: Set<string>;
  /** `ALTER DATABASE … SET` values of this database (for every role), as pg_db_role_setting holds them. */
  settings: { role: string | null; config: string[] }[];
}

/** Objects a pg_restore can create, with how to drop each: `[catalog, oid, drop statement]`. */
const OBJECTS_SQL = `
  SELECT 'n' AS k, n.oid::text AS oid, format('DROP SCHEMA IF EXISTS %I CASCADE', n.nspname) AS drop, 1 AS ord
    FROM pg_namespace n
  UNION ALL
  SELECT 'x', e.oid::text, format('DROP EXTENSION IF EXISTS %I CASCADE', e.extname), 2 FROM pg_extension e
  UNION ALL
  SELECT 'et', t.oid::text, format('DROP EVENT TRIGGER IF EXISTS %I', t.evtname), 0 FROM pg_event_trigger t
  UNION ALL
  SELECT 'pub', p.oid::text, format('DROP PUBLICATION IF EXISTS %I', p.pubname), 0 FROM pg_publication p
  UNION ALL
  SELECT 'c', c.oid::text,
         format('DROP %s IF EXISTS %I.%I CASCADE',
                CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                  WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                n.nspname, c.relname), 3
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  UNION ALL
  SELECT 'p', p.oid::text, format('DROP ROUTINE IF EXISTS %s CASCADE', p.oid::regprocedure), 4
    FROM pg_proc p
  UNION ALL
  SELECT 't', t.oid::text, format('DROP TYPE IF EXISTS %s CASCADE', t.oid::regtype), 5
    FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid
   WHERE t.typtype IN ('d', 'e', 'r', 'm') OR (t.typtype = 'c' AND c.relkind = 'c')
  UNION ALL
  SELECT 'tg', t.oid::text, format('DROP TRIGGER IF EXISTS %I ON %s', t.tgname, t.tgrelid::regclass), 6
    FROM pg_trigger t WHERE NOT t.tgisinternal
  UNION ALL
  SELECT 'pol', p.oid::text, format('DROP POLICY IF EXISTS %I ON %s', p.polname, p.polrelid::regclass), 6
    FROM pg_policy p`;

const SETTINGS_SQL = `SELECT r.rolname AS role, s.setconfig AS config
   FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
   LEFT JOIN pg_roles r ON r.oid = s.setrole
  WHERE d.datname = current_database()`;

export async function snapshotTarget(client: pg.Client): Promise<TargetSnapshot> {
  const objects = await client.query<{ k: string; oid: string }>(OBJECTS_SQL);
  const settings = await client.query<{ role: string | null; config: string[] }>(SETTINGS_SQL);
  return {
    oids: new Set(objects.rows.map((r) => `${r.k}:${r.oid}`)),
    settings: settings.rows,
  };
}

/**
 * Drops what appeared since `snapshot` (schemas first, with CASCADE, then objects in the schemas
 * that were there before), puts back the database's settings, and returns what it removed. The
 * objects of a new schema go with it; one that cannot be dropped is reported, not retried.
 */
export async function undoRestore(
  client: pg.Client,
  snapshot: TargetSnapshot,
): Promise<{ removed: string[]; failed: string[] }> {
  const now = await client.query<{ k: string; oid: string; drop: string; ord: number }>(
    `SELECT * FROM (${OBJECTS_SQL}) o ORDER BY ord`,
  );
  const removed: string[] = [];
  const failed: string[] = [];
  for (const row of now.rows) {
    if (snapshot.oids.has(`${row.k}:${row.oid}`)) continue;
    // an object an earlier CASCADE took along is gone already: IF EXISTS makes that a no-op
    try {
      await client.query(row.drop);
      removed.push(row.drop.replace(/^DROP /, '').replace(/ IF EXISTS/, ''));
    } catch (error) {
      if (!/does not exist/.test((error as Error).message)) failed.push(row.drop);
    }
  }
  const db = (await client.query<{ d: string }>('SELECT current_database() AS d')).rows[0]!.d;
  const after = await client.query<{ role: string | null; config: string[] }>(SETTINGS_SQL);
  const before = new Map(snapshot.settings.map((s) => [s.role ?? '', s.config.join('\n')]));
  for (const s of after.rows) {
    if (before.get(s.role ?? '') === s.config.join('\n')) continue;
    const scope = s.role ? `ALTER ROLE ${quoteIdent(s.role)} IN DATABASE` : 'ALTER DATABASE';
    try {
      await client.query(`${scope} ${quoteIdent(db)} RESET ALL`);
      for (const entry of snapshot.settings.find((b) => b.role === s.role)?.config ?? []) {
        const eq = entry.indexOf('=');
        await client.query(
          `${scope} ${quoteIdent(db)} SET ${quoteIdent(entry.slice(0, eq))} = '${entry.slice(eq + 1).replace(/'/g, "''")}'`,
        );
      }
      removed.push(`settings of ${s.role ? `role ${s.role} in ` : ''}database ${db}`);
    } catch {
      failed.push(`settings of ${s.role ? `role ${s.role} in ` : ''}database ${db}`);
    }
  }
  return { removed, failed };
}
