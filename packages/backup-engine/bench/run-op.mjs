// Runs one backup-engine operation in its own process and prints JSON with its peak RSS,
// so the figure is the pipeline's own memory, not the benchmark driver's. It also samples
// process.memoryUsage() every 20 ms and reports the breakdown at the sampled RSS peak
// (V8 heap, external memory, of which ArrayBuffers/Buffers) to show where the memory goes.
import { readFileSync } from 'node:fs';

const config = JSON.parse(process.argv[2]);
// `dist`: another build (the baseline of a before/after comparison in the same run)
const { createBackup, createLocalStorage, createS3Storage, restoreBackup } = await import(
  config.dist ?? '../dist/index.js'
);
const MiB = 1024 * 1024;

/**
 * The process's peak RSS. On Linux from VmHWM, the high-water mark of this process's own
 * memory: getrusage's maxRSS (process.resourceUsage) survives exec, so a child forked from a
 * larger parent (the driver, which holds the loopback S3 server's objects) reports the parent's
 * size instead of its own.
 */
function peakRssMiB() {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
const round = (n) => Math.round((n / MiB) * 10) / 10;
const loaded = process.memoryUsage();
let peak = loaded;
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  if (now.rss > peak.rss) peak = now;
}, 20);
sampler.unref();

const key = { key: Buffer.from(config.keyHex, 'hex') };
const storage = config.s3 ? createS3Storage(config.s3) : createLocalStorage(config.dir);
const started = performance.now();
let result;
if (config.op === 'backup') {
  const out = await createBackup({
    source: config.source,
    storage,
    encryption: key,
    supabase: false,
    compression: config.compression,
    compressionLevel: config.level,
  });
  result = {
    id: out.id,
    storedSize: out.manifest.parts[0].stored_size,
    rawSize: out.manifest.parts[0].raw_size,
  };
} else {
  // the verification pass before writing reports progress as phase 'verify'
  let verifyMs = 0;
  const out = await restoreBackup({
    storage,
    id: config.id,
    key,
    target: config.target,
    onProgress: (e) => {
      if (e.phase === 'verify' && e.done) verifyMs += e.elapsedMs;
    },
  });
  result = {
    checked: out.rowCounts.checked,
    mismatches: out.rowCounts.mismatches.length,
    verifySeconds: verifyMs / 1000,
  };
}
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const breakdown = (m) => ({
  rss: round(m.rss),
  heapTotal: round(m.heapTotal),
  heapUsed: round(m.heapUsed),
  external: round(m.external),
  arrayBuffers: round(m.arrayBuffers),
});
process.stdout.write(
  `${JSON.stringify({
    ...result,
    seconds,
    maxRssMiB: peakRssMiB(),
    afterLoad: breakdown(loaded),
    atPeak: breakdown(peak),
  })}\n`,
);
