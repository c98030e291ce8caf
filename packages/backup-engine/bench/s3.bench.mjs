// The S3 part of `pnpm bench`: our backup and restore through the loopback S3 server, each in
// its own process (the server runs in the driver), so the peak RSS is the client's alone. With
// a baseline build (BENCH_BASELINE_DIST) its backup and restore run interleaved with ours,
// BENCH_ROUNDS times, so that before and after are measured in the same run.
import { startS3Server } from '@supaops/s3-server';

const fmt = (n, d = 2) => n.toFixed(d);
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

/**
 * @param {object} ctx
 * @param {(config: object) => Promise<object>} ctx.runOp runs bench/run-op.mjs with a config
 * @param {(name: string) => Promise<void>} ctx.dropDatabase
 * @param {(name: string) => string} ctx.targetUrl
 * @param {string} ctx.source
 * @param {string} ctx.keyHex
 * @param {number} ctx.level
 * @param {number} ctx.rounds
 * @param {string | undefined} ctx.baselineDist
 */
export async function benchS3(ctx) {
  const s3 = await startS3Server({ buckets: ['bench'] });
  const s3Options = {
    bucket: 'bench',
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  };
  const builds = [
    ['ours', undefined],
    ...(ctx.baselineDist ? [['baseline', ctx.baselineDist]] : []),
  ];
  const runs = Object.fromEntries(builds.map(([name]) => [name, { backup: [], restore: [] }]));
  try {
    for (let round = 0; round < ctx.rounds; round++) {
      for (const [name, dist] of builds) {
        const common = { s3: s3Options, keyHex: ctx.keyHex, ...(dist ? { dist } : {}) };
        const backup = await ctx.runOp({
          op: 'backup',
          source: ctx.source,
          compression: 'zstd',
          level: ctx.level,
          ...common,
        });
        const target = `r_s3_${name}`;
        const restore = await ctx.runOp({
          op: 'restore',
          id: backup.id,
          target: ctx.targetUrl(target),
          ...common,
        });
        await ctx.dropDatabase(target);
        runs[name].backup.push(backup);
        runs[name].restore.push(restore);
      }
    }
  } finally {
    await s3.stop();
  }

  const mem = (m) =>
    `rss ${m.rss}, V8 heap ${m.heapUsed} used / ${m.heapTotal} committed, external ${m.external} (ArrayBuffers ${m.arrayBuffers})`;
  process.stdout.write(
    '\nS3 (loopback)       seconds: median (each run)       peak RSS MiB (each run)\n',
  );
  for (const [name] of builds) {
    for (const op of ['backup', 'restore']) {
      const list = runs[name][op];
      const seconds = `${fmt(median(list.map((r) => r.seconds)))} (${list.map((r) => fmt(r.seconds)).join(' / ')})`;
      process.stdout.write(
        `${`${name} ${op}`.padEnd(20)} ${seconds.padEnd(32)} ${list.map((r) => fmt(r.maxRssMiB, 1)).join(' / ')}\n`,
      );
    }
  }
  const peak = (name, op) => Math.max(...runs[name][op].map((r) => r.maxRssMiB));
  process.stdout.write(
    `peak RSS via S3: backup ${fmt(peak('ours', 'backup'), 1)} MiB, restore ${fmt(peak('ours', 'restore'), 1)} MiB (goal < 100 MiB)\n`,
  );
  if (ctx.baselineDist) {
    for (const op of ['backup', 'restore']) {
      process.stdout.write(
        `  ${op}: peak RSS ours / baseline ${fmt(peak('ours', op) / peak('baseline', op))}x, speed baseline / ours ${fmt(median(runs.baseline[op].map((r) => r.seconds)) / median(runs.ours[op].map((r) => r.seconds)))}x\n`,
      );
    }
  }
  const last = (op) => runs.ours[op].at(-1);
  process.stdout.write(
    `  S3 backup at its sampled RSS peak: ${mem(last('backup').atPeak)} MiB\n  S3 restore at its sampled RSS peak: ${mem(last('restore').atPeak)} MiB\n`,
  );
}
