// Record mode: append BENCH_RECORDS (default 1,000,000) small JSON records to a RecordLog that
// spills at once, then read one page deep inside it. Baseline in the same run: the same
// records JSON-encoded into a plain fs write stream (no count, no index, no paging).
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordLog } from '../dist/index.js';

const count = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const record = (i) => ({
  id: i,
  name: `row ${i}`,
  value: i * 1.5,
  ok: i % 2 === 0,
  at: '2026-01-01T00:00:00Z',
});
const dir = await mkdtemp(join(tmpdir(), 'recordlog-bench-'));

let start = performance.now();
const out = createWriteStream(join(dir, 'plain.jsonl'));
for (let i = 0; i < count; i++) {
  if (!out.write(`${JSON.stringify(record(i))}\n`)) await once(out, 'drain');
}
out.end();
await once(out, 'finish');
const plainMs = performance.now() - start;

start = performance.now();
const log = new RecordLog({ threshold: 0, tmpDir: dir });
for (let i = 0; i < count; i++) await log.append(record(i));
await log.flush();
const appendMs = performance.now() - start;
start = performance.now();
const page = await log.page({ offset: Math.floor(count * 0.75), limit: 100 });
const pageMs = performance.now() - start;
if (page.length !== 100 || page[0].id !== Math.floor(count * 0.75)) throw new Error('wrong page');
await log.dispose();
await rm(dir, { recursive: true, force: true });

console.log(`record-log bench: ${count} records`);
console.log(`  plain fs JSON lines   ${plainMs.toFixed(0)} ms`);
console.log(
  `  RecordLog.append      ${appendMs.toFixed(0)} ms  (${((appendMs * 1000) / count).toFixed(2)} µs/record, ratio to plain ${(appendMs / plainMs).toFixed(2)}×)`,
);
console.log(`  page(offset ${Math.floor(count * 0.75)}, 100)  ${pageMs.toFixed(1)} ms`);
