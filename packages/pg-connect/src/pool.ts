import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { z } from 'zod';
import { classifyConnectError, connectError, isRetryable } from './connect-errors.js';
import { PoolStateError, validate } from './errors.js';
import { parseConnectionTarget } from './parse.js';
import { toPgConfig } from './pg-config.js';
import { redactTarget } from './render.js';
import type { ConnectionTarget } from './target.js';

export const POOL_DEFAULTS = {
  max: 10,
  idleTimeoutMillis: 10_000,
  connectionTimeoutMillis: 10_000,
  statementTimeoutMs: 60_000,
  idleInTransactionSessionTimeoutMs: 60_000,
  applicationName: 'supaops',
  retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 2_000 },
} as const;

const retrySchema = z
  .object({
    retries: z.number().int().min(0).max(20).optional(),
    baseDelayMs: z.number().int().min(0).max(60_000).optional(),
    maxDelayMs: z.number().int().min(0).max(300_000).optional(),
  })
  .strict();

export const poolOptionsSchema = z
  .object({
    name: z.string().min(1).max(100).optional(),
    max: z.number().int().min(1).max(1000).optional(),
    min: z.number().int().min(0).max(1000).optional(),
    idleTimeoutMillis: z.number().int().min(0).optional(),
    connectionTimeoutMillis: z.number().int().min(0).optional(),
    statementTimeoutMs: z.number().int().min(0).optional(),
    lockTimeoutMs: z.number().int().min(0).optional(),
    idleInTransactionSessionTimeoutMs: z.number().int().min(0).optional(),
    applicationName: z.string().min(1).max(63).optional(),
    maxLifetimeSeconds: z.number().int().min(0).optional(),
    allowExitOnIdle: z.boolean().optional(),
    retry: retrySchema.optional(),
    onError: z.custom<(error: Error) => void>((v) => typeof v === 'function').optional(),
  })
  .strict();

export interface PoolOptions {
  /** Name used in messages and by the registry. */
  name?: string;
  /** Most connections the pool opens (default 10). */
  max?: number;
  min?: number;
  /** Close idle connections after this long (default 10 s). */
  idleTimeoutMillis?: number;
  /** Give up connecting or waiting for a free client after this long (default 10 s). Also bounds the retries. */
  connectionTimeoutMillis?: number;
  /** statement_timeout of every session (default 60 s; 0 = none). In transaction mode it is applied per transaction by executeSql. */
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  /** idle_in_transaction_session_timeout (default 60 s), so a forgotten transaction cannot hold a slot forever. */
  idleInTransactionSessionTimeoutMs?: number;
  /** application_name (default "supaops"; the target's application_name wins over the default). */
  applicationName?: string;
  maxLifetimeSeconds?: number;
  allowExitOnIdle?: boolean;
  /** Retries of transient connect errors (refused, reset, 53300 too many clients, 57P03 starting up). Auth errors are never retried. */
  retry?: { retries?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Errors of idle clients (server restarted, connection killed); they are otherwise swallowed. */
  onError?: (error: Error) => void;
}

function backoff(attempt: number, base: number, max: number): number {
  const exp = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

/**
 * A pg.Pool for one target with supaops defaults: max 10, idle and connection timeouts,
 * statement_timeout, application_name "supaops", TLS from sslmode, transient connect
 * errors retried with backoff (auth errors not), typed errors, and clean shutdown.
 */
export class SupaopsPool implements AsyncDisposable {
  readonly name: string;
  readonly target: ConnectionTarget;
  /** The underlying pg.Pool, for code that needs it directly. */
  readonly pg: pg.Pool;
  readonly clientConfig: pg.ClientConfig;
  /** Settings applied per transaction by executeSql when the pooler forbids session SET. */
  readonly sessionDefaults: { statementTimeoutMs: number; lockTimeoutMs: number | undefined };
  readonly #retryOptions: { retries: number; baseDelayMs: number; maxDelayMs: number };
  readonly #connectionTimeoutMillis: number;
  #closing: Promise<void> | undefined;

  constructor(target: ConnectionTarget, options: PoolOptions = {}) {
    const o = validate(poolOptionsSchema, options, 'pool options') as PoolOptions;
    this.target = target;
    this.name = o.name ?? 'default';
    this.#connectionTimeoutMillis =
      o.connectionTimeoutMillis ?? POOL_DEFAULTS.connectionTimeoutMillis;
    this.#retryOptions = { ...POOL_DEFAULTS.retry, ...o.retry };
    const statementTimeoutMs = o.statementTimeoutMs ?? POOL_DEFAULTS.statementTimeoutMs;
    const idleTx =
      o.idleInTransactionSessionTimeoutMs ?? POOL_DEFAULTS.idleInTransactionSessionTimeoutMs;
    this.sessionDefaults = { statementTimeoutMs, lockTimeoutMs: o.lockTimeoutMs };
    this.clientConfig = toPgConfig(target, {
      applicationName:
        o.applicationName ?? target.params.application_name ?? POOL_DEFAULTS.applicationName,
      statementTimeoutMs,
      lockTimeoutMs: o.lockTimeoutMs,
      idleInTransactionSessionTimeoutMs: idleTx,
      connectionTimeoutMillis: this.#connectionTimeoutMillis,
    });
    const sessionSets: string[] = [];
    if (target.mode === 'session') {
      // poolers reject unknown startup parameters; session mode allows SET after connecting
      sessionSets.push(`SET statement_timeout = ${statementTimeoutMs}`);
      if (o.lockTimeoutMs !== undefined) sessionSets.push(`SET lock_timeout = ${o.lockTimeoutMs}`);
      sessionSets.push(`SET idle_in_transaction_session_timeout = ${idleTx}`);
    }
    const poolConfig: pg.PoolConfig = {
      ...this.clientConfig,
      max: o.max ?? POOL_DEFAULTS.max,
      idleTimeoutMillis: o.idleTimeoutMillis ?? POOL_DEFAULTS.idleTimeoutMillis,
      connectionTimeoutMillis: this.#connectionTimeoutMillis,
      allowExitOnIdle: o.allowExitOnIdle ?? false,
    };
    if (o.min !== undefined) poolConfig.min = o.min;
    if (o.maxLifetimeSeconds !== undefined) poolConfig.maxLifetimeSeconds = o.maxLifetimeSeconds;
    if (sessionSets.length) {
      const text = sessionSets.join('; ');
      poolConfig.onConnect = async (client: pg.ClientBase) => {
        await client.query(text);
      };
    }
    this.pg = new pg.Pool(poolConfig);
    const onError = o.onError;
    // an idle client whose connection dies emits here; without a listener the process would crash
    this.pg.on('error', (error) => onError?.(error));
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** Clients in the pool: total, idle, and callers waiting for one. */
  get stats(): { total: number; idle: number; waiting: number; max: number } {
    return {
      total: this.pg.totalCount,
      idle: this.pg.idleCount,
      waiting: this.pg.waitingCount,
      max: this.pg.options.max,
    };
  }

  /** Checks out a client, retrying transient connect failures with backoff until the connection timeout. */
  connect(): Promise<pg.PoolClient> {
    if (this.#closing) {
      return Promise.reject(
        new PoolStateError(
          'POOL_CLOSED',
          `The pool "${this.name}" (${redactTarget(this.target)}) is closed. Fix: create a new pool (or registry entry) instead of reusing a closed one.`,
        ),
      );
    }
    // the first attempt stays a bare pg.Pool checkout: this is every query's hot path
    const started = Date.now();
    return this.pg.connect().catch((error: unknown) => this.#retry(error, started));
  }

  async #retry(first: unknown, started: number): Promise<pg.PoolClient> {
    const budget = this.#connectionTimeoutMillis || 30_000;
    let error = first;
    let attempt = 1;
    while (true) {
      const kind = classifyConnectError(error);
      const delay = backoff(attempt, this.#retryOptions.baseDelayMs, this.#retryOptions.maxDelayMs);
      const withinBudget = Date.now() - started + delay < budget;
      if (
        !isRetryable(kind) ||
        attempt > this.#retryOptions.retries ||
        !withinBudget ||
        this.#closing
      ) {
        const s = this.stats;
        throw connectError(error, this.target, {
          attempts: attempt,
          poolStats: `pool "${this.name}": ${s.total}/${s.max} clients, ${s.idle} idle, ${s.waiting} waiting`,
        });
      }
      await sleep(delay);
      attempt++;
      try {
        return await this.pg.connect();
      } catch (next) {
        error = next;
      }
    }
  }

  /** Runs one query on a pooled client (no transaction, no row limit); see executeSql for the safe path. */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    const client = await this.connect();
    try {
      return await client.query<R>(text, values);
    } finally {
      client.release();
    }
  }

  /** Waits for checked-out clients to be released, then closes every connection. Idempotent. */
  end(): Promise<void> {
    this.#closing ??= this.pg.end();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.end();
  }
}

/** Creates a pool for a target (or any connection string the parser accepts). */
export function createPool(
  target: ConnectionTarget | string,
  options: PoolOptions = {},
): SupaopsPool {
  const t = typeof target === 'string' ? parseConnectionTarget(target) : target;
  return new SupaopsPool(t, options);
}
