// pnpm bench: loadConfig of a project file with 50 instances (plus a user file with the Dokploy
// servers), goal < 20 ms, printed as a ratio to the goal and to a baseline measured in the same
// run: readFile + JSON.parse of the same two files.

import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../dist/index.js';

const INSTANCES = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const GOAL_MS = 20;

const root = await mkdtemp(path.join(os.tmpdir(), 'supaops-config-bench-'));
const project = path.join(root, 'project', 'app');
const userDir = path.join(root, 'config', 'supaops');
const env = {
  HOME: root,
  XDG_CONFIG_HOME: path.join(root, 'config'),
  XDG_DATA_HOME: path.join(root, 'data'),
  XDG_STATE_HOME: path.join(root, 'state'),
  XDG_CACHE_HOME: path.join(root, 'cache'),
};

const instances = {};
for (let i = 0; i < INSTANCES; i++) {
  instances[`app-${i}`] = {
    kind: i % 2 ? 'dokploy' : 'self-hosted',
    description: `Instance ${i}`,
    database: {
      session: `postgres://postgres.tenant${i}@db${i}.example.com:5432/postgres?sslmode=require`,
      transaction: `postgres://postgres.tenant${i}@pool${i}.example.com:6543/postgres`,
      password: `env:DB_PASSWORD_${i}`,
    },
    api: {
      url: `https://api${i}.example.com`,
      anonKey: `env:ANON_${i}`,
      serviceRoleKey: `file:secrets/service-${i}.jwt`,
      secretKey: `store:app-${i}/secret`,
    },
    ...(i % 2 ? { dokploy: { server: `srv-${i % 5}`, composeId: `compose-${i}` } } : {}),
    migrationsDir: `services/${i}/migrations`,
    backups: {
      storage: {
        type: 's3',
        bucket: 'backups',
        prefix: `app-${i}/`,
        region: 'eu-central-1',
        accessKeyId: 'env:S3_KEY',
        secretAccessKey: 'env:S3_SECRET',
      },
      encryptionKey: 'env:BACKUP_KEY',
      retention: { keepLast: 7, keepDays: 30 },
    },
    labels: { production: i % 3 === 0, team: `team-${i % 4}`, tier: i % 3 },
  };
}
const dokployServers = {};
for (let s = 0; s < 5; s++) {
  dokployServers[`srv-${s}`] = {
    url: `https://dokploy${s}.example.com`,
    apiKey: `env:DOKPLOY_${s}`,
  };
}
await mkdir(project, { recursive: true });
await mkdir(userDir, { recursive: true });
const projectFile = path.join(root, 'project', 'supaops.config.json');
const userFile = path.join(userDir, 'supaops.config.json');
await writeFile(
  projectFile,
  JSON.stringify({ version: 1, defaultInstance: 'app-0', instances }, null, 2),
);
await writeFile(userFile, JSON.stringify({ version: 1, dokployServers }, null, 2));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];

const baseline = async () => {
  JSON.parse(await readFile(projectFile, 'utf8'));
  JSON.parse(await readFile(userFile, 'utf8'));
};
// cwd one level below the project file: the search walks up as it does in real use
const ours = async () => {
  const loaded = await loadConfig({ cwd: project, env });
  if (Object.keys(loaded.config.instances).length !== INSTANCES) throw new Error('wrong load');
};

try {
  const base = [];
  const mine = [];
  for (let i = 0; i < 30; i++) {
    await baseline();
    await ours();
  }
  // alternate so load changes on the machine hit both sides alike
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    await baseline();
    base.push(performance.now() - t);
    t = performance.now();
    await ours();
    mine.push(performance.now() - t);
  }
  const bytes = (await readFile(projectFile)).length + (await readFile(userFile)).length;
  // the first load in a fresh process (what one CLI invocation pays; import not included),
  // against a fresh process's first readFile + JSON.parse of the same files
  const dist = new URL('../dist/index.js', import.meta.url).href;
  const script = `
    import { readFile } from 'node:fs/promises';
    const { loadConfig } = await import(${JSON.stringify(dist)});
    let t = performance.now();
    for (const f of ${JSON.stringify([projectFile, userFile])}) JSON.parse(await readFile(f, 'utf8'));
    const base = performance.now() - t;
    t = performance.now();
    await loadConfig({ cwd: ${JSON.stringify(project)}, env: ${JSON.stringify(env)} });
    console.log(JSON.stringify([base, performance.now() - t]));`;
  const firstBase = [];
  const firstOurs = [];
  for (let i = 0; i < 7; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    const [fb, fo] = JSON.parse(out);
    firstBase.push(fb);
    firstOurs.push(fo);
  }
  const m = median(mine);
  const b = median(base);
  const fm = median(firstOurs);
  const fb = median(firstBase);
  const line = (label, ms, baseMs) =>
    `  ${label.padEnd(34)} p50 ${ms.toFixed(3).padStart(7)} ms  ${(ms / GOAL_MS).toFixed(3)}x the ${GOAL_MS} ms goal (${ms < GOAL_MS ? 'met' : 'MISSED'})  ${(ms / baseMs).toFixed(1)}x the baseline (${baseMs.toFixed(3)} ms)`;
  console.log(
    `@supaops/config bench: ${INSTANCES} instances + ${Object.keys(dokployServers).length} Dokploy servers, ${(bytes / 1024).toFixed(1)} KiB in 2 files`,
  );
  console.log(line(`loadConfig, warm (${RUNS} runs)`, m, b));
  console.log(
    `  ${''.padEnd(34)} p95 ${p95(mine).toFixed(3).padStart(7)} ms  (baseline p95 ${p95(base).toFixed(3)} ms)`,
  );
  console.log(line('loadConfig, first in a process (7)', fm, fb));
  if (m >= GOAL_MS || fm >= GOAL_MS) process.exitCode = 1;
} finally {
  await rm(root, { recursive: true, force: true });
}
