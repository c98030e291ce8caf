// Benchmark: write and read back BENCH_MB (default 1024) MiB in 64 KiB chunks through a
// SpillBuffer, against a plain fs write and read of the same bytes in the same run.
// Each measurement runs in a fresh child process, so peak RSS is measured over that
// process's own baseline and one variant's garbage never counts against the other.
// Goals: throughput at least 80% of plain fs; peak RSS under threshold + 64 MiB.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_THRESHOLD, SpillBuffer } from '../dist/index.js';

const totalMiB = Number(process.env.BENCH_MB ?? 1024);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const CHUNK = 64 * 1024;
const mib = 1024 * 1024;
const variant = process.argv[2];

async function measure(kind) {
  const chunks = (totalMiB * mib) / CHUNK;
  const payload = Buffer.alloc(CHUNK);
  for (let i = 0; i < CHUNK; i++) payload[i] = (i * 31) & 0xff;
  const dir = await mkdtemp(join(tmpdir(), 'spill-bench-'));
  await new Promise((r) => setTimeout(r, 20));
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const start = performance.now();
  let read = 0;
  if (kind === 'plain') {
    const path = join(dir, 'plain.bin');
    const out = createWriteStream(path, { highWaterMark: CHUNK });
    for (let i = 0; i < chunks; i++) {
      if (!out.write(payload)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    for await (const part of createReadStream(path, { highWaterMark: CHUNK }))
      read += part.byteLength;
  } else {
    const buffer = new SpillBuffer({ tmpDir: dir });
    for (let i = 0; i < chunks; i++) await buffer.write(payload);
    await buffer.end();
    for await (const part of buffer.createReadStream()) read += part.byteLength;
    await buffer.dispose();
  }
  const ms = performance.now() - start;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  await rm(dir, { recursive: true, force: true });
  if (read !== chunks * CHUNK)
    throw new Error(`${kind} read back ${read} of ${chunks * CHUNK} bytes`);
  return { ms, rssOverMiB: (peak - baseline) / mib };
}

if (variant) {
  process.stdout.write(JSON.stringify(await measure(variant)));
} else {
  const self = fileURLToPath(import.meta.url);
  const runs = { spill: [], plain: [] };
  // interleaved, so both see the same page-cache and writeback conditions
  for (let round = 0; round < rounds; round++) {
    for (const kind of ['spill', 'plain']) {
      runs[kind].push(
        JSON.parse(execFileSync(process.execPath, [self, kind], { encoding: 'utf8' })),
      );
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const spillMs = median(runs.spill.map((r) => r.ms));
  const plainMs = median(runs.plain.map((r) => r.ms));
  const spillRss = Math.max(...runs.spill.map((r) => r.rssOverMiB));
  const plainRss = Math.max(...runs.plain.map((r) => r.rssOverMiB));
  const ratio = plainMs / spillMs;
  const budget = DEFAULT_THRESHOLD / mib + 64;
  const f = (n, d = 2) => n.toFixed(d);
  console.log(
    `spill-buffer bench: ${totalMiB} MiB in 64 KiB chunks, write + read back, median of ${rounds}, fresh process each`,
  );
  console.log(
    `  plain fs      ${f(plainMs, 0)} ms  (${f((2 * totalMiB) / (plainMs / 1000), 0)} MiB/s)  peak RSS +${f(plainRss, 1)} MiB`,
  );
  console.log(
    `  SpillBuffer   ${f(spillMs, 0)} ms  (${f((2 * totalMiB) / (spillMs / 1000), 0)} MiB/s)  peak RSS +${f(spillRss, 1)} MiB`,
  );
  console.log(
    `  throughput ratio (SpillBuffer / plain fs): ${f(ratio)}  goal >= 0.80  ${ratio >= 0.8 ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `  SpillBuffer peak RSS over baseline (worst run): ${f(spillRss, 1)} MiB  goal < ${f(budget, 1)} MiB  ${spillRss < budget ? 'PASS' : 'FAIL'}`,
  );
  if (ratio < 0.8 || spillRss >= budget) process.exitCode = 1;
}
