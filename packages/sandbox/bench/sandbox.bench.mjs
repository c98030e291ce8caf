// pnpm bench: each goal is printed against its target and against a baseline measured in the same run.
//   1. start of an initialised, stopped sandbox to the first accepted connection, goal < 1.5 s;
//      baseline: a bare `pg_ctl start -w` of the same data dir plus one connection
//   2. reuse of a running sandbox (startSandbox returning the running one), goal < 100 ms;
//      baseline: a bare pg connect + end
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { isRoot, lookupOsUser, resetSandbox, startSandbox, stopSandbox } from '../dist/index.js';

const run = promisify(execFile);
const START_ROUNDS = Number(process.env.BENCH_START_ROUNDS ?? 7);
const REUSE_ROUNDS = Number(process.env.BENCH_REUSE_ROUNDS ?? 40);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => x.toFixed(1);
const now = () => performance.now();

async function connectOnce(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.end();
}

const home = mkdtempSync(join(tmpdir(), 'sandbox-bench-'));
const env = { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, 'data') };
const user = isRoot() ? lookupOsUser('postgres') : undefined;
const asUser = user ? { uid: user.uid, gid: user.gid, cwd: '/' } : {};

try {
  const t0 = now();
  const first = await startSandbox({ env });
  const initMs = now() - t0;
  const pgdata = join(first.clusterDir, 'pgdata');
  const pgCtl = join(first.binaries.dir, 'pg_ctl');
  const url = first.url();
  await stopSandbox({ env });

  // --- 1. start of an initialised sandbox, alternating with the bare pg_ctl baseline ---
  const ours = [];
  const bare = [];
  for (let i = 0; i < START_ROUNDS; i++) {
    let t = now();
    const sandbox = await startSandbox({ env });
    await connectOnce(sandbox.url());
    ours.push(now() - t);
    await stopSandbox({ env });

    t = now();
    await run(
      pgCtl,
      [
        '-D',
        pgdata,
        '-w',
        '-l',
        join(first.clusterDir, 'bench-baseline.log'),
        '-o',
        `-p ${first.port} -h 127.0.0.1 -k ''`,
        'start',
      ],
      asUser,
    );
    await connectOnce(url);
    bare.push(now() - t);
    await run(pgCtl, ['-D', pgdata, '-m', 'fast', '-w', 'stop'], asUser);
  }

  // --- 2. reuse of a running sandbox vs a bare connect ---
  await startSandbox({ env });
  const reuse = [];
  const connect = [];
  for (let i = 0; i < 5; i++) {
    await startSandbox({ env });
    await connectOnce(url);
  }
  for (let i = 0; i < REUSE_ROUNDS; i++) {
    let t = now();
    const again = await startSandbox({ env });
    reuse.push(now() - t);
    if (!again.reused) throw new Error('expected the running sandbox to be reused');
    t = now();
    await connectOnce(url);
    connect.push(now() - t);
  }

  const startP50 = median(ours);
  const bareP50 = median(bare);
  const reuseP50 = median(reuse);
  const connectP50 = median(connect);
  const verdict = (ok) => (ok ? 'MET' : 'MISSED');
  console.log(
    `first start (initdb + bootstrap, once): ${fmt(initMs)} ms  [${first.binaries.source} ${first.binaries.version}]`,
  );
  console.log(
    `1. start, initialised -> first connection: p50 ${fmt(startP50)} ms (goal < 1500 ms: ${verdict(startP50 < 1500)}); ` +
      `baseline pg_ctl start -w + connect p50 ${fmt(bareP50)} ms; ratio ${(startP50 / bareP50).toFixed(2)}x  (${START_ROUNDS} rounds)`,
  );
  console.log(
    `2. reuse of a running sandbox: p50 ${fmt(reuseP50)} ms, max ${fmt(Math.max(...reuse))} ms (goal < 100 ms: ${verdict(reuseP50 < 100)}); ` +
      `baseline bare pg connect p50 ${fmt(connectP50)} ms; ratio ${(reuseP50 / connectP50).toFixed(2)}x  (${REUSE_ROUNDS} rounds)`,
  );
} finally {
  await resetSandbox({ env });
  rmSync(home, { recursive: true, force: true });
}
