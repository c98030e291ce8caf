// Benchmarks for @supaops/migrator (run `pnpm build` first; `pnpm bench` does).
// Starts its own PostgreSQL cluster with the testkit; prints each goal as a ratio to its
// budget and to a baseline measured in the same run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '@supaops/testkit';
import pg from 'pg';
import { createMigrator, splitStatements } from '../dist/index.js';

const FILES = 1000;
const UP_BUDGET_MS = 10_000;
const STATUS_BUDGET_MS = 300;
const STATUS_RUNS = 7;

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
  ];
  console.log(
    `@supaops/migrator benchmarks (node ${process.version}, PostgreSQL cluster from the testkit)`,
  );
  for (const r of rows) console.log(`- ${r.join(' | ')}`);
  const ok = upMs < UP_BUDGET_MS && statusMs < STATUS_BUDGET_MS;
  console.log(ok ? 'all goals met' : 'GOAL MISSED');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
  await cluster.stop();
}
