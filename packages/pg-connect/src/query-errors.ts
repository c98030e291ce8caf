import type { RoleChoice } from './choose-role.js';
import {
  type CancelReason,
  PermissionDeniedError,
  type PgErrorFields,
  PgQueryError,
  QueryCanceledError,
  ReadOnlyViolationError,
} from './errors.js';
import { redactConnectionString } from './redact.js';
import { redactSqlSecrets } from './sql.js';

export interface DatabaseErrorLike {
  message: string;
  code?: string;
  position?: string;
  hint?: string;
  detail?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
  routine?: string;
  severity?: string;
}

export function isDatabaseError(error: unknown): error is DatabaseErrorLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as DatabaseErrorLike).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((error as DatabaseErrorLike).code!) &&
    'severity' in error
  );
}

/** Owners of the Supabase schemas whose tables users most often trip over. */
export const SUPABASE_SCHEMA_OWNERS: Record<string, string> = {
  auth: 'supabase_auth_admin',
  storage: 'supabase_storage_admin',
  realtime: 'supabase_realtime_admin',
  supabase_functions: 'supabase_functions_admin',
};

const CLASS_FIXES: Record<string, string> = {
  '42601': 'correct the syntax near the position shown',
  '42P01':
    'check the table name and schema (schema-qualify it, e.g. auth.users; the search_path may not include it)',
  '42703': 'check the column name (quoted identifiers are case-sensitive)',
  '42883': 'check the function name and argument types (add explicit casts)',
  '23505': 'the row conflicts with a unique constraint: update the existing row or use ON CONFLICT',
  '23503': 'the referenced row does not exist (or is still referenced)',
  '23502': 'give a value for the NOT NULL column',
  '22P02': 'the value does not match the column type: cast or fix the input',
  '40001': 'serialization failure: retry the transaction',
  '40P01': 'deadlock: retry the transaction and take locks in a consistent order',
  '42P07': 'the object already exists: use IF NOT EXISTS or another name',
  '0A000':
    'the feature is not supported here (through a transaction pooler, use the session port 5432 or a direct connection)',
  '26000':
    'prepared statements do not survive a transaction pooler: use the session port 5432 or a direct connection',
};

/** Line and column of a 1-based character position, plus the text around it. */
export function locate(
  sql: string,
  position: number,
): { line: number; column: number; near: string } {
  const before = sql.slice(0, position - 1);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n') - 1;
  const near = redactSqlSecrets(sql.slice(Math.max(0, position - 1), position + 29)).split(
    '\n',
  )[0]!;
  return { line, column, near };
}

export interface MapContext {
  sql: string;
  statementIndex?: number | undefined;
  /** Who we ran as (current_user), for permission explanations. */
  actingRole?: string | undefined;
  /** The owner looked up for the object named in a 42501, if any. */
  owner?: { schema: string; name: string; owner: string } | undefined;
  cancelReason?: CancelReason | undefined;
  readOnly?: boolean | undefined;
  /** What role: 'auto' decided, told again when a permission error follows. */
  roleChoice?: RoleChoice | undefined;
}

/** The relation or schema a permission error names. */
export function permissionSubject(message: string): { kind: string; name: string } | undefined {
  const m =
    /(?:permission denied for|must be owner of) (table|relation|view|sequence|schema|function|materialized view|type|database) "?([\w$]+)"?/i.exec(
      message,
    );
  if (!m) return undefined;
  return { kind: m[1]!.toLowerCase(), name: m[2]! };
}

function permissionHint(err: DatabaseErrorLike, ctx: MapContext): string {
  const role = ctx.actingRole ?? 'the current role';
  const setRole = /permission denied to set role "?([\w$]+)"?/i.exec(err.message);
  if (setRole) {
    return `${role} is not a member of ${setRole[1]}, so SET ROLE is refused. Fix: connect as supabase_admin (the superuser) to switch to ${setRole[1]}, or GRANT ${setRole[1]} TO ${role}.`;
  }
  const subject = permissionSubject(err.message);
  const owner = ctx.owner;
  if (owner) {
    const owned = `${owner.schema}.${owner.name} is owned by ${owner.owner}`;
    const svc = SUPABASE_SCHEMA_OWNERS[owner.schema] === owner.owner;
    if (svc) {
      const service =
        owner.schema === 'auth' ? 'the Auth service (GoTrue)' : `the ${owner.schema} service`;
      return `${owned}, the role of ${service}. ${role} may read and write its rows (postgres has grants) but cannot ALTER, DROP or add triggers to it. Fix: run as the owner — connect as supabase_admin and pass role: '${owner.owner}' (executeSql switches with SET LOCAL ROLE) — and make trigger functions on ${owner.schema} tables SECURITY DEFINER.`;
    }
    return `${owned}; ${role} lacks the privilege. Fix: GRANT the privilege to ${role} as ${owner.owner}, or run as ${owner.owner} (role: '${owner.owner}' from a member or superuser connection).`;
  }
  if (subject?.kind === 'schema' && SUPABASE_SCHEMA_OWNERS[subject.name]) {
    return `The ${subject.name} schema belongs to ${SUPABASE_SCHEMA_OWNERS[subject.name]}. Fix: connect as supabase_admin and pass role: '${SUPABASE_SCHEMA_OWNERS[subject.name]}'.`;
  }
  return `${role} lacks the privilege. Fix: GRANT it as the object's owner, or run as a role that has it (role option, from a member or superuser connection).`;
}

/** Maps a node-postgres DatabaseError to the typed error, with SQLSTATE, position and a hint. */
export function mapQueryError(error: DatabaseErrorLike, ctx: MapContext): PgQueryError {
  const sqlState = error.code ?? 'XX000';
  const position = error.position ? Number(error.position) : undefined;
  const fields: PgErrorFields = {
    sqlState,
    position,
    hint: error.hint,
    detail: error.detail ? redactConnectionString(error.detail) : undefined,
    schema: error.schema,
    table: error.table,
    column: error.column,
    constraint: error.constraint,
    routine: error.routine,
    severity: error.severity,
    statementIndex: ctx.statementIndex,
  };
  const base = redactSqlSecrets(error.message);
  let where = '';
  if (position && position <= ctx.sql.length + 1) {
    const at = locate(ctx.sql, position);
    where = `, line ${at.line} column ${at.column} near "${at.near}"`;
  }
  if (ctx.statementIndex !== undefined) where += `, statement ${ctx.statementIndex + 1}`;
  const head = `${base} (SQLSTATE ${sqlState}${where}).`;

  if (sqlState === '57014' || sqlState === '55P03') {
    const reason: CancelReason =
      sqlState === '55P03'
        ? 'lock_timeout'
        : (ctx.cancelReason ??
          (/statement timeout/i.test(error.message) ? 'statement_timeout' : 'aborted'));
    const fix =
      reason === 'aborted'
        ? 'The caller aborted it; run it again if needed.'
        : reason === 'lock_timeout'
          ? 'Another session holds a conflicting lock: find it with monitorConnections() or raise lockTimeoutMs.'
          : 'It ran longer than allowed: add an index or a LIMIT, or raise statementTimeoutMs/timeoutMs.';
    return new QueryCanceledError(
      `${head} The statement was cancelled on the server (${reason}). Fix: ${fix}`,
      { ...fields, hint: fields.hint ?? fix, reason },
      { cause: error },
    );
  }
  if (sqlState === '25006') {
    const fix = ctx.readOnly
      ? 'executeSql ran in a READ ONLY transaction (readOnly: true), so Postgres refused the write. Pass readOnly: false to write.'
      : 'The transaction or server is read-only (a standby or default_transaction_read_only). Write on the primary.';
    return new ReadOnlyViolationError(
      `${head} Fix: ${fix}`,
      { ...fields, hint: fields.hint ?? fix },
      { cause: error },
    );
  }
  if (sqlState === '42501') {
    const auto = ctx.roleChoice
      ? ` role: 'auto' ran it as ${ctx.roleChoice.used ?? ctx.roleChoice.sessionUser}: ${ctx.roleChoice.reason}`
      : '';
    const hint = permissionHint(error, ctx) + auto;
    return new PermissionDeniedError(
      `${head} ${hint}`,
      { ...fields, hint: fields.hint ? `${fields.hint} ${hint}` : hint, owner: ctx.owner?.owner },
      { cause: error },
    );
  }
  const fix =
    error.hint ??
    CLASS_FIXES[sqlState] ??
    'correct the statement (see the SQLSTATE in the PostgreSQL error code table)';
  return new PgQueryError(
    `${head} Fix: ${fix}`,
    { ...fields, hint: fields.hint ?? CLASS_FIXES[sqlState] },
    { cause: error },
  );
}
