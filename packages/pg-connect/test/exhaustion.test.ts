import { applySupabaseBootstrap, type PostgresCluster, startPostgres } from '@supaops/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPool,
  executeSql,
  monitorConnections,
  parseConnectionTarget,
  TooManyConnectionsError,
} from '../src/index.js';

let cluster: PostgresCluster;
const held: pg.Client[] = [];

beforeAll(async () => {
  cluster = await startPostgres({ maxConnections: 20 });
  await applySupabaseBootstrap(cluster.url('postgres'), cluster.password);
});

afterAll(async () => {
  await Promise.all(held.map((c) => c.end().catch(() => undefined)));
  await cluster?.stop();
});

describe('pool exhaustion', () => {
  it('holds every slot: the monitor says critical, a new query fails fast and clearly', async () => {
    // fill every slot a non-superuser may take (max_connections − superuser_reserved_connections)
    for (let i = 0; i < 30; i++) {
      const c = new pg.Client({
        connectionString: cluster.url('postgres', 'postgres'),
        application_name: 'hog',
      });
      try {
        await c.connect();
        held.push(c);
      } catch (error) {
        expect((error as { code?: string }).code).toBe('53300');
        break;
      }
    }
    expect(held.length).toBe(17);

    // the superuser still gets in through the reserved slots
    const report = await monitorConnections(parseConnectionTarget(cluster.url('postgres')), {
      poolerDefaultPoolSize: 20,
    });
    expect(report.maxConnections).toBe(20);
    expect(report.superuserReservedConnections).toBe(3);
    expect(report.used).toBe(18);
    expect(report.percentUsed).toBe(90);
    expect(report.level).toBe('critical');
    expect(report.availableForNonSuperusers).toBe(0);
    expect(report.groups[0]).toMatchObject({
      user: 'postgres',
      application: 'hog',
      count: 17,
      service: 'user',
    });
    const codes = report.recommendations.map((r) => r.code);
    expect(codes).toContain('CONNECTIONS_CRITICAL');
    expect(codes).toContain('POOLER_POOL_SIZE_TOO_HIGH');
    expect(
      report.recommendations.find((r) => r.code === 'POOLER_POOL_SIZE_TOO_HIGH')?.message,
    ).toMatch(/POOLER_DEFAULT_POOL_SIZE=12/);

    // a new query as postgres fails with a clear error within its connection timeout
    const pool = createPool(cluster.url('postgres', 'postgres'), {
      connectionTimeoutMillis: 2000,
      retry: { retries: 10, baseDelayMs: 100, maxDelayMs: 400 },
    });
    const started = Date.now();
    try {
      const err = await executeSql(pool, 'SELECT 1').catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(err).toBeInstanceOf(TooManyConnectionsError);
      expect((err as TooManyConnectionsError).attempts).toBeGreaterThan(1);
      expect((err as Error).message).toMatch(/no free connection slot/);
      expect((err as Error).message).toMatch(/monitorConnections/);
      // a bound on "never hangs" (connectionTimeoutMillis is 2 s), not a performance check
      expect(elapsed).toBeLessThan(10_000);
    } finally {
      await pool.end();
    }

    // free one slot: the same kind of query works again
    await held.pop()!.end();
    const ok = await executeSql(cluster.url('postgres', 'postgres'), 'SELECT 1 AS one');
    expect(ok.rows).toEqual([{ one: 1 }]);
  });
});
