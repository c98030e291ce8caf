import { setTimeout as sleep } from 'node:timers/promises';
import { useTestDatabase } from '@supaops/testkit/vitest';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPool,
  executeSql,
  PermissionDeniedError,
  PgConnectError,
  PgQueryError,
  parseConnectionTarget,
  QueryCanceledError,
  ReadOnlyViolationError,
  type SupaopsPool,
} from '../src/index.js';

const db = useTestDatabase('execute');
const U1 = '11111111-1111-1111-1111-111111111111';
const U2 = '22222222-2222-2222-2222-222222222222';
let pool: SupaopsPool;
let admin: SupaopsPool;

async function activeWithMarker(marker: string): Promise<number> {
  // the pattern is split so this query does not match itself
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE state = 'active' AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()`,
    [marker],
  );
  return rows[0]!.n;
}

async function waitForNoActive(marker: string): Promise<number> {
  let n = await activeWithMarker(marker);
  for (let i = 0; i < 20 && n > 0; i++) {
    await sleep(100);
    n = await activeWithMarker(marker);
  }
  return n;
}

beforeAll(async () => {
  pool = createPool(parseConnectionTarget(db.current.url('postgres')), { name: 'app' });
  admin = createPool(db.current.adminUrl, { name: 'admin' });
  await executeSql(
    pool,
    `CREATE TABLE public.notes (id int PRIMARY KEY, owner uuid NOT NULL, body text);
     ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
     CREATE POLICY own_notes ON public.notes FOR SELECT TO authenticated USING (owner = auth.uid());
     INSERT INTO public.notes VALUES (1, '${U1}', 'one'), (2, '${U2}', 'two'), (3, '${U1}', 'three');`,
  );
});

afterAll(async () => {
  await pool?.end();
  await admin?.end();
});

describe('executeSql statements', () => {
  it('runs parameterized queries with typed columns', async () => {
    const r = await executeSql<{ n: number; t: string; ts: Date; j: unknown; a: number[] }>(
      pool,
      'SELECT $1::int + 1 AS n, $2::text AS t, now() AS ts, \'{"k":1}\'::jsonb AS j, ARRAY[1,2] AS a',
      { params: [41, 'x'] },
    );
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ n: 42, t: 'x', j: { k: 1 }, a: [1, 2] });
    expect(r.rows[0]!.ts).toBeInstanceOf(Date);
    expect(r.columns.map((c) => c.type)).toEqual(['int4', 'text', 'timestamptz', 'jsonb', '_int4']);
    expect(r.rowCount).toBe(1);
    expect(r.truncated).toBe(false);
    expect(r.command).toBe('SELECT');
  });

  it('runs several statements in one string and as a list', async () => {
    const r = await executeSql(
      pool,
      'CREATE TEMP TABLE t1 (x int); INSERT INTO t1 SELECT generate_series(1, 5); SELECT sum(x)::int AS s FROM t1',
    );
    expect(r.statements.map((s) => [s.command, s.rowCount])).toEqual([
      ['CREATE', null],
      ['INSERT', 5],
      ['SELECT', 1],
    ]);
    expect(r.rows).toEqual([{ s: 15 }]);
    const list = await executeSql(pool, [
      { sql: 'SELECT $1::int AS a', params: [1] },
      'SELECT 2 AS b',
    ]);
    expect(list.statements.map((s) => s.rows)).toEqual([[{ a: 1 }], [{ b: 2 }]]);
  });

  it('keeps maxRows rows, reports the real rowCount and truncated', async () => {
    const r = await executeSql(pool, 'SELECT g FROM generate_series(1, 50) g', { maxRows: 10 });
    expect(r.rows).toHaveLength(10);
    expect(r.rowCount).toBe(50);
    expect(r.truncated).toBe(true);
    expect(r.pageable).toBe(false);
    await expect(r.page({ offset: 10, limit: 5 })).rejects.toThrow(/stream: true/);
  });

  it('streams through pg-query-stream and pages beyond the limit', async () => {
    const r = await executeSql<[number, string]>(
      pool,
      "SELECT g, 'row ' || g FROM generate_series(1, 5000) g",
      { stream: true, maxRows: 100, batchSize: 500, rowMode: 'array', spillThreshold: 1024 },
    );
    expect(r.rows).toHaveLength(100);
    expect(r.rowCount).toBe(5000);
    expect(r.truncated).toBe(true);
    expect(r.pageable).toBe(true);
    expect(await r.page({ offset: 98, limit: 4 })).toEqual([
      [99, 'row 99'],
      [100, 'row 100'],
      [101, 'row 101'],
      [102, 'row 102'],
    ]);
    expect(await r.page({ offset: 4998, limit: 10 })).toEqual([
      [4999, 'row 4999'],
      [5000, 'row 5000'],
    ]);
    let count = 0;
    for await (const _ of r.records()) count++;
    expect(count).toBe(5000);
    expect(r.statements[0]!.spilledBytes).toBeGreaterThan(1024);
    await r.dispose();
    await expect(r.page({ offset: 0, limit: 1 })).rejects.toThrow(/disposed/);
  });

  it('streams with a small fetch size and keeps every row in order', async () => {
    const r = await executeSql<[number]>(pool, 'SELECT g FROM generate_series(1, 2345) g', {
      stream: true,
      maxRows: 5,
      batchSize: 7,
      rowMode: 'array',
      spillThreshold: 0,
    });
    expect(r.rowCount).toBe(2345);
    let expected = 1;
    let inOrder = true;
    for await (const [g] of r.records()) inOrder &&= g === expected++;
    expect(inOrder).toBe(true);
    expect(expected).toBe(2346);
    expect(await r.page({ offset: 2337, limit: 100 })).toHaveLength(8);
    await r.dispose();
  });

  it('fails mid-stream with a typed error and leaves the connection usable', async () => {
    const one = createPool(db.current.url('postgres'), { max: 1 });
    try {
      const before = await executeSql<{ pid: number }>(one, 'SELECT pg_backend_pid() AS pid');
      const err = await executeSql(
        one,
        "SELECT g, repeat('x', 200), 1 / (g - 30000) FROM generate_series(1, 40000) g",
        { stream: true, maxRows: 10, batchSize: 5000, spillThreshold: 0 },
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PgQueryError);
      expect((err as PgQueryError).sqlState).toBe('22012');
      // the same session answers again: the portal was closed and the socket reads on
      const after = await executeSql<{ pid: number; n: number }>(
        one,
        'SELECT pg_backend_pid() AS pid, 1 + 1 AS n',
      );
      expect(after.rows[0]).toEqual({ pid: before.rows[0]!.pid, n: 2 });
    } finally {
      await one.end();
    }
  });

  it('streams statements without rows and reports their counts', async () => {
    const r = await executeSql(pool, 'CREATE TEMP TABLE s1 AS SELECT 1 AS x', { stream: true });
    expect(r.command).toBe('SELECT');
    const u = await executeSql(pool, 'UPDATE public.notes SET body = body WHERE owner = $1', {
      stream: true,
      params: [U1],
    });
    expect(u.rowCount).toBe(2);
  });

  it('rolls back on request (dry run)', async () => {
    await executeSql(pool, "INSERT INTO public.notes VALUES (99, $1, 'tmp')", {
      params: [U1],
      rollback: true,
    });
    const r = await executeSql(pool, 'SELECT count(*)::int AS n FROM public.notes WHERE id = 99');
    expect(r.rows[0]).toEqual({ n: 0 });
  });
});

describe('read-only mode', () => {
  it('refuses writes in a READ ONLY transaction', async () => {
    const err = await executeSql(pool, "UPDATE public.notes SET body = 'x'", {
      readOnly: true,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadOnlyViolationError);
    expect((err as ReadOnlyViolationError).sqlState).toBe('25006');
    expect((err as Error).message).toMatch(/readOnly: true/);
    // writes hidden in a function are refused too (enforced by Postgres, not by parsing)
    await executeSql(
      pool,
      'CREATE FUNCTION public.sneaky() RETURNS void LANGUAGE sql AS $$ DELETE FROM public.notes $$',
    );
    await expect(
      executeSql(pool, 'SELECT public.sneaky()', { readOnly: true }),
    ).rejects.toBeInstanceOf(ReadOnlyViolationError);
    const r = await executeSql(pool, 'SELECT count(*)::int AS n FROM public.notes', {
      readOnly: true,
    });
    expect(r.rows[0]).toEqual({ n: 3 });
  });
});

describe('role switching honours RLS', () => {
  const ids = async (options: Parameters<typeof executeSql>[2]) =>
    (
      await executeSql<{ id: number }>(pool, 'SELECT id FROM public.notes ORDER BY id', options)
    ).rows.map((r) => r.id);

  it('anon sees nothing, authenticated sees its rows, service_role sees all', async () => {
    expect(await ids({ role: 'anon' })).toEqual([]);
    expect(
      await ids({ role: 'authenticated', claims: { sub: U1, role: 'authenticated' } }),
    ).toEqual([1, 3]);
    expect(
      await ids({ role: 'authenticated', claims: { sub: U2, role: 'authenticated' } }),
    ).toEqual([2]);
    expect(await ids({ role: 'service_role' })).toEqual([1, 2, 3]);
    const who = await executeSql(pool, 'SELECT current_user AS u', { role: 'anon' });
    expect(who.rows[0]).toEqual({ u: 'anon' });
    // the switch is LOCAL: the pooled session is back to postgres
    const after = await executeSql(pool, 'SELECT current_user AS u');
    expect(after.rows[0]).toEqual({ u: 'postgres' });
  });

  it('explains 42501 on auth.users: owner and the role to use', async () => {
    const err = await executeSql(pool, 'ALTER TABLE auth.users ADD COLUMN extra int').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PermissionDeniedError);
    const e = err as PermissionDeniedError;
    expect(e.sqlState).toBe('42501');
    expect(e.owner).toBe('supabase_auth_admin');
    expect(e.message).toMatch(/auth\.users is owned by supabase_auth_admin/);
    expect(e.hint).toMatch(/supabase_admin.*role: 'supabase_auth_admin'/);
  });

  it('works on the auth schema as its owner from the superuser connection', async () => {
    const r = await executeSql(
      admin,
      'ALTER TABLE auth.users ADD COLUMN extra int; SELECT current_user AS u',
      { role: 'supabase_auth_admin', rollback: true },
    );
    expect(r.rows[0]).toEqual({ u: 'supabase_auth_admin' });
    const err = await executeSql(pool, 'SELECT 1', { role: 'supabase_auth_admin' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect((err as Error).message).toMatch(/connect as supabase_admin/);
  });
});

describe('typed errors', () => {
  it('carries SQLSTATE, position and a fix', async () => {
    const err = await executeSql(pool, 'SELECT 1;\nSELEC oops').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PgQueryError);
    const e = err as PgQueryError;
    expect(e.sqlState).toBe('42601');
    expect(e.position).toBe(11);
    expect(e.message).toMatch(/line 2 column 1/);
    expect(PgConnectError.isInstance(e)).toBe(true);
    const missing = await executeSql(pool, 'SELECT * FROM nope').catch((x: unknown) => x);
    expect((missing as PgQueryError).sqlState).toBe('42P01');
    expect((missing as Error).message).toMatch(/Fix:/);
    const list = await executeSql(pool, ['SELECT 1', 'SELECT 1/0']).catch((x: unknown) => x);
    expect((list as PgQueryError).statementIndex).toBe(1);
    expect((list as PgQueryError).sqlState).toBe('22012');
  });

  it('never shows PASSWORD literals', async () => {
    const err = await executeSql(pool, "ALTER ROLE anon PASSWORD 'topsecret' BOGUS").catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).not.toContain('topsecret');
  });

  it('validates its options', async () => {
    await expect(executeSql(pool, 'SELECT 1', { maxRows: -1 })).rejects.toThrow(
      /Invalid executeSql options/,
    );
    await expect(executeSql(pool, '')).rejects.toThrow(/Invalid SQL/);
    await expect(executeSql(pool, ['SELECT 1'], { params: [1] })).rejects.toThrow(/params/);
    await expect(executeSql(42 as never, 'SELECT 1')).rejects.toThrow(/database handle/);
  });
});

describe('cancellation', () => {
  it('statement_timeout cancels on the server', async () => {
    const marker = `stmt${Date.now()}`;
    const err = await executeSql(pool, `SELECT pg_sleep(20) /* ${marker} */`, {
      statementTimeoutMs: 200,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryCanceledError);
    expect((err as QueryCanceledError).reason).toBe('statement_timeout');
    expect(await waitForNoActive(marker)).toBe(0);
  });

  it('timeoutMs sends a cancel request; the server stops the query', async () => {
    const marker = `tmo${Date.now()}`;
    const sql = `SELECT pg_sleep(20) /* ${marker} */`;
    const running = executeSql(pool, sql, { timeoutMs: 1500 }).catch((e: unknown) => e);
    // the query is really running on the server before the deadline
    let seen = 0;
    for (let i = 0; i < 20 && seen === 0; i++) {
      await sleep(50);
      seen = await activeWithMarker(marker);
    }
    expect(seen).toBe(1);
    const err = await running;
    expect(err).toBeInstanceOf(QueryCanceledError);
    const e = err as QueryCanceledError;
    expect(e.reason).toBe('timeout');
    expect(e.sqlState).toBe('57014');
    expect(await waitForNoActive(marker)).toBe(0);
  });

  it('an AbortSignal cancels on the server', async () => {
    const marker = `abort${Date.now()}`;
    const controller = new AbortController();
    const running = executeSql(pool, `SELECT pg_sleep(20) /* ${marker} */`, {
      signal: controller.signal,
    }).catch((e: unknown) => e);
    for (let i = 0; i < 20 && (await activeWithMarker(marker)) === 0; i++) await sleep(50);
    controller.abort();
    const err = await running;
    expect(err).toBeInstanceOf(QueryCanceledError);
    expect((err as QueryCanceledError).reason).toBe('aborted');
    expect(await waitForNoActive(marker)).toBe(0);
    await expect(
      executeSql(pool, 'SELECT 1', { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(QueryCanceledError);
  });

  it('lock_timeout per call', async () => {
    const holder = new pg.Client({ connectionString: db.current.url('postgres') });
    await holder.connect();
    try {
      await holder.query('BEGIN; LOCK TABLE public.notes IN ACCESS EXCLUSIVE MODE');
      const err = await executeSql(pool, 'SELECT * FROM public.notes', {
        lockTimeoutMs: 200,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QueryCanceledError);
      expect((err as QueryCanceledError).reason).toBe('lock_timeout');
      expect((err as QueryCanceledError).sqlState).toBe('55P03');
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });

  it('a cancelled stream stops too', async () => {
    const err = await executeSql(
      pool,
      'SELECT g, pg_sleep(0.01) FROM generate_series(1, 100000) g',
      {
        stream: true,
        statementTimeoutMs: 300,
        batchSize: 10,
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryCanceledError);
  });
});

describe('targets and transaction mode', () => {
  it('accepts a connection string and closes its temporary pool', async () => {
    const r = await executeSql(db.current.url('postgres'), 'SELECT current_setting($1) AS app', {
      params: ['application_name'],
    });
    expect(r.rows[0]).toEqual({ app: 'supaops' });
  });

  it('accepts a raw pg.Pool', async () => {
    const raw = new pg.Pool({ connectionString: db.current.url('postgres'), max: 1 });
    try {
      const r = await executeSql(raw, 'SELECT 7 AS n', { readOnly: true });
      expect(r.rows[0]).toEqual({ n: 7 });
    } finally {
      await raw.end();
    }
  });

  it('applies statement_timeout with SET LOCAL when the target is a transaction pooler', async () => {
    const t = parseConnectionTarget(db.current.url('postgres'), { mode: 'transaction' });
    expect(t.forbids.sessionSet).toBe(true);
    const txPool = createPool(t, { statementTimeoutMs: 1234 });
    try {
      const r = await executeSql(txPool, "SELECT current_setting('statement_timeout') AS st");
      expect(r.rows[0]).toEqual({ st: '1234ms' });
    } finally {
      await txPool.end();
    }
  });
});
