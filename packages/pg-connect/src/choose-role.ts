import type pg from 'pg';
import { z } from 'zod';
import { PgConnectError, validate } from './errors.js';
import { lease, type Queryable } from './resolve-db.js';
import { redactSqlSecrets } from './sql.js';
import { tokenizeStatements } from './sql-tokens.js';
import { findTargets, type NamedTarget } from './touched-objects.js';

/** An object a statement touches, with its owner (`name` is `*` for ALL TABLES IN SCHEMA). */
export interface TouchedObject {
  kind: 'relation' | 'function' | 'type' | 'schema';
  schema: string;
  name: string;
  owner: string;
}

/** What `role: 'auto'` decided: the role switched to (null: none) and why. */
export interface RoleDecision {
  /** The role the statements ran as through SET LOCAL ROLE, or null when they ran as `sessionUser`. */
  used: string | null;
  /** Why, in one or two sentences, with the fix when the owner could not be used. */
  reason: string;
  /** The objects found and their owners (new objects count as their schema). */
  objects: TouchedObject[];
  /** The role the connection runs as (current_user before any switch). */
  sessionUser: string;
}

/** `SqlResult.roleChoice` of an `executeSql(..., { role: 'auto' })` call. */
export interface RoleChoice extends RoleDecision {
  requested: 'auto';
}

interface StatementInput {
  text: string;
  params: unknown[] | undefined;
}

interface LookupRow {
  i: number;
  kind: TouchedObject['kind'];
  schema: string;
  name: string;
  owner: string;
  /** False for a schema the session may already create in. */
  needed: boolean;
  member: boolean;
}

// One round trip: every target resolved (search_path for unqualified names), its owner
// (pg_database_owner stands for the database owner) and whether we may SET ROLE to it.
const LOOKUP_SQL = `
WITH t AS (SELECT * FROM json_to_recordset($1::json) AS t(i int, k text, s text, n text, r text)),
dbo AS (SELECT datdba FROM pg_database WHERE datname = current_database()),
hit AS (
  SELECT t.i, 'relation' AS kind, ns.nspname AS schema, c.relname AS name, c.relowner AS owner, true AS needed
    FROM t
    JOIN pg_class c ON c.oid = to_regclass(CASE WHEN t.s IS NULL THEN quote_ident(t.n)
                                                ELSE quote_ident(t.s) || '.' || quote_ident(t.n) END)
    JOIN pg_namespace ns ON ns.oid = c.relnamespace
   WHERE t.k = 'relation' OR (t.k = 'create' AND t.r = 'relation')
  UNION ALL
  SELECT t.i, 'function', ns.nspname, p.proname, p.proowner, true
    FROM t
    JOIN pg_proc p ON p.proname = t.n
    JOIN pg_namespace ns ON ns.oid = p.pronamespace
   WHERE (t.k = 'function' OR (t.k = 'create' AND t.r = 'function'))
     AND ns.nspname = coalesce(t.s, (
           SELECT u.x FROM unnest(current_schemas(true)) WITH ORDINALITY AS u(x, o)
            WHERE EXISTS (SELECT 1 FROM pg_proc p2 JOIN pg_namespace n2 ON n2.oid = p2.pronamespace
                           WHERE p2.proname = t.n AND n2.nspname = u.x)
            ORDER BY u.o LIMIT 1))
  UNION ALL
  SELECT t.i, 'type', ns.nspname, ty.typname, ty.typowner, true
    FROM t
    JOIN pg_type ty ON ty.oid = to_regtype(CASE WHEN t.s IS NULL THEN quote_ident(t.n)
                                                ELSE quote_ident(t.s) || '.' || quote_ident(t.n) END)
    JOIN pg_namespace ns ON ns.oid = ty.typnamespace
   WHERE t.k = 'type'
  UNION ALL
  SELECT t.i, 'schema', ns.nspname, ns.nspname, ns.nspowner,
         CASE WHEN t.k = 'create' THEN NOT has_schema_privilege(ns.oid, 'CREATE') ELSE true END
    FROM t JOIN pg_namespace ns ON ns.nspname = CASE WHEN t.k = 'create' THEN coalesce(t.s, current_schema())
                                                     ELSE t.n END
   WHERE t.k IN ('schema', 'create')
  UNION ALL
  SELECT DISTINCT t.i, 'relation', ns.nspname, '*', c.relowner, true
    FROM t JOIN pg_namespace ns ON ns.nspname = t.s
    JOIN pg_class c ON c.relnamespace = ns.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
   WHERE t.k = 'all-relations'
  UNION ALL
  SELECT DISTINCT t.i, 'function', ns.nspname, '*', p.proowner, true
    FROM t JOIN pg_namespace ns ON ns.nspname = t.s
    JOIN pg_proc p ON p.pronamespace = ns.oid
   WHERE t.k = 'all-functions'
),
owned AS (
  SELECT h.*, CASE WHEN pg_get_userbyid(h.owner) = 'pg_database_owner' THEN (SELECT datdba FROM dbo)
                   ELSE h.owner END AS role
    FROM hit h
)
SELECT current_user::text AS me,
       coalesce((SELECT json_agg(json_build_object(
                   'i', o.i, 'kind', o.kind, 'schema', o.schema, 'name', o.name,
                   'owner', pg_get_userbyid(o.role), 'needed', o.needed,
                   -- PostgreSQL 16 grants SET separately from membership
                   'member', pg_has_role(current_user, o.role,
                     CASE WHEN current_setting('server_version_num')::int >= 160000
                          THEN 'SET' ELSE 'MEMBER' END)
                 ) ORDER BY o.i, o.kind, o.schema, o.name) FROM owned o), '[]'::json) AS objects`;

function label(o: { schema: string; name: string; kind: string }): string {
  if (o.kind === 'schema') return `schema ${o.schema}`;
  return o.name === '*' ? `every ${o.kind} in ${o.schema}` : `${o.schema}.${o.name}`;
}

function unresolvedLabel(t: NamedTarget): string {
  return t.schema ? `${t.schema}.${t.name}` : t.name;
}

// reading the catalogs never needs their owner
const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'pg_toast']);

/** Relations the plan reads or writes: every "Relation Name" with its "Schema" (VERBOSE). */
function planRelations(plan: unknown, out: NamedTarget[]): void {
  if (Array.isArray(plan)) {
    for (const p of plan) planRelations(p, out);
    return;
  }
  if (typeof plan !== 'object' || plan === null) return;
  const node = plan as Record<string, unknown>;
  if (
    typeof node['Relation Name'] === 'string' &&
    typeof node.Schema === 'string' &&
    !SYSTEM_SCHEMAS.has(node.Schema)
  ) {
    out.push({ kind: 'relation', schema: node.Schema, name: node['Relation Name'] });
  }
  for (const value of Object.values(node)) {
    if (typeof value === 'object' && value !== null) planRelations(value, out);
  }
}

/**
 * Plans DML statements with EXPLAIN (never executed) inside a transaction that is rolled
 * back, so a planner that evaluates a function leaves nothing behind.
 */
async function explainAll(
  client: pg.PoolClient,
  planned: StatementInput[],
  targets: NamedTarget[],
  notes: string[],
): Promise<void> {
  if (planned.length === 0) return;
  await client.query('BEGIN');
  try {
    for (const stmt of planned) {
      try {
        const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(
          `EXPLAIN (VERBOSE, FORMAT JSON) ${stmt.text}`,
          stmt.params,
        );
        planRelations(rows[0]?.['QUERY PLAN'], targets);
      } catch (error) {
        const first = redactSqlSecrets(stmt.text.split('\n')[0]!.slice(0, 40));
        notes.push(
          `"${first}" could not be planned (${redactSqlSecrets((error as Error).message)})`,
        );
        await client.query('ROLLBACK');
        await client.query('BEGIN');
      }
    }
  } finally {
    await client.query('ROLLBACK');
  }
}

function targetKey(t: NamedTarget): string {
  return JSON.stringify([t.kind, t.schema ?? null, t.name, t.replaces ?? null]);
}

/** Collects what the statements touch and decides which role to run them as. */
export async function decideRole(
  client: pg.PoolClient,
  statements: StatementInput[],
): Promise<RoleDecision> {
  const named: NamedTarget[] = [];
  const planned: StatementInput[] = [];
  for (const stmt of statements) {
    const parts = findTargets(tokenizeStatements(stmt.text));
    for (const part of parts) {
      named.push(...part.targets);
      // parameters belong to a statement given alone
      if (part.plan)
        planned.push({ text: part.text, params: parts.length === 1 ? stmt.params : undefined });
    }
  }
  const notes: string[] = [];
  try {
    await explainAll(client, planned, named, notes);
    const unique = [...new Map(named.map((t) => [targetKey(t), t])).values()];
    const { rows } = await client.query<{ me: string; objects: LookupRow[] }>(LOOKUP_SQL, [
      JSON.stringify(
        unique.map((t, i) => ({
          i,
          k: t.kind,
          s: t.schema ?? null,
          n: t.name,
          r: t.replaces ?? null,
        })),
      ),
    ]);
    return decide(rows[0]!.me, unique, rows[0]!.objects, notes);
  } catch (error) {
    throw new PgConnectError(
      'QUERY_FAILED',
      `role: 'auto' could not look up the owners of what the statements touch: ${redactSqlSecrets((error as Error)?.message ?? String(error))}. Fix: check the connection, or pass role: '<name>' explicitly.`,
      { cause: error },
    );
  }
}

/** Pure decision over the looked-up rows (exported for unit tests). */
export function decide(
  me: string,
  targets: NamedTarget[],
  found: LookupRow[],
  notes: string[] = [],
): RoleDecision {
  const rowsFor = new Map<number, LookupRow[]>();
  for (const row of found) rowsFor.set(row.i, [...(rowsFor.get(row.i) ?? []), row]);
  const chosen: LookupRow[] = [];
  const unresolved: string[] = [];
  targets.forEach((t, i) => {
    const hits = rowsFor.get(i) ?? [];
    // OR REPLACE of an existing object needs its owner; otherwise CREATE on the schema
    const replaced = hits.filter((h) => h.kind !== 'schema' || t.kind !== 'create');
    const use = t.kind === 'create' && replaced.length > 0 ? replaced : hits;
    if (use.length === 0) unresolved.push(unresolvedLabel(t));
    chosen.push(...use);
  });
  const byKey = new Map(chosen.map((r) => [`${r.kind}\0${r.schema}\0${r.name}\0${r.owner}`, r]));
  const rows = [...byKey.values()];
  const objects: TouchedObject[] = rows.map(({ kind, schema, name, owner }) => ({
    kind,
    schema,
    name,
    owner,
  }));
  const demanding = rows.filter((r) => r.needed);
  const owners = [...new Set(demanding.map((r) => r.owner))];
  const tail = [
    unresolved.length > 0
      ? ` Not found (yet): ${unresolved.join(', ')}; objects the statements create are owned by whoever runs them.`
      : '',
    notes.length > 0 ? ` ${notes.join('; ')}.` : '',
  ].join('');
  const result = (used: string | null, reason: string): RoleDecision => ({
    used,
    reason: reason + tail,
    objects,
    sessionUser: me,
  });

  if (owners.length === 0) {
    const creatable = rows.filter((r) => !r.needed).map(label);
    return result(
      null,
      creatable.length > 0
        ? `${me} may create objects in ${creatable.join(', ')}, so the statements ran as ${me}.`
        : `The statements touch no table, function, type or schema whose owner matters, so they ran as ${me}.`,
    );
  }
  if (owners.length > 1) {
    const list = demanding.map((r) => `${label(r)} (${r.owner})`).join(', ');
    return result(
      null,
      `The statements touch objects of several owners: ${list}; one role cannot own them all, so they ran as ${me}. Fix: run the statements of each owner in their own call (role: 'auto' picks each owner), or pass role: '<name>' explicitly.`,
    );
  }
  const owner = owners[0]!;
  const what = demanding.map(label).join(', ');
  if (owner === me) {
    return result(null, `${what}: owned by ${me}, the session user, so no switch was needed.`);
  }
  if (demanding.every((r) => r.member)) {
    return result(
      owner,
      `${what}: owned by ${owner}; ${me} may switch to it, so the statements ran as ${owner} (SET LOCAL ROLE).`,
    );
  }
  return result(
    null,
    `${what}: owned by ${owner}, and ${me} is not a member of ${owner}, so the statements ran as ${me}; that works where ${me} holds the privileges (grants), not for what only the owner may do (ALTER, DROP, CREATE TRIGGER, ...). Fix: connect as ${owner} or as a superuser (supabase_admin on Supabase) and use role: 'auto' again, or GRANT ${owner} TO ${me} as a superuser.`,
  );
}

const statementSchema = z.union([
  z.string().min(1),
  z.object({ sql: z.string().min(1), params: z.array(z.unknown()).optional() }).strict(),
]);
const chooseSchema = z.object({
  sql: z.union([z.string().min(1, 'the SQL is empty'), z.array(statementSchema).min(1)]),
  options: z.object({ params: z.array(z.unknown()).optional() }).strict(),
});

/**
 * Which role `executeSql(db, sql, { role: 'auto' })` would run `sql` as, and why, without
 * running it. Tables, views, functions, types and schemas named in DDL are found by a
 * tokenizer that skips strings, quoted identifiers, comments and dollar quotes; relations of
 * DML come from the statement's EXPLAIN plan (views count as the tables they read). When all
 * share one owner the session user may SET ROLE to, that owner is chosen.
 */
export async function chooseRole(
  db: Queryable,
  sql: string | Array<string | { sql: string; params?: unknown[] }>,
  options: { params?: unknown[] } = {},
): Promise<RoleDecision> {
  const input = validate(chooseSchema, { sql, options }, 'chooseRole arguments');
  const statements: StatementInput[] =
    typeof input.sql === 'string'
      ? [{ text: input.sql, params: input.options.params }]
      : input.sql.map((s) =>
          typeof s === 'string'
            ? { text: s, params: undefined }
            : { text: s.sql, params: s.params },
        );
  const l = await lease(db);
  let broken = false;
  try {
    return await decideRole(l.client, statements);
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    await l.release(broken);
  }
}
