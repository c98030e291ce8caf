// pnpm bench: our pipeline (pg_dump -Fc -Z0 → zstd → AES-256-GCM STREAM → SHA-256 → file) against
// plain `pg_dump -Fc > file` and `pg_dump -Fc -Z0 > file`, and our restore against plain
// pg_restore, on a generated database of BENCH_DB_MB MiB (default 1024), all in the same run.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { startPostgres } from '@supaops/testkit';
import pg from 'pg';
import { findPgTool } from '../dist/index.js';
import { benchS3 } from './s3.bench.mjs';

const targetMiB = Number(process.env.BENCH_DB_MB ?? 1024);
// BENCH_ONLY=s3: only the S3 backup and restore (peak RSS, and the baseline build's with
// BENCH_BASELINE_DIST), without the local comparisons with pg_dump / pg_restore
const s3Only = process.env.BENCH_ONLY === 's3';
const level = Number(process.env.BENCH_ZSTD_LEVEL ?? 1);
// BENCH_BASELINE_DIST: a dist/ of an earlier build, whose restore runs in the same run (A/B)
const baselineDist = process.env.BENCH_BASELINE_DIST
  ? new URL(`file://${process.env.BENCH_BASELINE_DIST.replace(/\/?$/, '/')}index.js`).href
  : undefined;
const MiB = 1024 * 1024;

async function query(url, text) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

function run(cmd, args, { env, stdoutFile } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', stdoutFile ? 'pipe' : 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const done = stdoutFile
      ? pipeline(child.stdout, createWriteStream(stdoutFile))
      : Promise.resolve();
    if (!stdoutFile) child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', async (code) => {
      await done;
      code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - started) / 1000, value };
}

const fmt = (n, d = 2) => n.toFixed(d);

const cluster = await startPostgres({
  settings: { max_wal_size: '4GB', checkpoint_timeout: '30min' },
});
const work = await mkdtemp(join(tmpdir(), 'supaops-bench-'));
try {
  const adminUrl = cluster.url('postgres');
  await query(adminUrl, 'CREATE DATABASE bench');
  const url = cluster.url('bench');
  const env = { PGPASSWORD: cluster.password };
  const dbArg = `--dbname=postgresql://${cluster.superuser}@${cluster.host}:${cluster.port}/bench`;

  // generate: rows of mixed types, text half random-looking (md5) and half repetitive
  process.stdout.write(`generating a ${targetMiB} MiB database...\n`);
  let next = 1;
  const gen = await timed(async () => {
    await query(
      url,
      `CREATE TABLE events (id bigint PRIMARY KEY, account int, kind text, amount numeric(12,2), at timestamptz, body text, meta jsonb);
       CREATE TABLE accounts (id int PRIMARY KEY, name text, email text, created timestamptz);
       INSERT INTO accounts SELECT g, 'account ' || g, 'user' || g || '@example.com', now() - g * interval '1 minute' FROM generate_series(1, 100000) g;`,
    );
    const batch = 200_000;
    for (let i = 0; i < 10_000; i++) {
      const [{ size }] = await query(
        url,
        'SELECT pg_database_size(current_database())::bigint AS size',
      );
      if (Number(size) >= targetMiB * MiB) break;
      await query(
        url,
        `INSERT INTO events SELECT g, g % 100000, (ARRAY['login','purchase','refund','view','logout'])[1 + g % 5],
                (g % 100000) / 7.0, timestamp '2025-01-01' + g * interval '1 second',
                md5(g::text) || ' status=ok region=eu-west-' || (g % 3) || ' ' || repeat('x', g % 40),
                jsonb_build_object('ip', '10.0.' || (g % 255) || '.' || (g % 7), 'agent', 'Mozilla/5.0', 'n', g)
           FROM generate_series(${next}, ${next + batch - 1}) g`,
      );
      next += batch;
    }
    await query(url, 'VACUUM ANALYZE');
  });
  const [{ size }] = await query(
    url,
    'SELECT pg_database_size(current_database())::bigint AS size',
  );
  process.stdout.write(
    `database: ${fmt(Number(size) / MiB, 0)} MiB, ${next - 1} event rows (generated in ${fmt(gen.seconds, 1)} s)\n\n`,
  );

  const keyHex = randomBytes(32).toString('hex');
  const op = fileURLToPath(new URL('./run-op.mjs', import.meta.url));
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
  if (!s3Only) {
    const pgDump = await findPgTool('pg_dump');
    const pgRestore = await findPgTool('pg_restore');

    const gzFile = join(work, 'plain.dump');
    const plain = await timed(() => run(pgDump.path, ['-Fc', dbArg], { env, stdoutFile: gzFile }));
    const plainSize = (await stat(gzFile)).size;

    const z0File = join(work, 'z0.dump');
    const z0 = await timed(() =>
      run(pgDump.path, ['-Fc', '-Z0', dbArg], { env, stdoutFile: z0File }),
    );
    const z0Size = (await stat(z0File)).size;
    await rm(z0File);

    const dir = join(work, 'ours');
    const ours = JSON.parse(
      await run(process.execPath, [
        op,
        JSON.stringify({ op: 'backup', source: url, dir, keyHex, compression: 'zstd', level }),
      ]),
    );

    // restores, each into a fresh database; with BENCH_ROUNDS > 1 they run interleaved
    // (plain, ours, baseline, plain, ...) and the median of each is reported, which evens out
    // the load other processes put on a shared machine
    const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    const plainRuns = [];
    const oursRuns = [];
    const baselineRuns = [];
    for (let round = 0; round < rounds; round++) {
      await query(adminUrl, 'CREATE DATABASE r_plain');
      plainRuns.push(
        await timed(() =>
          run(
            pgRestore.path,
            [
              '--exit-on-error',
              `--dbname=postgresql://${cluster.superuser}@${cluster.host}:${cluster.port}/r_plain`,
              gzFile,
            ],
            { env },
          ),
        ),
      );
      await query(adminUrl, 'DROP DATABASE r_plain');
      const restoreOp = async (name, dist) => {
        const out = JSON.parse(
          await run(process.execPath, [
            op,
            JSON.stringify({
              op: 'restore',
              id: ours.id,
              dir,
              keyHex,
              target: cluster.url(name),
              ...(dist ? { dist } : {}),
            }),
          ]),
        );
        await query(adminUrl, `DROP DATABASE ${name}`);
        return out;
      };
      oursRuns.push(await restoreOp('r_ours'));
      if (baselineDist) baselineRuns.push(await restoreOp('r_base', baselineDist));
    }
    const plainRestore = { seconds: median(plainRuns.map((r) => r.seconds)) };
    const oursRestore = {
      ...oursRuns.at(-1),
      seconds: median(oursRuns.map((r) => r.seconds)),
      verifySeconds: median(oursRuns.map((r) => r.verifySeconds ?? 0)),
      maxRssMiB: Math.max(...oursRuns.map((r) => r.maxRssMiB)),
    };
    const baselineRestore = baselineDist
      ? { seconds: median(baselineRuns.map((r) => r.seconds)) }
      : undefined;
    if (rounds > 1) {
      const list = (xs) => xs.map((r) => fmt(r.seconds)).join(' / ');
      process.stdout.write(
        `restore rounds (s): pg_restore ${list(plainRuns)}; ours ${list(oursRuns)}${baselineDist ? `; baseline ${list(baselineRuns)}` : ''}\n`,
      );
    }

    const rows = [
      ['pg_dump -Fc > file (gzip default level)', plain.seconds, plainSize],
      ['pg_dump -Fc -Z0 > file', z0.seconds, z0Size],
      [`ours: -Z0 → zstd ${level} → AES-256-GCM → SHA-256 → file`, ours.seconds, ours.storedSize],
    ];
    process.stdout.write(
      'backup                                             seconds   MiB/s(db)   output MiB\n',
    );
    for (const [name, s, bytes] of rows) {
      process.stdout.write(
        `${name.padEnd(50)} ${fmt(s).padStart(7)}   ${fmt(Number(size) / MiB / s, 1).padStart(9)}   ${fmt(bytes / MiB, 1).padStart(10)}\n`,
      );
    }
    process.stdout.write(`\nrestore                                            seconds\n`);
    process.stdout.write(
      `${'pg_restore plain.dump (single job)'.padEnd(50)} ${fmt(plainRestore.seconds).padStart(7)}\n`,
    );
    process.stdout.write(
      `${'ours: stream decrypt → unzstd → pg_restore + row check'.padEnd(50)} ${fmt(oursRestore.seconds).padStart(7)}\n`,
    );
    process.stdout.write(
      `${'  of which: verifying every part before writing'.padEnd(50)} ${fmt(oursRestore.verifySeconds ?? 0).padStart(7)}\n`,
    );
    if (baselineRestore) {
      process.stdout.write(
        `${'baseline build (BENCH_BASELINE_DIST) restore'.padEnd(50)} ${fmt(baselineRestore.seconds).padStart(7)}\n`,
      );
    }
    process.stdout.write('\n');

    const goals = [
      ['backup speed vs pg_dump -Fc (goal >= 1.0x)', plain.seconds / ours.seconds],
      ['backup output size vs pg_dump -Fc (goal <= 1.0x)', ours.storedSize / plainSize],
      ['backup speed vs pg_dump -Fc -Z0 (goal >= 0.9x)', z0.seconds / ours.seconds],
      ['restore speed vs pg_restore (goal >= 0.9x)', plainRestore.seconds / oursRestore.seconds],
    ];
    if (baselineRestore) {
      goals.push([
        'restore speed vs pg_restore, baseline build',
        plainRestore.seconds / baselineRestore.seconds,
      ]);
    }
    for (const [name, ratio] of goals) process.stdout.write(`${name.padEnd(52)} ${fmt(ratio)}x\n`);
    process.stdout.write(
      `peak RSS of our backup process: ${fmt(ours.maxRssMiB, 1)} MiB; restore process: ${fmt(oursRestore.maxRssMiB, 1)} MiB (goal < 100 MiB)\n`,
    );
    const mem = (m) =>
      `rss ${m.rss}, V8 heap ${m.heapUsed} used / ${m.heapTotal} committed, external ${m.external} (ArrayBuffers ${m.arrayBuffers})`;
    process.stdout.write(
      `  after loading the package: ${mem(ours.afterLoad)} MiB\n  backup at its sampled RSS peak: ${mem(ours.atPeak)} MiB\n  restore at its sampled RSS peak: ${mem(oursRestore.atPeak)} MiB\n`,
    );
    process.stdout.write(
      `row counts checked after restore: ${oursRestore.checked} tables, ${oursRestore.mismatches} mismatches\n`,
    );
  }

  // S3: the same backup and restore through the loopback S3 server
  await benchS3({
    runOp: async (config) => JSON.parse(await run(process.execPath, [op, JSON.stringify(config)])),
    dropDatabase: (name) => query(adminUrl, `DROP DATABASE ${name}`),
    targetUrl: (name) => cluster.url(name),
    source: url,
    keyHex,
    level,
    rounds,
    baselineDist,
  });
} finally {
  await rm(work, { recursive: true, force: true });
  await cluster.stop();
}
