import pg from 'pg';
import { PgConnectValidationError } from './errors.js';
import { parseConnectionTarget } from './parse.js';
import { createPool, type PoolOptions, SupaopsPool } from './pool.js';
import type { ConnectionTarget } from './target.js';

/** What executeSql and monitorConnections accept: a pool, a pg.Pool, a parsed target or a connection string. */
export type Queryable = SupaopsPool | pg.Pool | ConnectionTarget | string;

export interface Lease {
  client: pg.PoolClient;
  config: pg.ClientConfig;
  pool: SupaopsPool | undefined;
  /** Role we log in as (without tenant). */
  loginRole: string | undefined;
  mode: 'direct' | 'session' | 'transaction';
  statementTimeoutMs: number | undefined;
  /** Returns a promise only when a temporary pool has to be closed. */
  release(destroy?: boolean): Promise<void> | undefined;
}

function isTarget(value: unknown): value is ConnectionTarget {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ConnectionTarget).host === 'string' &&
    typeof (value as ConnectionTarget).port === 'number' &&
    typeof (value as ConnectionTarget).mode === 'string'
  );
}

/** Checks out a client from whatever was given; temporary pools are closed on release. */
export function lease(db: Queryable, temporaryOptions: PoolOptions = {}): Promise<Lease> {
  if (db instanceof SupaopsPool) {
    // no async wrapper: this is the per-query hot path
    return db.connect().then((client) => ({
      client,
      config: db.clientConfig,
      pool: db,
      loginRole: db.target.role,
      mode: db.target.mode,
      statementTimeoutMs: db.sessionDefaults.statementTimeoutMs,
      release(destroy = false) {
        client.release(destroy);
        return undefined;
      },
    }));
  }
  return leaseOther(db, temporaryOptions);
}

async function leaseOther(db: Queryable, temporaryOptions: PoolOptions): Promise<Lease> {
  if (db instanceof pg.Pool) {
    const client = await db.connect();
    const options = db.options as pg.PoolConfig;
    return {
      client,
      config: options,
      pool: undefined,
      loginRole: options.user,
      mode: 'direct',
      statementTimeoutMs: undefined,
      release(destroy = false) {
        client.release(destroy);
        return undefined;
      },
    };
  }
  let target: ConnectionTarget;
  if (typeof db === 'string') target = parseConnectionTarget(db);
  else if (isTarget(db)) target = db;
  else {
    throw new PgConnectValidationError('database handle', [
      'expected a SupaopsPool, a pg.Pool, a ConnectionTarget or a connection string',
    ]);
  }
  const pool = createPool(target, { max: 1, ...temporaryOptions });
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    client,
    config: pool.clientConfig,
    pool,
    loginRole: target.role,
    mode: target.mode,
    statementTimeoutMs: pool.sessionDefaults.statementTimeoutMs,
    async release(destroy = false) {
      client.release(destroy);
      await pool.end();
    },
  };
}
