// pnpm bench (after pnpm build): start-up of the CLI against a bare `node -e ''`, and
// `supaops backup create` against the library's own createBackup, all measured in this run.
//   goals: `supaops --help` and `supaops keys check --env FILE` at most 3x a bare node start;
//          backup create through the CLI at least 0.95x the library's speed.
// BENCH_DB_MB (default 300) sizes the generated database; BENCH_RUNS (default 21) the start-ups.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { executeSql } from '@supaops/pg-connect';
import { startPostgres } from '@supaops/testkit';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '../dist/bin.js');
const targetMiB = Number(process.env.BENCH_DB_MB ?? 300);
const runs = Number(process.env.BENCH_RUNS ?? 21);
const work = await mkdtemp(path.join(tmpdir(), 'supaops-cli-bench-'));
const home = path.join(work, 'home');
await mkdir(home, { recursive: true });
const baseEnv = {
  PATH: process.env.PATH,
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, '.config'),
  XDG_STATE_HOME: path.join(home, '.state'),
  XDG_DATA_HOME: path.join(home, '.data'),
  XDG_CACHE_HOME: path.join(home, '.cache'),
};

function run(args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: work,
      env: { ...baseEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) => {
      const ms = performance.now() - started;
      code === 0 || code === 1
        ? resolve(ms)
        : reject(new Error(`${args.join(' ')} exited ${code}: ${err.slice(-1500)}`));
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n, d = 1) => n.toFixed(d);
const verdict = (ok) => (ok ? 'met' : 'NOT met');

// --- start-up -------------------------------------------------------------------------------
const envFile = path.join(work, 'selfhost.env');
const keys = await new Promise((resolve, reject) => {
  const child = spawn(process.execPath, [bin, 'keys', 'generate'], { env: baseEnv });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.on('close', (code) =>
    code === 0 ? resolve(out) : reject(new Error('keys generate failed')),
  );
});
await writeFile(envFile, keys);

const variants = {
  "node -e ''": ['-e', ''],
  'supaops --help': [bin, '--help'],
  'supaops keys check --env FILE': [bin, 'keys', 'check', '--env', envFile],
};
const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
// two warm-up rounds fill the OS page cache and V8's compile cache, as any second run has them
for (let i = 0; i < runs + 2; i++) {
  for (const [name, args] of Object.entries(variants)) {
    const ms = await run(args);
    if (i >= 2) samples[name].push(ms);
  }
}
const baseline = median(samples["node -e ''"]);
console.log(
  `start-up, median of ${runs} interleaved runs (load average ${(await import('node:os')).loadavg()[0].toFixed(1)})`,
);
console.log(`  node -e ''                      ${fmt(baseline)} ms   (baseline)`);
const startGoals = [];
for (const name of ['supaops --help', 'supaops keys check --env FILE']) {
  const ms = median(samples[name]);
  const ratio = ms / baseline;
  startGoals.push(ratio <= 3);
  console.log(
    `  ${name.padEnd(31)} ${fmt(ms)} ms   ${fmt(ratio, 2)}x baseline (goal <= 3x: ${verdict(ratio <= 3)})`,
  );
}

if (process.env.BENCH_ONLY === 'startup') {
  if (!startGoals.every(Boolean)) process.exitCode = 1;
  await rm(work, { recursive: true, force: true });
  process.exit();
}

// --- backup create --------------------------------------------------------------------------
const cluster = await startPostgres({
  settings: { max_wal_size: '4GB', checkpoint_timeout: '30min' },
});
try {
  const url = `postgres://${encodeURIComponent(cluster.superuser)}:${encodeURIComponent(cluster.password)}@${cluster.host}:${cluster.port}/postgres`;
  const rows = Math.round((targetMiB * 1024 * 1024) / 330);
  const seeded = performance.now();
  await executeSql(
    url,
    [
      'create table events (id bigint primary key, kind text, amount numeric, at timestamptz, payload jsonb)',
      `insert into events select g, 'kind-' || (g % 17), g * 1.25, now() - (g || ' seconds')::interval, jsonb_build_object('n', g, 'tag', md5(g::text), 'text', repeat(md5((g * 7)::text), 5)) from generate_series(1, ${rows}) g`,
      'analyze events',
    ],
    { statementTimeoutMs: 0, timeoutMs: 600_000 },
  );
  const size = await executeSql(
    url,
    'select pg_database_size(current_database())::bigint as bytes',
  );
  const dbMiB = Number(size.rows[0].bytes) / 1024 / 1024;
  console.log(
    `\nbackup create on a ${fmt(dbMiB, 0)} MiB database (${rows} rows, generated in ${fmt((performance.now() - seeded) / 1000)} s), zstd 1 + AES-256-GCM, local storage`,
  );

  const keyFile = path.join(work, 'backup.key');
  await writeFile(keyFile, randomBytes(32), { mode: 0o600 });
  const env = { PG_BIN: cluster.binDir };
  const pairs = Number(process.env.BENCH_BACKUP_PAIRS ?? 7);
  const lib = [];
  const cli = [];
  // pair -1 is a warm-up (page cache, shared buffers, compile cache) and is not counted
  for (let i = -1; i < pairs; i++) {
    // alternate which side goes first, so neither always meets a warmer cache
    const sides = (i + 2) % 2 === 0 ? ['lib', 'cli'] : ['cli', 'lib'];
    for (const side of sides) {
      const dir = path.join(work, `${side}-${i + 1}`);
      await mkdir(dir, { recursive: true });
      const ms =
        side === 'lib'
          ? await run([path.join(here, 'lib-backup.mjs'), url, dir, keyFile], env)
          : await run(
              [
                bin,
                'backup',
                'create',
                '--db-url',
                url,
                '--storage',
                dir,
                '--key-file',
                keyFile,
                '--quiet',
                '--json',
              ],
              env,
            );
      if (i >= 0) (side === 'lib' ? lib : cli).push(ms);
      await rm(dir, { recursive: true, force: true });
    }
  }
  // what the CLI adds whatever the size: the same backup of an empty database, 5 pairs
  await executeSql(url, 'create database empty_db');
  const emptyUrl = url.replace(/\/postgres$/, '/empty_db');
  const fixed = { lib: [], cli: [] };
  for (let i = 0; i < 5; i++) {
    for (const side of ['lib', 'cli']) {
      const dir = path.join(work, `empty-${side}-${i}`);
      await mkdir(dir, { recursive: true });
      fixed[side].push(
        side === 'lib'
          ? await run([path.join(here, 'lib-backup.mjs'), emptyUrl, dir, keyFile], env)
          : await run(
              [
                bin,
                'backup',
                'create',
                '--db-url',
                emptyUrl,
                '--storage',
                dir,
                '--key-file',
                keyFile,
                '--quiet',
                '--json',
              ],
              env,
            ),
      );
      await rm(dir, { recursive: true, force: true });
    }
  }
  const ratios = lib.map((l, i) => l / cli[i]);
  const ratio = median(ratios);
  console.log(
    `  library createBackup (own process)  ${lib.map((x) => fmt(x / 1000, 2)).join(' / ')} s`,
  );
  console.log(
    `  supaops backup create               ${cli.map((x) => fmt(x / 1000, 2)).join(' / ')} s`,
  );
  console.log(
    `  speed ratio (library time / CLI time, median of ${pairs} pairs): ${fmt(ratio, 3)} (goal >= 0.95: ${verdict(ratio >= 0.95)})`,
  );
  console.log(
    `  ratio of the medians: ${fmt(median(lib) / median(cli), 3)}; per pair: ${ratios.map((r) => fmt(r, 2)).join(' ')}`,
  );
  console.log(
    `  fixed cost, empty database (median of 5): library ${fmt(median(fixed.lib), 0)} ms, CLI ${fmt(median(fixed.cli), 0)} ms`,
  );
  if (!startGoals.every(Boolean) || ratio < 0.95) process.exitCode = 1;
} finally {
  await cluster.stop();
  await rm(work, { recursive: true, force: true });
}
