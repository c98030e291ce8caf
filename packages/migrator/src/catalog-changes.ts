import type pg from 'pg';

export interface CatalogObject {
  kind: string;
  name: string;
}

/** What a dry run would change in the catalog: objects created, dropped, or altered. */
export interface CatalogChanges {
  created: CatalogObject[];
  dropped: CatalogObject[];
  altered: CatalogObject[];
}

export type CatalogSnapshot = Map<string, string>;

const userSchemas =
  "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

/** One query: every user-visible object with a fingerprint of its definition. */
const SNAPSHOT_SQL = `
SELECT 'schema' AS kind, n.nspname AS name, n.nspowner::regrole::text AS fp
  FROM pg_namespace n WHERE ${userSchemas}
UNION ALL
SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
         WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'I' THEN 'index'
         WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' ELSE 'relation' END,
       n.nspname || '.' || c.relname,
       md5(concat_ws('|', c.relrowsecurity, c.relacl::text,
         (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull, ',' ORDER BY a.attnum)
            FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
         (SELECT string_agg(co.conname || ' ' || pg_get_constraintdef(co.oid), ',' ORDER BY co.conname)
            FROM pg_constraint co WHERE co.conrelid = c.oid),
         CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END))
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE ${userSchemas} AND c.relkind IN ('r', 'p', 'v', 'm', 'i', 'I', 'S', 'f')
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
       n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       md5(concat_ws('|', p.prosrc, p.prorettype::regtype::text, p.prosecdef, p.provolatile, p.proacl::text))
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${userSchemas}
UNION ALL
SELECT 'type', n.nspname || '.' || t.typname,
       md5(coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), ''))
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE ${userSchemas} AND t.typtype IN ('e', 'd', 'r')
    OR (${userSchemas} AND t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
UNION ALL
SELECT 'policy', n.nspname || '.' || c.relname || '.' || pol.polname,
       md5(concat_ws('|', pol.polcmd, pol.polroles::text, pg_get_expr(pol.polqual, pol.polrelid), pg_get_expr(pol.polwithcheck, pol.polrelid)))
  FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
UNION ALL
SELECT 'trigger', n.nspname || '.' || c.relname || '.' || tg.tgname, md5(pg_get_triggerdef(tg.oid))
  FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE NOT tg.tgisinternal AND ${userSchemas}
UNION ALL
SELECT 'extension', e.extname, e.extversion FROM pg_extension e
`;

export async function snapshotCatalog(client: pg.ClientBase): Promise<CatalogSnapshot> {
  const { rows } = await client.query<{ kind: string; name: string; fp: string | null }>(
    SNAPSHOT_SQL,
  );
  const map: CatalogSnapshot = new Map();
  for (const r of rows) map.set(`${r.kind}\u0000${r.name}`, r.fp ?? '');
  return map;
}

/** Objects in `after` not in `before` (created), the reverse (dropped), and changed ones. */
export function diffCatalog(before: CatalogSnapshot, after: CatalogSnapshot): CatalogChanges {
  const split = (key: string): CatalogObject => {
    const [kind, name] = key.split('\u0000') as [string, string];
    return { kind, name };
  };
  const changes: CatalogChanges = { created: [], dropped: [], altered: [] };
  for (const [key, fp] of after) {
    if (!before.has(key)) changes.created.push(split(key));
    else if (before.get(key) !== fp) changes.altered.push(split(key));
  }
  for (const key of before.keys()) if (!after.has(key)) changes.dropped.push(split(key));
  return changes;
}
