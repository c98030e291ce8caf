import pg from 'pg';
import QueryStream from 'pg-query-stream';
import { z } from 'zod';
import { sendCancelRequest } from './cancel.js';
import { decideRole, type RoleChoice } from './choose-role.js';
import { type CancelReason, PgConnectError, QueryCanceledError, validate } from './errors.js';
import { builtinTypeName, RAW_TYPES } from './pg-types.js';
import {
  isDatabaseError,
  type MapContext,
  mapQueryError,
  permissionSubject,
} from './query-errors.js';
import { type Lease, lease, type Queryable } from './resolve-db.js';
import {
  type ColumnInfo,
  type RawRow,
  type RowMode,
  SqlResult,
  StatementResult,
} from './result.js';
import { SpilledRows } from './spilled-rows.js';
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
const sqlSchema = z.union([z.string().min(1, 'the SQL is empty'), z.array(statementSchema).min(1)]);

const optionsSchema = z
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

interface Statement {
  text: string;
  params: unknown[] | undefined;
}

interface CancelState {
  reason: CancelReason | undefined;
}

const typeNameCache = new Map<number, string>();

/** Fills in column type names; returns a promise only when a catalog lookup is needed. */
function resolveTypeNames(
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

interface StatementResultParts {
  command: string | null;
  columns: ColumnInfo[];
  kept: unknown[];
  /** True when pg already parsed the kept rows (buffered path); raw text otherwise (streamed). */
  parsed: boolean;
  rowCount: number | null;
  received: number;
  spill: SpilledRows | undefined;
}

interface PgField {
  name: string;
  dataTypeID: number;
}
interface PgResultLike {
  command: string | null;
  rowCount: number | null;
  fields: PgField[];
}

function columnsOf(fields: PgField[] | undefined): ColumnInfo[] {
  return (fields ?? []).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID, type: '' }));
}

/**
 * pg's Query that keeps at most `cap` rows per result and counts the rest, so a huge result
 * read without `stream` cannot fill memory. Completion goes through pg's own callback path,
 * the same as a plain `client.query`.
 */
class CappedQuery extends pg.Query {
  readonly received = new Map<unknown, number>();
  readonly #cap: number;
  constructor(config: string | pg.QueryConfig, values: unknown[] | undefined, cap: number) {
    super(config as pg.QueryConfig, values);
    this.#cap = cap;
  }
  handleDataRow(message: unknown): void {
    const result = (this as unknown as { _result: unknown })._result;
    const n = this.received.get(result) ?? 0;
    this.received.set(result, n + 1);
    if (n < this.#cap) {
      (pg.Query.prototype as unknown as { handleDataRow(m: unknown): void }).handleDataRow.call(
        this,
        message,
      );
    }
  }
}

interface PgResultRows extends PgResultLike {
  rows: unknown[];
}

/** One round trip: simple protocol (several statements) or extended (with params); rows beyond maxRows are counted, not kept. */
function runBuffered(
  client: pg.PoolClient,
  stmt: Statement,
  maxRows: number,
  rowMode: RowMode,
): Promise<StatementResultParts[]> {
  return new Promise((resolve, reject) => {
    // the string form skips pg's config cloning: this path is the per-query hot path
    const query =
      rowMode === 'array'
        ? new CappedQuery(
            { text: stmt.text, values: stmt.params, rowMode: 'array' } as unknown as pg.QueryConfig,
            undefined,
            maxRows,
          )
        : new CappedQuery(stmt.text, stmt.params, maxRows);
    client.query(query as unknown as pg.QueryConfig, (error: Error | null, results: unknown) => {
      if (error) {
        reject(error);
        return;
      }
      const list = (Array.isArray(results) ? results : [results]) as PgResultRows[];
      resolve(
        list.map((r) => ({
          command: r.command ?? null,
          columns: columnsOf(r.fields),
          kept: r.rows,
          parsed: true,
          rowCount: r.rowCount ?? null,
          received: query.received.get(r) ?? r.rows.length,
          spill: undefined,
        })),
      );
    });
  });
}

/** Rows per chunk the stream hands to the consumer. */
const STREAM_CHUNK_ROWS = 250;

interface PausableSocket {
  pause(): void;
  resume(): void;
  cork(): void;
  uncork(): void;
}

/**
 * pg-query-stream that hands over rows in chunks of STREAM_CHUNK_ROWS as they arrive, each
 * row being the server's text values exactly as pg's protocol parser made them (no per-row
 * parse, 'row' event or stream push). The next portal fetch (Execute for `fetchRows` rows)
 * goes out as soon as the last one completes, so the server keeps producing while the
 * client writes; when the consumer falls behind, the socket is paused and TCP holds the
 * server back, so memory stays bounded whatever `fetchRows` is.
 */
export class ChunkedQueryStream extends QueryStream {
  readonly #fetchRows: number;
  #chunk: RawRow[] = [];
  #fetched = 0;
  #started = false;
  #paused = false;

  constructor(text: string, values: unknown[], fetchRows: number) {
    // highWaterMark counts chunks: 1000 rows buffered before the socket pauses (measured:
    // larger buffers let batches survive young-generation GCs and raise peak RSS)
    super(text, values, { highWaterMark: 4, rowMode: 'array', types: RAW_TYPES });
    this.#fetchRows = fetchRows;
    this.handleDataRow = (message: { fields: RawRow }) => {
      this.#fetched++;
      this.#chunk.push(message.fields);
      if (this.#chunk.length === STREAM_CHUNK_ROWS) this.#pushChunk();
    };
  }

  get #socket(): PausableSocket | undefined {
    return (this.cursor.connection as { stream?: PausableSocket } | null)?.stream;
  }

  #pushChunk(): void {
    const chunk = this.#chunk;
    this.#chunk = [];
    // once destroyed, the portal is being closed: keep reading so its ReadyForQuery arrives
    if (!this.push(chunk) && !this.destroyed && !this.#paused) {
      this.#paused = true;
      this.#socket?.pause();
    }
  }

  #resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#socket?.resume();
  }

  #fetch(): void {
    this.#fetched = 0;
    const socket = this.#socket;
    // Execute and Flush leave in one write
    socket?.cork();
    try {
      this.cursor.read(this.#fetchRows, (error: Error | undefined) => {
        if (error) {
          this.destroy(error);
          return;
        }
        const done = this.#fetched < this.#fetchRows;
        if (this.#chunk.length > 0) this.#pushChunk();
        if (done) this.push(null);
        else this.#fetch();
      });
    } finally {
      socket?.uncork();
    }
  }

  override _read(): void {
    if (!this.#started) {
      this.#started = true;
      this.#fetch();
    }
    this.#resume();
  }

  override _destroy(error: Error, callback: (error?: Error | null) => void): void {
    this.#resume();
    super._destroy(error, callback);
  }
}

/** Streams one statement through pg-query-stream; rows beyond maxRows go to a RecordLog (bounded memory). */
async function runStreamed(
  client: pg.PoolClient,
  stmt: Statement,
  maxRows: number,
  batchSize: number,
  spillThreshold: number | undefined,
): Promise<StatementResultParts> {
  const stream = new ChunkedQueryStream(stmt.text, stmt.params ?? [], batchSize);
  client.query(stream);
  const kept: RawRow[] = [];
  let received = 0;
  let spill: SpilledRows | undefined;
  try {
    // a read() loop on 'readable', paused while the spill log catches up with the disk
    await new Promise<void>((resolve, reject) => {
      let writing = false;
      const drain = (): void => {
        if (writing) return;
        let batch = stream.read() as RawRow[] | null;
        while (batch !== null) {
          received += batch.length;
          let from = 0;
          if (kept.length < maxRows) {
            from = Math.min(maxRows - kept.length, batch.length);
            for (let i = 0; i < from; i++) kept.push(batch[i]!);
          }
          if (from < batch.length) {
            spill ??= new SpilledRows({ threshold: spillThreshold });
            const write = spill.pushAll(batch, from);
            if (write) {
              writing = true;
              write.then(
                () => {
                  writing = false;
                  drain();
                },
                (error: unknown) => stream.destroy(error as Error),
              );
              return;
            }
          }
          batch = stream.read() as RawRow[] | null;
        }
      };
      stream.on('readable', drain);
      stream.once('end', resolve);
      stream.once('error', reject);
    });
    await spill?.finish();
  } catch (error) {
    await spill?.dispose();
    throw error;
  }
  const result = (stream as unknown as { cursor: { _result: PgResultLike } }).cursor._result;
  return {
    command: result.command ?? null,
    columns: columnsOf(result.fields),
    kept,
    parsed: false,
    // a portal fetched in batches reports only the last batch in CommandComplete: count ourselves
    rowCount: result.command === 'SELECT' || result.rowCount === null ? received : result.rowCount,
    received,
    spill,
  };
}

function isEmptyPlainObject(value: object): boolean {
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const _ in value) return false;
  return true;
}

function normalize(
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

async function lookupOwner(
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

function prelude(
  o: z.infer<typeof optionsSchema>,
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
  const o: z.infer<typeof optionsSchema> =
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
