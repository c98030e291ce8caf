import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testServer, useTestDatabase } from '@supaops/testkit/vitest';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMigrator,
  DEFAULT_LOCK_KEY,
  MigrationAbortedError,
  type MigratorEvent,
  type RunReport,
} from '../src/index.js';
import { eventually, grantCreateToPostgres, query, tempDir } from './helpers.js';

// The sleep length comes from the connection (`-c supaops.test_sleep=N`), so the same file
// sleeps 30 s in the run we abort and 0 s in the run that continues afterwards.
const SLEEP =
  "select pg_sleep(coalesce(nullif(current_setting('supaops.test_sleep', true), ''), '0')::float)";

const ONE = '20240101000000_one.sql';
const TWO = '20240102000000_two.sql';
const THREE = '20240103000000_three.sql';

function files() {
  const dir = tempDir({
    [ONE]: 'create table one (id int);',
    [TWO]: `create table two (id int);\n${SLEEP};\ncreate table two_after (id int);\n`,
    [THREE]: 'create table three (id int);',
  });
  mkdirSync(join(dir.dir, 'down'));
  writeFileSync(join(dir.dir, 'down', '20240103000000_three.down.sql'), 'drop table three;');
  writeFileSync(
    join(dir.dir, 'down', '20240102000000_two.down.sql'),
    `drop table two_after;\n${SLEEP};\ndrop table two;\n`,
  );
  return dir;
}

type Db = ReturnType<typeof useTestDatabase>;

const connection = (db: Db, sleepSeconds: number) => ({
  connectionString: db.current.url('postgres'),
  options: `-c supaops.test_sleep=${sleepSeconds}`,
});

/** Aborts `controller` once the server shows one of our backends matching `where` (bounded). */
function abortWhen(db: Db, controller: AbortController, where: string): Promise<boolean> {
  return eventually(
    async () => {
      const rows = await query(
        db.current.adminUrl,
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND ${where}`,
      );
      if (rows.length === 0) return false;
      controller.abort(new Error('operator pressed Ctrl-C'));
      return true;
    },
    100,
    50,
  );
}

const SLEEPING =
  "application_name = 'supaops-migrator' AND state = 'active' AND query LIKE 'select pg_sleep%'";

/** Backends of ours still running something, and any pg_sleep still running. */
async function busyBackends(db: Db) {
  return query<{ application_name: string; query: string }>(
    db.current.adminUrl,
    "SELECT application_name, query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND (application_name LIKE 'supaops-migrator%' OR query LIKE '%pg_sleep(%')",
  );
}

async function history(db: Db): Promise<string[]> {
  const rows = await query<{ version: string }>(
    db.current.adminUrl,
    'SELECT version FROM supabase_migrations.schema_migrations ORDER BY version',
  );
  return rows.map((r) => r.version);
}

async function tables(db: Db): Promise<string[]> {
  const rows = await query<{ t: string }>(
    db.current.adminUrl,
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  );
  return rows.map((r) => r.t);
}

async function advisoryLocks(db: Db): Promise<unknown[]> {
  return query(
    db.current.adminUrl,
    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND ((classid::bigint << 32) | objid::bigint) = $1::bigint",
    [DEFAULT_LOCK_KEY],
  );
}

function aborted(error: unknown): MigrationAbortedError & { report: RunReport } {
  expect(MigrationAbortedError.isInstance(error), String(error)).toBe(true);
  return error as MigrationAbortedError & { report: RunReport };
}

describe('AbortSignal: up, dry run and down', () => {
  const db = useTestDatabase('migrator_abort');
  const dir = files();
  beforeAll(() => grantCreateToPostgres(db.current));
  afterAll(() => dir.cleanup());

  it('an already-aborted signal starts nothing in any operation', async () => {
    const events: MigratorEvent[] = [];
    const m = createMigrator({
      connection: connection(db, 0),
      dir: dir.dir,
      onEvent: (e) => events.push(e),
    });
    const signal = AbortSignal.abort(new Error('deploy cancelled'));
    const up = aborted(await m.up({ signal }).catch((e: unknown) => e));
    expect(up.code).toBe('MIGRATION_ABORTED');
    expect(up.details).toMatchObject({ operation: 'up', phase: 'before-start', completed: [] });
    expect(up.message).toContain('deploy cancelled');
    expect(up.message).toContain('before it started: nothing ran');
    expect(up.report.ok).toBe(false);
    expect(up.report.files).toEqual([]);
    expect(up.report.error?.aborted?.phase).toBe('before-start');
    expect(events.map((e) => e.type)).toEqual(['run-start', 'run-aborted', 'run-end']);

    for (const call of [
      () => m.down({ to: '0', signal }),
      () => m.repair({ all: true, status: 'applied', signal }),
      () => m.fetch({ signal }),
      () => m.up({ dryRun: true, signal }),
    ]) {
      expect(aborted(await call().catch((e: unknown) => e)).details.phase).toBe('before-start');
    }
    const st = aborted(await m.status({ signal }).catch((e: unknown) => e));
    expect(st.details.operation).toBe('status');
    expect(st.message).toContain('it only reads');
    expect(aborted(await m.verify({ signal }).catch((e: unknown) => e)).details.operation).toBe(
      'verify',
    );
    // no lock was taken and nothing was created: not even the history tables
    expect(events.some((e) => e.type === 'lock-wait')).toBe(false);
    const created = await query<{ cli: string | null; meta: string | null }>(
      db.current.adminUrl,
      "SELECT to_regclass('supabase_migrations.schema_migrations')::text AS cli, to_regclass('supabase_migrations.supaops_migration_meta')::text AS meta",
    );
    expect(created).toEqual([{ cli: null, meta: null }]);
  });

  it('a dry run aborted in file 2 rolls everything back', async () => {
    const controller = new AbortController();
    let poll: Promise<boolean> | undefined;
    const m = createMigrator({
      connection: connection(db, 30),
      dir: dir.dir,
      onEvent: (e) => {
        if (e.type === 'file-start' && e.file === TWO) poll = abortWhen(db, controller, SLEEPING);
      },
    });
    const error = aborted(
      await m.up({ dryRun: true, signal: controller.signal }).catch((e: unknown) => e),
    );
    expect(await poll).toBe(true);
    expect(error.details).toMatchObject({
      dryRun: true,
      rolledBack: TWO,
      completed: [],
      notStarted: [THREE],
      statementCancelled: true,
    });
    expect(error.report.files.map((f) => [f.file, f.status])).toEqual([
      [ONE, 'would-apply'],
      [TWO, 'rolled-back'],
    ]);
    expect(await busyBackends(db)).toEqual([]);
    expect(await tables(db)).toEqual([]);
  });

  it('aborting during a long statement of file 2 of 3 cancels it, rolls file 2 back and keeps file 1', async () => {
    const controller = new AbortController();
    const events: MigratorEvent[] = [];
    let poll: Promise<boolean> | undefined;
    const m = createMigrator({
      connection: connection(db, 30),
      dir: dir.dir,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'file-start' && e.file === TWO) poll = abortWhen(db, controller, SLEEPING);
      },
    });
    const error = aborted(await m.up({ signal: controller.signal }).catch((e: unknown) => e));
    expect(await poll).toBe(true);

    // pg_sleep(30) is gone right after the call returned: the server cancelled it
    expect(await busyBackends(db)).toEqual([]);
    expect((error.cause as { code?: string }).code).toBe('57014');
    expect(error.details).toEqual({
      operation: 'up',
      phase: 'files',
      reason: 'operator pressed Ctrl-C',
      dryRun: false,
      completed: [ONE],
      rolledBack: TWO,
      notStarted: [THREE],
      statementCancelled: true,
      connectionClosed: false,
    });
    expect(error.message).toContain(`${TWO} was rolled back`);
    expect(error.message).toContain(
      `Applied by this run and kept (each file commits on its own): ${ONE}`,
    );
    expect(error.message).toContain(`Not started: ${THREE}`);
    expect(error.message).toContain(`Fix: run up again to continue with ${TWO}`);
    expect(error.report.files.map((f) => [f.file, f.status, f.interruptedAt])).toEqual([
      [ONE, 'applied', undefined],
      [TWO, 'rolled-back', 1],
    ]);
    expect(error.report.error?.code).toBe('MIGRATION_ABORTED');
    expect(error.report.error?.aborted?.rolledBack).toBe(TWO);
    const types = events.map((e) => e.type);
    expect(types.slice(-3)).toEqual(['file-end', 'run-aborted', 'run-end']);
    const abortEvent = events.find((e) => e.type === 'run-aborted');
    expect(abortEvent && 'details' in abortEvent && abortEvent.details.rolledBack).toBe(TWO);

    // exactly file 1 is applied; nothing of file 2 (not even the table before the sleep)
    expect(await history(db)).toEqual(['20240101000000']);
    expect(await tables(db)).toEqual(['one']);
    expect(await advisoryLocks(db)).toEqual([]);

    // the lock is free (fail mode) and a re-run continues with 2 and 3
    const again = await createMigrator({ connection: connection(db, 0), dir: dir.dir }).up();
    expect(again.files.map((f) => [f.file, f.status])).toEqual([
      [TWO, 'applied'],
      [THREE, 'applied'],
    ]);
    expect(await history(db)).toEqual(['20240101000000', '20240102000000', '20240103000000']);
  });

  it('aborting down in its second file keeps the first revert and rolls the second back', async () => {
    const controller = new AbortController();
    let poll: Promise<boolean> | undefined;
    const m = createMigrator({
      connection: connection(db, 30),
      dir: dir.dir,
      onEvent: (e) => {
        if (e.type === 'file-start' && e.file === 'down/20240102000000_two.down.sql') {
          poll = abortWhen(db, controller, SLEEPING);
        }
      },
    });
    const error = aborted(
      await m.down({ to: '20240101000000', signal: controller.signal }).catch((e: unknown) => e),
    );
    expect(await poll).toBe(true);
    expect(await busyBackends(db)).toEqual([]);
    expect(error.details).toMatchObject({
      operation: 'down',
      completed: ['down/20240103000000_three.down.sql'],
      rolledBack: 'down/20240102000000_two.down.sql',
      notStarted: [],
      statementCancelled: true,
    });
    expect(error.message).toContain('its version stays applied');
    expect(error.message).toContain('Fix: run down again with the same target');
    expect(error.report.destructive).toBe(true);
    // the drop before the sleep was rolled back with its file
    expect(await history(db)).toEqual(['20240101000000', '20240102000000']);
    expect(await tables(db)).toEqual(['one', 'two', 'two_after']);
    expect(await advisoryLocks(db)).toEqual([]);

    const again = await createMigrator({ connection: connection(db, 0), dir: dir.dir }).down({
      to: '20240101000000',
    });
    expect(again.files.map((f) => f.status)).toEqual(['reverted']);
    expect(await history(db)).toEqual(['20240101000000']);
  });

  it('an abort between files commits the finished file and starts no other', async () => {
    const controller = new AbortController();
    const m = createMigrator({
      connection: connection(db, 0),
      dir: dir.dir,
      onEvent: (e) => {
        if (e.type === 'file-end' && e.file === TWO) controller.abort('shutdown');
      },
    });
    const error = aborted(await m.up({ signal: controller.signal }).catch((e: unknown) => e));
    expect(error.details).toMatchObject({
      reason: 'shutdown',
      completed: [TWO],
      notStarted: [THREE],
      statementCancelled: false,
    });
    expect(error.details.rolledBack).toBeUndefined();
    expect(error.message).toContain('between files: no file was open');
    expect(error.message).toContain(`Fix: run up again to continue with ${THREE}`);
    expect(await history(db)).toEqual(['20240101000000', '20240102000000']);
    // back to file 1 only, for the next test
    await createMigrator({ connection: connection(db, 0), dir: dir.dir }).down({ last: 1 });
  });

  it('status, verify, fetch and repair blocked on a locked history table are cancelled', async () => {
    const holder = new pg.Client({ connectionString: db.current.adminUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(
        'LOCK TABLE supabase_migrations.schema_migrations IN ACCESS EXCLUSIVE MODE',
      );
      const m = createMigrator({ connection: connection(db, 0), dir: dir.dir });
      const blocked = "application_name = 'supaops-migrator' AND wait_event_type = 'Lock'";
      const calls: Array<[string, (signal: AbortSignal) => Promise<unknown>]> = [
        ['status', (signal) => m.status({ signal })],
        ['verify', (signal) => m.verify({ signal })],
        ['fetch', (signal) => m.fetch({ signal, dir: join(dir.dir, 'fetched') })],
        ['repair', (signal) => m.repair({ all: true, status: 'applied', signal })],
      ];
      for (const [operation, call] of calls) {
        const controller = new AbortController();
        const poll = abortWhen(db, controller, blocked);
        const error = aborted(await call(controller.signal).catch((e: unknown) => e));
        expect(await poll).toBe(true);
        expect(error.details.operation).toBe(operation);
        expect(error.details.statementCancelled).toBe(true);
        expect(await busyBackends(db)).toEqual([]);
      }
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      await holder.end();
    }
    expect(await history(db)).toEqual(['20240101000000']);
    expect(await advisoryLocks(db)).toEqual([]);
  });
});

describe('AbortSignal: no-transaction files and the lock wait', () => {
  const db = useTestDatabase('migrator_abort_notx');
  const dir = tempDir({
    '20240101000000_first.sql': 'create table first (id int);',
    '20240102000000_concurrent.sql': `-- supaops:no-transaction\ncreate table nt_a (id int);\n${SLEEP};\ncreate table nt_b (id int);\n`,
  });
  beforeAll(() => grantCreateToPostgres(db.current));
  afterAll(() => dir.cleanup());

  it('reports a no-transaction file stopped mid-way as partially applied, with the statement', async () => {
    const controller = new AbortController();
    let poll: Promise<boolean> | undefined;
    const m = createMigrator({
      connection: connection(db, 30),
      dir: dir.dir,
      onEvent: (e) => {
        if (e.type === 'file-start' && e.version === '20240102000000') {
          poll = abortWhen(db, controller, SLEEPING);
        }
      },
    });
    const error = aborted(await m.up({ signal: controller.signal }).catch((e: unknown) => e));
    expect(await poll).toBe(true);
    expect(await busyBackends(db)).toEqual([]);
    expect(error.details.rolledBack).toBeUndefined();
    expect(error.details.partiallyApplied).toEqual({
      file: '20240102000000_concurrent.sql',
      statementIndex: 1,
      statementCount: 3,
    });
    expect(error.details.completed).toEqual(['20240101000000_first.sql']);
    expect(error.message).toContain('stopped at statement 2 of 3: statements 1..1 stayed applied');
    expect(error.message).toContain('NOT recorded as applied');
    expect(error.report.files[1]).toMatchObject({ status: 'partially-applied', interruptedAt: 1 });
    expect(await tables(db)).toEqual(['first', 'nt_a']);
    expect(await history(db)).toEqual(['20240101000000']);
  });

  it('cancels a wait for the lock another run holds', async () => {
    const holder = new pg.Client({ connectionString: db.current.adminUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [DEFAULT_LOCK_KEY]);
      const controller = new AbortController();
      const m = createMigrator({
        connection: connection(db, 0),
        dir: dir.dir,
        lock: { mode: 'wait', timeoutMs: 60_000 },
      });
      const poll = abortWhen(
        db,
        controller,
        "application_name = 'supaops-migrator-lock' AND wait_event_type = 'Lock'",
      );
      const error = aborted(await m.up({ signal: controller.signal }).catch((e: unknown) => e));
      expect(await poll).toBe(true);
      expect(error.details).toMatchObject({
        phase: 'lock',
        statementCancelled: true,
        completed: [],
      });
      expect(error.message).toContain('while taking the migration lock');
      expect(await busyBackends(db)).toEqual([]);
    } finally {
      await holder.end();
    }
    expect(await advisoryLocks(db)).toEqual([]);
  });

  it.skipIf(testServer().source !== 'cluster')(
    'closes the connection when the server does not stop the statement within cancelGraceMs',
    async () => {
      dir.write('20240103000000_stuck.sql', `create table stuck (id int);\n${SLEEP};\n`);
      const controller = new AbortController();
      let stopped: number | undefined;
      let poll: Promise<boolean> | undefined;
      const m = createMigrator({
        connection: connection(db, 30),
        dir: dir.dir,
        cancelGraceMs: 300,
        onEvent: (e) => {
          if (e.type !== 'file-start' || e.version !== '20240103000000') return;
          // a backend that cannot act on the cancel: stopped (SIGSTOP) while in pg_sleep
          poll = eventually(
            async () => {
              const rows = await query<{ pid: number }>(
                db.current.adminUrl,
                `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND ${SLEEPING}`,
              );
              if (!rows[0]) return false;
              stopped = rows[0].pid;
              process.kill(stopped, 'SIGSTOP');
              controller.abort();
              return true;
            },
            100,
            50,
          );
        },
      });
      let error: MigrationAbortedError & { report: RunReport };
      try {
        // the no-transaction file is partial from the previous test; accept it as it is
        await query(db.current.adminUrl, 'CREATE TABLE nt_b (id int)');
        await createMigrator({ connection: connection(db, 0), dir: dir.dir }).repair({
          versions: ['20240102000000'],
          status: 'applied',
        });
        error = aborted(await m.up({ signal: controller.signal }).catch((e: unknown) => e));
        expect(await poll).toBe(true);
      } finally {
        if (stopped) process.kill(stopped, 'SIGCONT');
      }
      expect(error.details).toMatchObject({
        rolledBack: '20240103000000_stuck.sql',
        statementCancelled: false,
        connectionClosed: true,
      });
      expect(error.message).toContain('its connection was closed');
      expect(error.details.reason).toBe('the signal was aborted');
      // once resumed, the backend acts on the cancel, finds its client gone and rolls back
      const gone = await eventually(async () => (await busyBackends(db)).length === 0, 100, 100);
      expect(gone).toBe(true);
      expect(await history(db)).toEqual(['20240101000000', '20240102000000']);
      expect(await tables(db)).not.toContain('stuck');
      expect(await advisoryLocks(db)).toEqual([]);
    },
  );
});
