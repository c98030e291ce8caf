// Streams a query through executeSql({ stream: true }) into the spill buffer and reports time and peak RSS.
// Run as a child process so the peak RSS is this work's alone.
import { createPool, executeSql } from '../dist/index.js';

const [url, query] = process.argv.slice(2);
const pool = createPool(url, { max: 1, statementTimeoutMs: 0 });
await pool.query('SELECT 1'); // connect outside the timing, as psql's startup is tiny
const cpuBefore = process.cpuUsage();
const started = performance.now();
const batchSize = process.env.BENCH_BATCH ? Number(process.env.BENCH_BATCH) : undefined;
const result = await executeSql(pool, query, {
  stream: true,
  maxRows: 100,
  rowMode: 'array',
  ...(batchSize ? { batchSize } : {}),
});
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const out = {
  ms,
  cpuMs: (cpu.user + cpu.system) / 1000,
  rows: result.rowCount,
  spilledBytes: result.statements[0].spilledBytes,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
};
await result.dispose();
await pool.end();
process.stdout.write(JSON.stringify(out));
