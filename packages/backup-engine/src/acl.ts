import type pg from 'pg';
import { quoteIdent } from './connection.js';
import { matchesAny } from './supabase.js';

/**
 * The privileges of one object as `grantee:PRIVILEGE` (`*` = with grant option), sorted; the
 * owner's implicit privileges included (`coalesce(acl, acldefault(...))`), grantors left out
 * (a restore cannot choose them). `kind` decides how it is granted again.
 */
export interface AclEntry {
  kind: 'table' | 'sequence' | 'function' | 'schema' | 'default';
  /** `schema.name`, `schema.fn(args)`, the schema name, or `role|schema|objtype` for defaults. */
  object: string;
  owner: string;
  acl: string[];
}

// distinct: the same privilege granted by two grantors is one privilege here
const EXPLODE = (acl: string) =>
  `coalesce((SELECT array_agg(DISTINCT (CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END
      || ':' || a.privilege_type || CASE WHEN a.is_grantable THEN '*' ELSE '' END) COLLATE "C")
      FROM aclexplode(${acl}) a), '{}')`;

const NOT_EXTENSION_MEMBER = (classid: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${classid}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

// identities are printed with search_path = pg_catalog so they compare across databases
const ACL_SQL = `
  SELECT CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END AS kind, n.nspname AS schema,
         format('%I.%I', n.nspname, c.relname) AS object, pg_get_userbyid(c.relowner) AS owner,
         ${EXPLODE(`coalesce(c.relacl, acldefault((CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::"char", c.relowner))`)} AS acl
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${NOT_EXTENSION_MEMBER('pg_class', 'c.oid')}
  UNION ALL
  SELECT 'function', n.nspname, format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)),
         pg_get_userbyid(p.proowner), ${EXPLODE(`coalesce(p.proacl, acldefault('f'::"char", p.proowner))`)}
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE ${NOT_EXTENSION_MEMBER('pg_proc', 'p.oid')}
  UNION ALL
  SELECT 'schema', n.nspname, quote_ident(n.nspname), pg_get_userbyid(n.nspowner),
         ${EXPLODE(`coalesce(n.nspacl, acldefault('n'::"char", n.nspowner))`)}
    FROM pg_namespace n WHERE ${NOT_EXTENSION_MEMBER('pg_namespace', 'n.oid')}
  UNION ALL
  SELECT 'default', coalesce(n.nspname, ''), format('%s|%s|%s', pg_get_userbyid(d.defaclrole), coalesce(n.nspname, ''), d.defaclobjtype),
         pg_get_userbyid(d.defaclrole), ${EXPLODE('d.defaclacl')}
    FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace`;

async function readAcls(
  client: pg.Client,
  schemas: (schema: string) => boolean,
): Promise<AclEntry[]> {
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL search_path = pg_catalog');
    const { rows } = await client.query<AclEntry & { schema: string }>(ACL_SQL);
    return rows
      .filter((r) => (r.kind === 'default' && r.schema === '') || schemas(r.schema))
      .map(({ kind, object, owner, acl }) => ({ kind, object, owner, acl }))
      .sort((a, b) => (a.object < b.object ? -1 : a.object > b.object ? 1 : 0));
  } finally {
    await client.query('COMMIT');
  }
}

/** Schemas whose objects a backup carries (the database part's selection). */
export function aclSchemaFilter(include: string[], exclude: string[]): (schema: string) => boolean {
  return (schema) =>
    !['pg_catalog', 'information_schema', 'pg_toast'].includes(schema) &&
    !schema.startsWith('pg_temp') &&
    (include.length === 0 || matchesAny(schema, include)) &&
    !matchesAny(schema, exclude);
}

/** Reads the ACLs of the backed-up objects (on the backup's snapshot connection). */
export async function captureAcls(
  client: pg.Client,
  schemas: (schema: string) => boolean,
): Promise<AclEntry[]> {
  // the caller's transaction holds the snapshot: no BEGIN/COMMIT of our own there
  await client.query('SET LOCAL search_path = pg_catalog');
  const { rows } = await client.query<AclEntry & { schema: string }>(ACL_SQL);
  await client.query('RESET search_path');
  return rows
    .filter((r) => (r.kind === 'default' && r.schema === '') || schemas(r.schema))
    .map(({ kind, object, owner, acl }) => ({ kind, object, owner, acl }));
}

/** The source entry with its owner's privileges moved to the target's owner (noOwner restores). */
function expectedFor(source: AclEntry, targetOwner: string | undefined): string[] {
  if (!targetOwner || source.kind === 'default' || targetOwner === source.owner) return source.acl;
  const moved = source.acl.map((item) =>
    item.startsWith(`${source.owner}:`) ? `${targetOwner}${item.slice(source.owner.length)}` : item,
  );
  // the owner's privileges and a grant to the new owner become one
  return [...new Set(moved)].sort();
}

export interface AclDifference {
  kind: AclEntry['kind'];
  object: string;
  expected: string[];
  actual: string[] | null;
}

/** Differences between the source's ACLs and the target's, for the objects the source had. */
export async function diffAcls(
  client: pg.Client,
  source: AclEntry[],
  schemas: (schema: string) => boolean,
): Promise<AclDifference[]> {
  const target = new Map(
    (await readAcls(client, schemas)).map((e) => [`${e.kind}:${e.object}`, e]),
  );
  const diffs: AclDifference[] = [];
  const seen = new Set<string>();
  for (const entry of source) {
    const key = `${entry.kind}:${entry.object}`;
    seen.add(key);
    const actual = target.get(key);
    if (!actual && entry.kind === 'default' && entry.acl.length === 0) continue;
    if (!actual) {
      // an object of the archive that is not there is the row counts' and pg_restore's concern
      if (entry.kind === 'default') diffs.push({ ...pick(entry), actual: null });
      continue;
    }
    const expected = expectedFor(entry, actual.owner);
    if (expected.join(',') !== actual.acl.join(','))
      diffs.push({ ...pick(entry), expected, actual: actual.acl });
  }
  // default privileges the target has and the source had not: more than the source granted
  for (const [key, entry] of target) {
    if (entry.kind === 'default' && !seen.has(key) && entry.acl.length > 0) {
      diffs.push({ kind: 'default', object: entry.object, expected: [], actual: entry.acl });
    }
  }
  return diffs;
}

function pick(e: AclEntry) {
  return { kind: e.kind, object: e.object, expected: e.acl };
}

const DEFAULT_OBJTYPES: Record<string, string> = {
  r: 'TABLES',
  S: 'SEQUENCES',
  f: 'FUNCTIONS',
  T: 'TYPES',
  n: 'SCHEMAS',
};

function grantee(name: string): string {
  return name === 'PUBLIC' ? 'PUBLIC' : quoteIdent(name);
}

/** Statements that make one object's ACL exactly `expected`. */
function aclStatements(diff: AclDifference): string[] {
  const current = new Set((diff.actual ?? []).map((i) => i.slice(0, i.indexOf(':'))));
  for (const item of diff.expected) current.add(item.slice(0, item.indexOf(':')));
  current.add('PUBLIC');
  const grants = diff.expected.map((item) => {
    const colon = item.indexOf(':');
    const option = item.endsWith('*');
    return {
      to: grantee(item.slice(0, colon)),
      privilege: item.slice(colon + 1, option ? -1 : undefined),
      option,
    };
  });
  const revokeFrom = [...current].map(grantee).join(', ');
  let target: string;
  let prefix = '';
  if (diff.kind === 'default') {
    const [role, schema, objtype] = diff.object.split('|') as [string, string, string];
    prefix = `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(role)}${schema ? ` IN SCHEMA ${quoteIdent(schema)}` : ''} `;
    const what = DEFAULT_OBJTYPES[objtype] ?? 'TABLES';
    return [
      `${prefix}REVOKE ALL ON ${what} FROM ${revokeFrom}`,
      ...grants.map(
        (g) =>
          `${prefix}GRANT ${g.privilege} ON ${what} TO ${g.to}${g.option ? ' WITH GRANT OPTION' : ''}`,
      ),
    ];
  }
  target =
    diff.kind === 'table'
      ? `TABLE ${diff.object}`
      : diff.kind === 'sequence'
        ? `SEQUENCE ${diff.object}`
        : diff.kind === 'function'
          ? `ROUTINE ${diff.object}`
          : `SCHEMA ${diff.object}`;
  return [
    `REVOKE ALL ON ${target} FROM ${revokeFrom}`,
    ...grants.map(
      (g) => `GRANT ${g.privilege} ON ${target} TO ${g.to}${g.option ? ' WITH GRANT OPTION' : ''}`,
    ),
  ];
}

/**
 * Sets every differing ACL of the target to the source's (the target's default privileges gave
 * objects created by pg_restore grants the source never had). Statements the restoring role
 * may not run are skipped; the caller diffs again and reports what still differs.
 */
export async function reconcileAcls(
  client: pg.Client,
  diffs: AclDifference[],
): Promise<{ fixed: number; failed: { object: string; error: string }[] }> {
  let fixed = 0;
  const failed: { object: string; error: string }[] = [];
  for (const diff of diffs) {
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL search_path = pg_catalog');
      for (const statement of aclStatements(diff)) await client.query(statement);
      await client.query('COMMIT');
      fixed++;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      failed.push({ object: `${diff.kind} ${diff.object}`, error: (error as Error).message });
    }
  }
  return { fixed, failed };
}
