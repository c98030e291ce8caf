import { sendCancelRequest } from './cancel.js';
import { decideRole, type RoleChoice } from './choose-role.js';
import { type CancelReason, PgConnectError, QueryCanceledError, validate } from './errors.js';
import {
  EXECUTE_DEFAULTS,
  type ExecuteOptions,
  normalize,
  optionsSchema,
  type ParsedExecuteOptions,
  prelude,
  sqlSchema,
} from './execute-options.js';
import { lookupOwner } from './permission-owner.js';
import { isDatabaseError, type MapContext, mapQueryError } from './query-errors.js';
import { lease, type Queryable } from './resolve-db.js';
import { type RowMode, SqlResult, StatementResult } from './result.js';
import { runBuffered } from './run-buffered.js';
import { runStreamed } from './run-streamed.js';
import type { StatementResultParts } from './statement-parts.js';
import { resolveTypeNames } from './type-names.js';

export { EXECUTE_DEFAULTS, type ExecuteOptions } from './execute-options.js';
export { ChunkedQueryStream } from './run-streamed.js';

interface CancelState {
  reason: CancelReason | undefined;
}

function isEmptyPlainObject(value: object): boolean {
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const _ in value) return false;
  return true;
}

/**
 * Runs SQL safely: parameters, several statements, per-call statement_timeout/lock_timeout,
 * read-only enforced by a READ ONLY transaction, SET LOCAL ROLE (anon, authenticated,
 * service_role, supabase_auth_admin), bounded results (first maxRows rows; with
 * `stream: true` the rest spill to disk and can be paged), server-side cancellation on
 * timeout or AbortSignal, and typed errors with SQLSTATE, position and hint.
 */
export async function executeSql<Row = Record<string, unknown>>(
  db: Queryable,
  sql: string | Array<string | { sql: string; params?: unknown[] }>,
  options: ExecuteOptions = {},
): Promise<SqlResult<Row>> {
  // an empty options object and a non-empty string always pass their schemas: skip the parse
  // on this hot path (everything else goes through zod)
  const o: ParsedExecuteOptions =
    options !== null && typeof options === 'object' && isEmptyPlainObject(options)
      ? {}
      : validate(optionsSchema, options, 'executeSql options');
  const statements = normalize(
    typeof sql === 'string' && sql.length > 0 ? sql : validate(sqlSchema, sql, 'SQL'),
    o.params,
  );
  const maxRows = o.maxRows ?? EXECUTE_DEFAULTS.maxRows;
  const rowMode: RowMode = o.rowMode ?? 'object';
  const abortedEarly = () =>
    new QueryCanceledError(
      'The statement was not started: the AbortSignal was already aborted. Fix: pass a fresh signal.',
      { sqlState: '57014', reason: 'aborted' },
    );
  if (o.signal?.aborted) throw abortedEarly();
  const started = performance.now();
  const l = await lease(db);
  if (o.signal?.aborted) {
    // aborted while waiting for a connection: nothing ran
    await l.release();
    throw abortedEarly();
  }
  const client = l.client;
  const cancel: CancelState = { reason: undefined };
  let destroyed = false;
  let graceTimer: NodeJS.Timeout | undefined;
  const requestCancel = (reason: CancelReason) => {
    if (cancel.reason) return;
    cancel.reason = reason;
    const ids = client as unknown as { processID: number; secretKey: number };
    void sendCancelRequest(l.config, ids.processID, ids.secretKey);
    graceTimer = setTimeout(() => {
      // the server did not answer the cancel in time: drop the connection so nothing hangs
      destroyed = true;
      (
        client as unknown as { connection?: { stream?: { destroy(): void } } }
      ).connection?.stream?.destroy();
    }, o.cancelGraceMs ?? EXECUTE_DEFAULTS.cancelGraceMs);
    graceTimer.unref();
  };
  const deadline = o.timeoutMs
    ? setTimeout(() => requestCancel('timeout'), o.timeoutMs)
    : undefined;
  const onAbort = () => requestCancel('aborted');
  o.signal?.addEventListener('abort', onAbort, { once: true });

  const parts: StatementResultParts[] = [];
  let roleChoice: RoleChoice | undefined;
  let inTx = false;
  let index = 0;
  try {
    if (o.role === 'auto') {
      roleChoice = { requested: 'auto', ...(await decideRole(client, statements)) };
    }
    const begin = prelude(o, l, roleChoice ? roleChoice.used : o.role);
    if (begin) {
      // set before awaiting: if a SET in the prelude fails, the transaction is open and aborted
      inTx = true;
      await client.query(begin);
    }
    for (; index < statements.length; index++) {
      const stmt = statements[index]!;
      if (o.stream) {
        parts.push(
          await runStreamed(
            client,
            stmt,
            maxRows,
            o.batchSize ?? EXECUTE_DEFAULTS.batchSize,
            o.spillThreshold,
          ),
        );
      } else {
        parts.push(...(await runBuffered(client, stmt, maxRows, rowMode)));
      }
    }
    const naming = resolveTypeNames(client, parts);
    if (naming) await naming;
    if (inTx) await client.query(o.rollback ? 'ROLLBACK' : 'COMMIT');
    inTx = false;
  } catch (error) {
    await Promise.all(parts.map((p) => p.spill?.dispose()));
    const stmt = statements[Math.min(index, statements.length - 1)]!;
    let owner: MapContext['owner'];
    if (!destroyed) {
      try {
        if (inTx) await client.query('ROLLBACK');
        if (isDatabaseError(error) && error.code === '42501') {
          owner = await lookupOwner(client, stmt.text, error.message);
        }
      } catch {
        destroyed = true;
      }
    }
    await finish();
    if (isDatabaseError(error)) {
      throw mapQueryError(error, {
        sql: stmt.text,
        statementIndex: statements.length > 1 ? index : undefined,
        actingRole: (roleChoice ? roleChoice.used : o.role) ?? l.loginRole,
        roleChoice,
        owner,
        cancelReason: cancel.reason,
        readOnly: o.readOnly,
      });
    }
    if (cancel.reason) {
      throw new QueryCanceledError(
        `The statement did not stop after the cancel request (${cancel.reason}), so the connection was closed. Fix: check the server's load; the statement may still have run partly if it was not in a transaction.`,
        { sqlState: '57014', reason: cancel.reason },
        { cause: error },
      );
    }
    if (PgConnectError.isInstance(error)) throw error;
    throw new PgConnectError(
      'QUERY_FAILED',
      `The statement failed without a server error: ${(error as Error)?.message ?? String(error)}. Fix: check the connection (it may have been closed) and run it again.`,
      { cause: error },
    );
  }
  const releasing = finish();
  if (releasing) await releasing;
  return new SqlResult<Row>(
    parts.map((p) => new StatementResult<Row>({ ...p, rowMode })),
    performance.now() - started,
    roleChoice,
  );

  function finish(): Promise<void> | undefined {
    if (deadline) clearTimeout(deadline);
    if (graceTimer) clearTimeout(graceTimer);
    o.signal?.removeEventListener('abort', onAbort);
    // a cancel request still in flight could hit the next user of this connection: never reuse it
    return l.release(destroyed || cancel.reason !== undefined);
  }
}
