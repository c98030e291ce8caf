// Benchmarks for @supaops/migrator (run `pnpm build` first; `pnpm bench` does).
// Starts its own PostgreSQL cluster with the testkit; prints each goal as a ratio to its
// budget and to a baseline measured in the same run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sendCancelRequest } from '@supaops/pg-connect';
import { startPostgres } from '@supaops/testkit';
import pg from 'pg';
import { createMigrator, splitStatements } from '../dist/index.js';

const FILES = 1000;
const UP_BUDGET_MS = 10_000;
const STATUS_BUDGET_MS = 300;
const STATUS_RUNS = 7;
const ABORT_BUDGET_MS = 2000;
const ABORT_RUNS = 5;

const fileSql = (i) =>
  `-- migration ${i}\ncreate table t_${i} (id int primary key, note text);\ninsert into t_${i} values (1, 'row; ${i}');\n`;

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const cluster = await startPostgres({ maxConnections: 20 });
const dir = mkdtempSync(join(tmpdir(), 'migrator-bench-'));
try {
  const admin = new pg.Client({ connectionString: cluster.url('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE bench_migrator');
  await admin.query('CREATE DATABASE bench_baseline');
  await admin.query('CREATE DATABASE bench_baseline2');
  await admin.query('CREATE DATABASE bench_signal');
  await admin.query('CREATE DATABASE bench_plain2');
  await admin.query('CREATE DATABASE bench_abort');
  await admin.end();

  const files = [];
  for (let i = 0; i < FILES; i++) {
    const version = String(20240101000000 + i);
    const name = `${version}_table_${i}.sql`;
    writeFileSync(join(dir, name), fileSql(i));
    files.push({ version, name, sql: fileSql(i) });
  }

  // Baseline: the same statements, one transaction per file, no lock, no history, no checks.
  // Run once before and once after the migrator (cluster warm-up favours later runs); the
  // faster of the two is the baseline.
  const rawApply = async (database) => {
    const base = new pg.Client({ connectionString: cluster.url(database) });
    await base.connect();
    const t0 = performance.now();
    for (const f of files) {
      await base.query('BEGIN');
      for (const s of splitStatements(f.sql)) await base.query(s);
      await base.query('COMMIT');
    }
    const ms = performance.now() - t0;
    await base.end();
    return ms;
  };
  const baselineFirstMs = await rawApply('bench_baseline');
  const t1 = performance.now();
  for (let r = 0; r < STATUS_RUNS; r++) {
    const c = new pg.Client({ connectionString: cluster.url('bench_baseline') });
    await c.connect();
    await c.query('SELECT relname FROM pg_class LIMIT 1000');
    await c.end();
  }
  const baselineStatusMs = (performance.now() - t1) / STATUS_RUNS;

  const migrator = createMigrator({ connection: cluster.url('bench_migrator'), dir });
  const u0 = performance.now();
  const report = await migrator.up();
  const upMs = performance.now() - u0;
  if (report.files.length !== FILES)
    throw new Error(`applied ${report.files.length} files, expected ${FILES}`);
  const baselineUpMs = Math.min(baselineFirstMs, await rawApply('bench_baseline2'));

  // The same up with an AbortSignal that never fires (every statement cancellable), against
  // the faster of the plain up before it and another plain up after it (warm-up, load).
  const withSignal = createMigrator({ connection: cluster.url('bench_signal'), dir });
  const g0 = performance.now();
  const signalReport = await withSignal.up({ signal: new AbortController().signal });
  const upSignalMs = performance.now() - g0;
  if (signalReport.files.length !== FILES) throw new Error('signal run applied too few files');
  const p0 = performance.now();
  await createMigrator({ connection: cluster.url('bench_plain2'), dir }).up();
  const upPlainMs = Math.min(upMs, performance.now() - p0);

  await migrator.status(); // warm-up (first connection, catalog caches)
  const statusTimes = [];
  let last;
  for (let r = 0; r < STATUS_RUNS; r++) {
    const s0 = performance.now();
    last = await migrator.status();
    statusTimes.push(performance.now() - s0);
  }
  if (last.summary.applied !== FILES || last.pending.length !== 0)
    throw new Error('unexpected status');
  const statusMs = median(statusTimes);

  // Abort latency: from abort() during `select pg_sleep(30)` in a file until up() rejects
  // (cancel request, rollback, lock release, connections closed). Baseline: raw pg running
  // the same statement, cancelled with a CancelRequest, until its query rejects.
  const abortDir = mkdtempSync(join(tmpdir(), 'migrator-bench-abort-'));
  const sleeping = async (appName) => {
    const probe = new pg.Client({ connectionString: cluster.url('bench_abort') });
    await probe.connect();
    try {
      for (let i = 0; i < 200; i++) {
        const { rows } = await probe.query(
          "SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE 'select pg_sleep%'",
          [appName],
        );
        if (rows.length > 0) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('statement never started');
    } finally {
      await probe.end();
    }
  };
  const abortTimes = [];
  const rawAbortTimes = [];
  try {
    writeFileSync(join(abortDir, '20240101000000_sleep.sql'), 'select pg_sleep(30);\n');
    const sleeper = createMigrator({ connection: cluster.url('bench_abort'), dir: abortDir });
    for (let r = 0; r < ABORT_RUNS; r++) {
      const controller = new AbortController();
      const running = sleeper.up({ signal: controller.signal }).then(
        () => {
          throw new Error('up was not aborted');
        },
        (error) => error,
      );
      await sleeping('supaops-migrator');
      const a0 = performance.now();
      controller.abort();
      const error = await running;
      abortTimes.push(performance.now() - a0);
      if (error.code !== 'MIGRATION_ABORTED') throw error;

      const raw = new pg.Client({
        connectionString: cluster.url('bench_abort'),
        application_name: 'bench-raw',
      });
      await raw.connect();
      const query = raw.query('select pg_sleep(30)').catch((e) => e);
      await sleeping('bench-raw');
      const b0 = performance.now();
      await sendCancelRequest({ host: raw.host, port: raw.port }, raw.processID, raw.secretKey);
      await query;
      rawAbortTimes.push(performance.now() - b0);
      await raw.end();
    }
  } finally {
    rmSync(abortDir, { recursive: true, force: true });
  }
  const abortMs = median(abortTimes);
  const rawAbortMs = median(rawAbortTimes);

  const fmt = (ms) => `${ms.toFixed(0)} ms`;
  const ratio = (a, b) => (a / b).toFixed(3);
  const rows = [
    [
      `up: ${FILES} files from scratch`,
      fmt(upMs),
      `budget ${fmt(UP_BUDGET_MS)} → ${ratio(upMs, UP_BUDGET_MS)} of budget`,
      `baseline (raw pg, same SQL, 1 tx/file, no lock/history) ${fmt(baselineUpMs)} → ${ratio(upMs, baselineUpMs)}×`,
    ],
    [
      `status: ${FILES} files vs database (median of ${STATUS_RUNS})`,
      fmt(statusMs),
      `budget ${fmt(STATUS_BUDGET_MS)} → ${ratio(statusMs, STATUS_BUDGET_MS)} of budget`,
      `baseline (connect + one query) ${fmt(baselineStatusMs)} → ${ratio(statusMs, baselineStatusMs)}×`,
    ],
    [
      `up: ${FILES} files with an AbortSignal (never fired)`,
      fmt(upSignalMs),
      `budget ${fmt(UP_BUDGET_MS)} → ${ratio(upSignalMs, UP_BUDGET_MS)} of budget`,
      `baseline (the same up without a signal, faster of 2) ${fmt(upPlainMs)} → ${ratio(upSignalMs, upPlainMs)}×`,
    ],
    [
      `abort during pg_sleep(30) until up() rejects (median of ${ABORT_RUNS})`,
      fmt(abortMs),
      `budget ${fmt(ABORT_BUDGET_MS)} → ${ratio(abortMs, ABORT_BUDGET_MS)} of budget`,
      `baseline (raw pg + CancelRequest until the query rejects) ${fmt(rawAbortMs)} → ${ratio(abortMs, rawAbortMs)}×`,
    ],
  ];
  console.log(
    `@supaops/migrator benchmarks (node ${process.version}, PostgreSQL cluster from the testkit)`,
  );
  for (const r of rows) console.log(`- ${r.join(' | ')}`);
  const ok =
    upMs < UP_BUDGET_MS &&
    upSignalMs < UP_BUDGET_MS &&
    statusMs < STATUS_BUDGET_MS &&
    abortMs < ABORT_BUDGET_MS;
  console.log(ok ? 'all goals met' : 'GOAL MISSED');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
  await cluster.stop();
}
