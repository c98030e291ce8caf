import { useTestDatabase } from '@supaops/testkit/vitest';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, monitorConnections, type SupaopsPool, serviceFor } from '../src/index.js';

const db = useTestDatabase('monitor');
const clients: pg.Client[] = [];
let admin: SupaopsPool;

async function open(user: string, application: string): Promise<pg.Client> {
  const c = new pg.Client({
    connectionString: db.current.url(user),
    application_name: application,
  });
  c.on('error', () => undefined); // terminated in afterAll
  await c.connect();
  clients.push(c);
  return c;
}

beforeAll(async () => {
  admin = createPool(db.current.adminUrl, { max: 2 });
  await open('authenticator', 'postgrest');
  await open('supabase_auth_admin', 'gotrue');
  await open('supabase_storage_admin', 'storage-api');
  await open('supabase_admin', 'postgres-meta');
  await open('supabase_admin', 'realtime_rls');
  await open('pgbouncer', 'Supavisor');
  const idle = await open('postgres', 'forgotten-tx');
  await idle.query('BEGIN; SELECT 1');
  const busy = await open('postgres', 'slow-report');
  void busy.query("SELECT pg_sleep(30) /* ALTER ROLE x PASSWORD 'leak' */").catch(() => undefined);
});

afterAll(async () => {
  await admin.query(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name IN ('slow-report', 'forgotten-tx')",
  );
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await admin.end();
});

describe('monitorConnections', () => {
  it('groups sessions and maps them to Supabase services', async () => {
    // give the idle transaction and the sleep some age
    await new Promise((r) => setTimeout(r, 1200));
    const report = await monitorConnections(admin, {
      idleInTransactionSeconds: 1,
      longRunningSeconds: 1,
    });
    expect(report.fullVisibility).toBe(true);
    expect(report.level).toBe('ok');
    // pg_stat_activity is cluster-wide and other test files run alongside: check our sessions by name
    const group = (user: string, application: string) =>
      report.groups.filter((g) => g.user === user && g.application === application);
    expect(group('authenticator', 'postgrest')).toMatchObject([{ service: 'postgrest', count: 1 }]);
    expect(group('supabase_auth_admin', 'gotrue')).toMatchObject([{ service: 'auth', count: 1 }]);
    expect(group('supabase_storage_admin', 'storage-api')).toMatchObject([
      { service: 'storage', count: 1 },
    ]);
    expect(group('supabase_admin', 'postgres-meta')).toMatchObject([
      { service: 'meta-studio', count: 1 },
    ]);
    expect(group('supabase_admin', 'realtime_rls')).toMatchObject([
      { service: 'realtime', count: 1 },
    ]);
    expect(group('pgbouncer', 'Supavisor')).toMatchObject([{ service: 'pooler', count: 1 }]);
    expect(group('postgres', 'forgotten-tx')[0]).toMatchObject({
      service: 'user',
      state: 'idle in transaction',
    });
    expect(group('postgres', 'slow-report')[0]).toMatchObject({ service: 'user', state: 'active' });
    for (const service of [
      'postgrest',
      'auth',
      'storage',
      'meta-studio',
      'realtime',
      'pooler',
    ] as const) {
      expect(report.byService[service]).toBeGreaterThanOrEqual(1);
    }
    expect(report.byService.user).toBeGreaterThanOrEqual(2);
    const idle = report.idleInTransaction.find((s) => s.application === 'forgotten-tx');
    expect(idle?.seconds).toBeGreaterThanOrEqual(1);
    const slow = report.longRunning.find((s) => s.application === 'slow-report');
    expect(slow?.query).toContain('pg_sleep(30)');
    expect(slow?.query).not.toContain('leak');
    const codes = report.recommendations.map((r) => r.code);
    expect(codes).toEqual(
      expect.arrayContaining(['POOLER_POOL_SIZE', 'IDLE_IN_TRANSACTION', 'LONG_RUNNING']),
    );
    // max_connections − reserved − sessions of services (not pooler, user clients or us) − headroom 5
    const services = report.groups
      .filter((g) => !['pooler', 'user', 'supaops'].includes(g.service))
      .reduce((n, g) => n + g.count, 0);
    expect(services).toBeGreaterThanOrEqual(5);
    expect(report.recommendedPoolerPoolSize).toBe(100 - 3 - services - 5);
  });

  it('says when the role cannot see other sessions, and validates options', async () => {
    const report = await monitorConnections(db.current.url('postgres'));
    expect(report.fullVisibility).toBe(false);
    expect(report.recommendations.map((r) => r.code)).toContain('LIMITED_VISIBILITY');
    await expect(monitorConnections(admin, { warnPercent: 0 })).rejects.toThrow(
      /Invalid monitorConnections options/,
    );
  });

  it('warns at the warn threshold', async () => {
    const report = await monitorConnections(admin, { warnPercent: 5, criticalPercent: 50 });
    expect(report.level).toBe('warn');
    expect(report.recommendations.map((r) => r.code)).toContain('CONNECTIONS_WARN');
  });
});

describe('serviceFor', () => {
  it.each([
    ['authenticator', '', 'postgrest'],
    ['supabase_auth_admin', '', 'auth'],
    ['supabase_storage_admin', '', 'storage'],
    ['supabase_admin', 'postgres-meta', 'meta-studio'],
    ['supabase_admin', 'realtime_subscription', 'realtime'],
    ['pgbouncer', '', 'pooler'],
    ['postgres', 'Supavisor', 'pooler'],
    ['postgres', 'supaops', 'supaops'],
    ['supabase_functions_admin', '', 'functions'],
    ['supabase_replication_admin', '', 'replication'],
    ['supabase_realtime_admin', '', 'realtime'],
    ['postgres', 'psql', 'user'],
    ['someone', 'x', 'other'],
  ] as const)('%s / %s → %s', (user, app, service) => {
    expect(serviceFor(user, app)).toBe(service);
  });
});
