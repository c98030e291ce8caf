import { createServer } from 'node:net';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConnectionError,
  createPool,
  executeSql,
  PoolRegistry,
  PoolStateError,
  PoolTimeoutError,
  parseConnectionTarget,
  redactTarget,
} from '../src/index.js';

const db = useTestDatabase('pool');
const registry = new PoolRegistry({ max: 2 });

afterAll(async () => {
  await registry.closeAll();
});

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('createPool', () => {
  it('applies the defaults: max 10, application_name supaops, statement_timeout, idle tx timeout', async () => {
    const pool = createPool(db.current.url('postgres'));
    try {
      expect(pool.stats.max).toBe(10);
      const r = await pool.query<{ app: string; st: string; it: string }>(
        "SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS st, current_setting('idle_in_transaction_session_timeout') AS it",
      );
      expect(r.rows[0]).toEqual({ app: 'supaops', st: '1min', it: '1min' });
    } finally {
      await pool.end();
    }
    expect(pool.closed).toBe(true);
    await expect(pool.connect()).rejects.toBeInstanceOf(PoolStateError);
    await pool.end(); // idempotent
  });

  it('sets session settings after connecting in session-pooler mode', async () => {
    const t = parseConnectionTarget(db.current.url('postgres'), { mode: 'session' });
    const pool = createPool(t, { statementTimeoutMs: 4321, lockTimeoutMs: 99 });
    try {
      const r = await pool.query(
        "SELECT current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt",
      );
      expect(r.rows[0]).toEqual({ st: '4321ms', lt: '99ms' });
    } finally {
      await pool.end();
    }
  });

  it('retries refused connections with backoff, then fails with a typed error', async () => {
    const port = await closedPort();
    const pool = createPool(`postgresql://postgres:pw@127.0.0.1:${port}/postgres`, {
      retry: { retries: 2, baseDelayMs: 20, maxDelayMs: 50 },
      connectionTimeoutMillis: 3000,
    });
    try {
      const err = await pool.connect().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as ConnectionError).attempts).toBe(3);
      expect((err as Error).message).toContain(`127.0.0.1:${port}`);
      expect((err as Error).message).not.toContain(':pw@');
    } finally {
      await pool.end();
    }
  });

  it('does not retry authentication errors and hides the password', async () => {
    const t = parseConnectionTarget(db.current.url('postgres'));
    const wrong = { ...t, password: 'definitely-wrong-pw' };
    const pool = createPool(wrong, { retry: { retries: 5, baseDelayMs: 500 } });
    const started = Date.now();
    try {
      const err = await pool.connect().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthenticationError);
      expect((err as AuthenticationError).sqlState).toBe('28P01');
      expect(Date.now() - started).toBeLessThan(2000);
      expect((err as Error).message).not.toContain('definitely-wrong-pw');
      expect((err as Error).message).toContain(redactTarget(wrong));
    } finally {
      await pool.end();
    }
  });

  it('a missing database is not retried', async () => {
    const t = parseConnectionTarget(db.current.url('postgres'));
    const pool = createPool({ ...t, database: 'no_such_db' });
    try {
      const err = await pool.connect().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as Error).message).toMatch(/does not exist/);
    } finally {
      await pool.end();
    }
  });

  it('times out with a clear error when every client is busy', async () => {
    const pool = createPool(db.current.url('postgres'), { max: 1, connectionTimeoutMillis: 300 });
    const held = await pool.connect();
    try {
      const err = await executeSql(pool, 'SELECT 1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PoolTimeoutError);
      expect((err as Error).message).toMatch(/1\/1 clients/);
    } finally {
      held.release();
      await pool.end();
    }
  });

  it('validates its options', () => {
    expect(() => createPool(db.current.url('postgres'), { max: 0 })).toThrow(
      /Invalid pool options/,
    );
  });
});

describe('PoolRegistry', () => {
  it('registers, finds, reuses and closes named pools', async () => {
    const app = registry.register('app', db.current.url('postgres'));
    expect(registry.get('app')).toBe(app);
    expect(registry.getOrCreate('app', db.current.url('postgres'))).toBe(app);
    expect(app.stats.max).toBe(2);
    const admin = registry.getOrCreate('admin', parseConnectionTarget(db.current.adminUrl), {
      max: 1,
    });
    expect(admin.stats.max).toBe(1);
    expect(registry.names().sort()).toEqual(['admin', 'app']);
    expect(() => registry.register('app', db.current.url('postgres'))).toThrowError(
      expect.objectContaining({ code: 'POOL_EXISTS' }),
    );
    expect(() => registry.get('nope')).toThrowError(
      expect.objectContaining({ code: 'POOL_NOT_FOUND' }),
    );
    const r = await executeSql(registry.get('admin'), 'SELECT current_user AS u');
    expect(r.rows[0]).toEqual({ u: 'supabase_admin' });
    await registry.close('admin');
    expect(registry.has('admin')).toBe(false);
    expect(admin.closed).toBe(true);
    await registry[Symbol.asyncDispose]();
    expect(app.closed).toBe(true);
    expect(registry.names()).toEqual([]);
  });
});
