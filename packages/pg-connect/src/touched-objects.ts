import { Cursor } from './sql-cursor.js';
import type { TokenizedStatement } from './sql-tokens.js';

/**
 * An object a statement needs a particular owner for, as named in its text:
 * - `relation`, `function`, `type`, `schema`: an existing object whose owner alone may
 *   change it (ALTER, DROP, CREATE TRIGGER/POLICY/INDEX ON, COMMENT ON, GRANT ON, ...);
 * - `create`: a new object in a schema, which needs CREATE on that schema (`replaces` says
 *   what an OR REPLACE may replace, whose owner then counts instead);
 * - `all-relations` / `all-functions`: GRANT ... ON ALL TABLES (FUNCTIONS) IN SCHEMA.
 * `schema` is undefined for an unqualified name, which the search_path resolves.
 */
export interface NamedTarget {
  kind: 'relation' | 'function' | 'type' | 'schema' | 'create' | 'all-relations' | 'all-functions';
  schema: string | undefined;
  name: string;
  replaces?: 'relation' | 'function' | undefined;
}

/** What one statement touches: named targets (DDL) or `plan` (DML: ask EXPLAIN). */
export interface StatementTargets {
  text: string;
  targets: NamedTarget[];
  plan: boolean;
}

const DML = new Set(['select', 'insert', 'update', 'delete', 'merge', 'with', 'values', 'table']);
const RELATION_KINDS = new Set(['table', 'view', 'sequence', 'index']);
const ROUTINE_KINDS = new Set(['function', 'procedure', 'routine', 'aggregate']);
const TYPE_KINDS = new Set(['type', 'domain']);
const ON_RELATION = new Set(['trigger', 'policy', 'rule']);

function target(
  kind: NamedTarget['kind'],
  parts: string[] | undefined,
  replaces?: NamedTarget['replaces'],
): NamedTarget | undefined {
  if (!parts) return undefined;
  const name = parts.at(-1)!;
  const schema = parts.length > 1 ? parts.at(-2) : undefined;
  return replaces ? { kind, schema, name, replaces } : { kind, schema, name };
}

/** `table`, `materialized view`, `foreign table`, `function`, ... : the object kind keyword(s). */
function objectKind(c: Cursor): string | undefined {
  if (c.accept('materialized', 'view')) return 'view';
  if (c.accept('foreign', 'table')) return 'table';
  if (c.accept('event', 'trigger')) return undefined;
  const w = c.word();
  if (w === undefined) return undefined;
  c.i++;
  return w;
}

/** A comma-separated list of names, each optionally followed by ( … ) argument types. */
function nameList(c: Cursor, kind: NamedTarget['kind']): NamedTarget[] {
  const out: NamedTarget[] = [];
  do {
    c.accept('only');
    const t = target(kind, c.name());
    if (!t) break;
    out.push(t);
    c.skipParens();
    while (c.tokens[c.i]?.kind === 'other') c.i++; // the * of `ONLY t *` style suffixes
  } while (c.punct(','));
  return out;
}

function kindTargets(c: Cursor, kind: string | undefined): NamedTarget[] {
  c.accept('concurrently');
  c.accept('if', 'exists');
  if (kind !== undefined && RELATION_KINDS.has(kind)) return nameList(c, 'relation');
  if (kind !== undefined && ROUTINE_KINDS.has(kind)) return nameList(c, 'function');
  if (kind !== undefined && TYPE_KINDS.has(kind)) return nameList(c, 'type');
  if (kind === 'schema') return nameList(c, 'schema');
  if (kind !== undefined && ON_RELATION.has(kind)) {
    return c.seek('on') ? nameList(c, 'relation').slice(0, 1) : [];
  }
  return [];
}

function createTargets(c: Cursor): NamedTarget[] {
  const orReplace = c.accept('or', 'replace');
  for (const skip of ['unique', 'constraint', 'recursive', 'trusted', 'procedural']) c.accept(skip);
  // temporary objects live in the session's own schema
  if (c.accept('temp') || c.accept('temporary')) return [];
  if (c.accept('global') || c.accept('local')) return [];
  c.accept('unlogged');
  const kind = objectKind(c);
  if (kind === 'trigger' || kind === 'policy' || kind === 'rule') {
    return c.seek(kind === 'rule' ? 'to' : 'on') ? nameList(c, 'relation').slice(0, 1) : [];
  }
  if (kind === 'index') {
    return c.seek('on') ? nameList(c, 'relation').slice(0, 1) : [];
  }
  const creatable =
    kind !== undefined &&
    (RELATION_KINDS.has(kind) || ROUTINE_KINDS.has(kind) || TYPE_KINDS.has(kind));
  if (!creatable) return [];
  c.accept('if', 'not', 'exists');
  const replaces =
    orReplace && kind === 'view'
      ? 'relation'
      : orReplace && ROUTINE_KINDS.has(kind)
        ? 'function'
        : undefined;
  const created = target('create', c.name(), replaces);
  const out = created ? [created] : [];
  // a partition needs the owner of its parent
  if (kind === 'table' && c.seek('partition') && c.accept('of')) {
    out.push(...nameList(c, 'relation').slice(0, 1));
  }
  return out;
}

function grantTargets(c: Cursor): NamedTarget[] {
  if (!c.seek('on')) return []; // GRANT role TO role: no object
  if (c.accept('all')) {
    const what = c.word();
    c.i++;
    if (!c.accept('in', 'schema')) return [];
    const kind = what === 'tables' || what === 'sequences' ? 'all-relations' : 'all-functions';
    return nameList(c, 'schema').map((s) => ({ kind, schema: s.name, name: '*' }));
  }
  const w = c.word();
  if (w === 'table' || w === 'sequence') c.i++;
  else if (w !== undefined && (ROUTINE_KINDS.has(w) || TYPE_KINDS.has(w) || w === 'schema')) {
    return kindTargets(c, objectKind(c));
  } else if (
    w !== undefined &&
    ['database', 'language', 'tablespace', 'foreign', 'large', 'parameter'].includes(w)
  ) {
    return [];
  }
  return nameList(c, 'relation');
}

function commentTargets(c: Cursor): NamedTarget[] {
  if (!c.accept('on')) return [];
  if (c.accept('column')) {
    const parts = c.name();
    return parts && parts.length > 1 ? [target('relation', parts.slice(0, -1))!] : [];
  }
  if (c.accept('constraint')) {
    if (!c.seek('on')) return [];
    c.accept('domain');
    return nameList(c, 'relation').slice(0, 1);
  }
  return kindTargets(c, objectKind(c));
}

/** The objects one statement names, found after the keywords of its grammar. */
export function statementTargets(stmt: TokenizedStatement): StatementTargets {
  const c = new Cursor(stmt.tokens);
  const first = c.word();
  const result = (targets: NamedTarget[], plan = false): StatementTargets => ({
    text: stmt.text,
    targets,
    plan,
  });
  if (first === undefined) return result([], stmt.tokens[0]?.kind === 'punct');
  if (DML.has(first)) return result([], true);
  c.i++;
  switch (first) {
    case 'create':
      return result(createTargets(c));
    case 'alter':
    case 'drop': {
      const kind = objectKind(c);
      if (kind === 'table' && c.word() === 'all') return result([]); // ALTER TABLE ALL IN TABLESPACE
      return result(kindTargets(c, kind));
    }
    case 'comment':
      return result(commentTargets(c));
    case 'grant':
      return result(grantTargets(c));
    case 'revoke':
      return result(grantTargets(c));
    case 'truncate':
      c.accept('table');
      return result(nameList(c, 'relation'));
    case 'refresh':
      return result(c.accept('materialized', 'view') ? kindTargets(c, 'view') : []);
    case 'copy': {
      const t = target('relation', c.name());
      return result(t ? [t] : []);
    }
    default:
      return result([]);
  }
}

/** The targets of every statement. */
export function findTargets(statements: TokenizedStatement[]): StatementTargets[] {
  return statements.map(statementTargets);
}
