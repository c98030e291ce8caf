// pnpm bench: each goal is printed as a ratio against a baseline measured in the same run.
//   1. SELECT 1 round trip through executeSql vs a raw pg client (p50), goal <= 1.2x
//   2. 1M rows x 5 columns streamed into the spill buffer vs psql COPY (query) TO STDOUT, goal <= 1.5x,
//      with peak RSS < 150 MB
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startPostgres } from '@supaops/testkit';
import pg from 'pg';
import { createPool, executeSql } from '../dist/index.js';

const PSQL = process.env.PSQL ?? '/usr/lib/postgresql/15/bin/psql';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 500);
const STREAM_RUNS = Number(process.env.BENCH_STREAM_RUNS ?? 5);
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const QUERY = `SELECT g AS id, g * 2 AS n, md5(g::text) AS h, timestamptz '2026-01-01' + g * interval '1 second' AS t, (g % 7 = 0) AS b FROM generate_series(1, ${ROWS}) g`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const fmt = (x, d = 1) => x.toFixed(d);

const cluster = await startPostgres();
const url = cluster.url('postgres');
try {
  // --- 1. SELECT 1 round trip ---
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  const pool = createPool(url, { max: 1 });
  const rawTimes = [];
  const oursTimes = [];
  const once = async (fn, into) => {
    const t = process.hrtime.bigint();
    await fn();
    if (into) into.push(Number(process.hrtime.bigint() - t) / 1000);
  };
  const rawSelect = () => raw.query('SELECT 1');
  const oursSelect = () => executeSql(pool, 'SELECT 1');
  // warm-up, then alternate call by call so load changes hit both sides alike
  for (let i = 0; i < PER_ROUND; i++) {
    await once(rawSelect);
    await once(oursSelect);
  }
  for (let i = 0; i < ROUNDS * PER_ROUND; i++) {
    await once(rawSelect, rawTimes);
    await once(oursSelect, oursTimes);
  }
  await raw.end();
  await pool.end();
  const rawP50 = median(rawTimes);
  const oursP50 = median(oursTimes);
  const ratio1 = oursP50 / rawP50;

  // --- 2. 1M rows streamed into the spill buffer vs psql COPY ---
  const child = fileURLToPath(new URL('./stream-child.mjs', import.meta.url));
  const copyMs = [];
  const streamRuns = [];
  for (let r = 0; r < STREAM_RUNS; r++) {
    const t = performance.now();
    const res = spawnSync(PSQL, [url, '-X', '-q', '-c', `COPY (${QUERY}) TO STDOUT`], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (res.status !== 0) throw new Error(`psql failed with status ${res.status}`);
    copyMs.push(performance.now() - t);
    const out = execFileSync(process.execPath, [child, url, QUERY], { encoding: 'utf8' });
    streamRuns.push(JSON.parse(out));
  }
  const copyMedian = median(copyMs);
  const streamMedian = median(streamRuns.map((s) => s.ms));
  const peakRss = Math.max(...streamRuns.map((s) => s.maxRssMb));
  // each run pairs a COPY with a stream right after it; the median of the pair ratios resists load drift
  const ratio2 = median(streamRuns.map((s, i) => s.ms / copyMs[i]));
  if (streamRuns.some((s) => s.rows !== ROWS)) throw new Error('row count mismatch');

  const goal = (ok) => (ok ? 'PASS' : 'FAIL');
  console.log('@supaops/pg-connect benchmarks (same run, same cluster)');
  console.log(
    `SELECT 1 p50: executeSql ${fmt(oursP50)} µs vs raw pg ${fmt(rawP50)} µs -> ${fmt(ratio1, 2)}x (goal <= 1.2x) ${goal(ratio1 <= 1.2)}  [${rawTimes.length} samples each]`,
  );
  console.log(
    `${ROWS.toLocaleString('en')} rows x 5 cols: executeSql stream+spill ${fmt(streamMedian, 0)} ms vs psql COPY ${fmt(copyMedian, 0)} ms -> ${fmt(ratio2, 2)}x (goal <= 1.5x) ${goal(ratio2 <= 1.5)}  [medians of ${STREAM_RUNS} paired runs]`,
  );
  console.log(
    `peak RSS while streaming: ${fmt(peakRss, 0)} MB (goal < 150 MB) ${goal(peakRss < 150)}; spilled ${fmt(streamRuns[0].spilledBytes / 1024 / 1024, 0)} MB to disk; client CPU ${fmt(median(streamRuns.map((s) => s.cpuMs)), 0)} ms (median)`,
  );
} finally {
  await cluster.stop();
}
