import { z } from 'zod';
import { PgConnectError } from './errors.js';
import type { Lease } from './resolve-db.js';
import type { RowMode } from './result.js';
import { quoteIdent, quoteLiteral } from './sql.js';

export const EXECUTE_DEFAULTS = {
  maxRows: 1000,
  batchSize: 10_000,
  cancelGraceMs: 3000,
} as const;

const statementSchema = z.union([
  z.string().min(1),
  z.object({ sql: z.string().min(1), params: z.array(z.unknown()).optional() }).strict(),
]);
export const sqlSchema = z.union([
  z.string().min(1, 'the SQL is empty'),
  z.array(statementSchema).min(1),
]);

export const optionsSchema = z
  .object({
    params: z.array(z.unknown()).optional(),
    readOnly: z.boolean().optional(),
    role: z
      .string()
      .min(1)
      .max(63)
      .regex(/^[A-Za-z_][A-Za-z0-9_$-]*$/, 'a role name (letters, digits, _ and $)')
      .optional(),
    claims: z.record(z.string(), z.unknown()).optional(),
    statementTimeoutMs: z.number().int().min(0).optional(),
    lockTimeoutMs: z.number().int().min(0).optional(),
    timeoutMs: z.number().int().min(1).optional(),
    signal: z.instanceof(AbortSignal).optional(),
    maxRows: z.number().int().min(0).max(1_000_000).optional(),
    stream: z.boolean().optional(),
    batchSize: z.number().int().min(1).max(1_000_000).optional(),
    spillThreshold: z.number().int().min(0).optional(),
    rowMode: z.enum(['object', 'array']).optional(),
    rollback: z.boolean().optional(),
    transaction: z.boolean().optional(),
    cancelGraceMs: z.number().int().min(0).max(60_000).optional(),
  })
  .strict();

export interface ExecuteOptions {
  /** $1, $2, ... values (one statement only). */
  params?: unknown[];
  /** Run in a READ ONLY transaction: Postgres itself refuses writes. */
  readOnly?: boolean;
  /**
   * SET LOCAL ROLE for the transaction: anon, authenticated, service_role, supabase_auth_admin, ...
   * `'auto'`: the owner of what the statements touch, when the connection may switch to it
   * (see chooseRole); `SqlResult.roleChoice` says which role ran and why.
   */
  role?: 'auto' | (string & {});
  /** JWT claims for RLS (request.jwt.claims, read by auth.uid() and auth.jwt()), e.g. { sub, role }. */
  claims?: Record<string, unknown>;
  /** statement_timeout for this call (SET LOCAL), cancelled by the server when exceeded. */
  statementTimeoutMs?: number;
  /** lock_timeout for this call (SET LOCAL). */
  lockTimeoutMs?: number;
  /** Deadline for the statements, counted once a connection is checked out: when it passes, a cancel request stops the statement on the server. */
  timeoutMs?: number;
  /** Aborting cancels the statement on the server. */
  signal?: AbortSignal;
  /** Rows kept in `rows` (default 1000). */
  maxRows?: number;
  /** Stream through pg-query-stream (cursor batches) and keep rows beyond maxRows in a spill-to-disk RecordLog for paging. */
  stream?: boolean;
  /**
   * Rows the server sends per portal fetch when streaming (default 10000). Rows reach the
   * spill log as they arrive and the socket is paused while it catches up, so memory does
   * not grow with this.
   */
  batchSize?: number;
  /** Bytes of spilled rows kept in memory before they go to a temp file (spill-buffer default 512 KiB). */
  spillThreshold?: number;
  /** Rows as objects (default) or arrays. */
  rowMode?: RowMode;
  /** Roll back at the end instead of committing (dry run). */
  rollback?: boolean;
  /** Force a transaction even when no option needs one. */
  transaction?: boolean;
  /** After a cancel request, how long to wait before dropping the connection (default 3 s). */
  cancelGraceMs?: number;
}

export type ParsedExecuteOptions = z.infer<typeof optionsSchema>;

export interface Statement {
  text: string;
  params: unknown[] | undefined;
}

export function normalize(
  sql: string | Array<string | { sql: string; params?: unknown[] }>,
  params?: unknown[],
): Statement[] {
  if (typeof sql === 'string') return [{ text: sql, params }];
  if (params) {
    throw new PgConnectError(
      'VALIDATION_FAILED',
      'params were given together with a list of statements. Fix: put params on each statement: [{ sql, params }].',
    );
  }
  return sql.map((s) =>
    typeof s === 'string' ? { text: s, params: undefined } : { text: s.sql, params: s.params },
  );
}

/** The BEGIN and SET LOCALs the options need, or undefined when the statements run bare. */
export function prelude(
  o: ParsedExecuteOptions,
  l: Lease,
  role: string | null | undefined,
): string | undefined {
  if (
    o.statementTimeoutMs === undefined &&
    o.lockTimeoutMs === undefined &&
    !role &&
    !o.claims &&
    !o.readOnly &&
    !o.rollback &&
    !o.transaction &&
    l.mode !== 'transaction'
  ) {
    return undefined; // the common case: one round trip, no transaction wrapper
  }
  const parts: string[] = [];
  const statementTimeout =
    o.statementTimeoutMs ?? (l.mode === 'transaction' ? l.statementTimeoutMs : undefined);
  if (statementTimeout !== undefined)
    parts.push(`SET LOCAL statement_timeout = ${statementTimeout}`);
  if (o.lockTimeoutMs !== undefined) parts.push(`SET LOCAL lock_timeout = ${o.lockTimeoutMs}`);
  if (role) parts.push(`SET LOCAL ROLE ${quoteIdent(role)}`);
  if (o.claims) {
    parts.push(
      `SELECT set_config('request.jwt.claims', ${quoteLiteral(JSON.stringify(o.claims))}, true)`,
    );
  }
  const needsTx = parts.length > 0 || o.readOnly || o.rollback || o.transaction;
  if (!needsTx) return undefined;
  return [`BEGIN${o.readOnly ? ' READ ONLY' : ''}`, ...parts].join('; ');
}
