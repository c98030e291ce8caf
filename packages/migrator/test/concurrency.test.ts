import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createMigrator,
  DEFAULT_LOCK_KEY,
  MigrationFailedError,
  MigrationLockHeldError,
  MigratorDatabaseError,
  type MigratorEvent,
  type RunReport,
} from '../src/index.js';
import { eventually, grantCreateToPostgres, query, tempDir } from './helpers.js';

const db = useTestDatabase('migrator_lock');
const dir = tempDir({
  '20240101000000_schema.sql': 'create schema app;\nselect pg_sleep(0.8);',
  '20240102000000_a.sql': 'create table app.a (id int);',
  '20240103000000_b.sql': 'create table app.b (id int);',
});
beforeAll(() => grantCreateToPostgres(db.current));
afterAll(() => dir.cleanup());
afterEach(async () => {
  await query(
    db.current.adminUrl,
    'DROP SCHEMA IF EXISTS app CASCADE; DROP TABLE IF EXISTS supabase_migrations.schema_migrations, supabase_migrations.supaops_migration_meta;',
  );
});

function migrator(mode: 'fail' | 'wait', timeoutMs = 30_000, events: MigratorEvent[] = []) {
  return createMigrator({
    connection: db.current.url('postgres'),
    dir: dir.dir,
    lock: { mode, timeoutMs },
    onEvent: (e) => events.push(e),
  });
}

/** Starts run A, and run B once A holds the lock. */
async function race(b: () => Promise<RunReport>, log: string[] = []) {
  let acquired!: () => void;
  const aHasLock = new Promise<void>((resolve) => {
    acquired = resolve;
  });
  const aEvents: MigratorEvent[] = [];
  const a = createMigrator({
    connection: db.current.url('postgres'),
    dir: dir.dir,
    onEvent: (e) => {
      aEvents.push(e);
      log.push(`A:${e.type}`);
      if (e.type === 'lock-acquired') acquired();
    },
  }).up();
  await aHasLock;
  const results = await Promise.allSettled([a, b()]);
  return { results, aEvents };
}

const lockGone = () =>
  eventually(
    async () => {
      const rows = await query(
        db.current.adminUrl,
        "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND ((classid::bigint << 32) | objid::bigint) = $1::bigint",
        [DEFAULT_LOCK_KEY],
      );
      const conns = await query(
        db.current.adminUrl,
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'supaops-migrator%'",
      );
      return rows.length === 0 && conns.length === 0;
    },
    50,
    50,
  );

const historyCounts = async () =>
  query<{ version: string; n: number }>(
    db.current.adminUrl,
    `SELECT s.version, count(*)::int AS n FROM supabase_migrations.schema_migrations s
       JOIN supabase_migrations.supaops_migration_meta m USING (version) GROUP BY s.version ORDER BY 1`,
  );

describe('two concurrent up runs', () => {
  it('wait mode: the second waits, then finds nothing left; each file applied exactly once', async () => {
    const log: string[] = [];
    const bEvents = {
      push: (e: MigratorEvent) => log.push(`B:${e.type}`),
    } as unknown as MigratorEvent[];
    const { results } = await race(() => migrator('wait', 30_000, bEvents).up(), log);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const [a, b] = results.map((r) => (r as PromiseFulfilledResult<RunReport>).value);
    expect(a?.files.map((f) => f.status)).toEqual(['applied', 'applied', 'applied']);
    expect(b?.files).toEqual([]);
    // B asked for the lock while A held it, and got it only after A's last file committed
    expect(log.indexOf('B:lock-wait')).toBeGreaterThan(log.indexOf('A:lock-acquired'));
    expect(log.indexOf('B:lock-wait')).toBeLessThan(log.lastIndexOf('A:file-end'));
    expect(log.indexOf('B:lock-acquired')).toBeGreaterThan(log.lastIndexOf('A:file-end'));
    expect(await historyCounts()).toEqual([
      { version: '20240101000000', n: 1 },
      { version: '20240102000000', n: 1 },
      { version: '20240103000000', n: 1 },
    ]);
    expect(await lockGone()).toBe(true);
  });

  it('fail mode: the second fails with a lock-held error naming the holder', async () => {
    const { results } = await race(() => migrator('fail').up());
    expect(results[0]?.status).toBe('fulfilled');
    expect(results[1]?.status).toBe('rejected');
    const error = (results[1] as PromiseRejectedResult).reason as MigrationLockHeldError & {
      report: RunReport;
    };
    expect(MigrationLockHeldError.isInstance(error)).toBe(true);
    expect(error.code).toBe('MIGRATION_LOCK_HELD');
    expect(error.holderPid).toBeGreaterThan(0);
    expect(error.message).toContain('nothing was changed');
    expect(error.report.ok).toBe(false);
    expect(error.report.error?.code).toBe('MIGRATION_LOCK_HELD');
    expect(await historyCounts()).toHaveLength(3);
    expect(await lockGone()).toBe(true);
  });

  it('wait mode gives up after its timeout', async () => {
    const { results } = await race(() => migrator('wait', 150).up());
    expect(results[0]?.status).toBe('fulfilled');
    const error = (results[1] as PromiseRejectedResult).reason as MigrationLockHeldError;
    expect(MigrationLockHeldError.isInstance(error)).toBe(true);
    expect(error.waitedMs).toBeGreaterThanOrEqual(100);
    expect(error.message).toMatch(/Waited \d+ ms/);
    expect(await lockGone()).toBe(true);
  });

  it('rolls back and stops when the lock connection is lost', async () => {
    const m = createMigrator({ connection: db.current.url('postgres'), dir: dir.dir });
    const done = m.up().catch((e: unknown) => e);
    // while file 1 sleeps, kill the backend that holds the lock
    const sleeping = await eventually(
      async () => {
        const rows = await query(
          db.current.adminUrl,
          "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'supaops-migrator' AND state = 'active' AND query LIKE '%pg_sleep%'",
        );
        return rows.length === 1;
      },
      100,
      20,
    );
    expect(sleeping).toBe(true);
    const killed = await eventually(
      async () => {
        const rows = await query<{ ok: boolean }>(
          db.current.adminUrl,
          "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'supaops-migrator-lock'",
        );
        return rows.length === 1 && rows[0]?.ok === true;
      },
      100,
      20,
    );
    expect(killed).toBe(true);
    const error = (await done) as MigratorDatabaseError & { report: RunReport };
    expect(MigratorDatabaseError.isInstance(error)).toBe(true);
    expect(error.code).toBe('MIGRATION_LOCK_LOST');
    // file 1 was running: it is rolled back instead of committed without the lock; file 2 never starts
    expect(error.report.files.map((f) => [f.version, f.status])).toEqual([
      ['20240101000000', 'failed'],
    ]);
    expect(await historyCounts()).toEqual([]);
    expect(await query(db.current.adminUrl, "SELECT to_regnamespace('app') AS s")).toEqual([
      { s: null },
    ]);
    expect(await lockGone()).toBe(true);
  });

  it('releases the lock after a failed run', async () => {
    const bad = tempDir({ '20240101000000_bad.sql': 'select * from nowhere;' });
    try {
      const m = createMigrator({ connection: db.current.url('postgres'), dir: bad.dir });
      await expect(m.up()).rejects.toSatisfy((e: unknown) => MigrationFailedError.isInstance(e));
      expect(await lockGone()).toBe(true);
    } finally {
      bad.cleanup();
    }
  });
});
