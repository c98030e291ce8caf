// Clone, data copy and schema sync against the Dokploy + gateway simulators and the test kit's
// PostgreSQL, each next to a baseline measured in the same run (no goal in issue 15; figures for
// the README). Runs against dist/ (pnpm build first): node bench/clone-promote.bench.mjs
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDokployClient } from '@supaops/dokploy-client';
import { startDokploySimulator } from '@supaops/dokploy-simulator';
import { createMigrator } from '@supaops/migrator';
import { executeSql } from '@supaops/pg-connect';
import { startSupabaseGateway } from '@supaops/supabase-gateway-simulator';
import { createTestDatabase, startTestServer } from '@supaops/testkit';
import {
  backupRestoreCopy,
  cloneInstance,
  createHistoryStore,
  createWizardStateStore,
  runSetupWizard,
  syncSchema,
} from '../dist/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DATA_ROUNDS = Number(process.env.BENCH_DATA_ROUNDS ?? 3);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 50_000);
const MIGRATIONS = 20;
const FAST = { deployPollMs: 5, validateAttempts: 2, validateRetryMs: 5 };
const SMTP = {
  mode: 'smtp',
  host: 'smtp.mailprovider.net',
  port: 587,
  user: 'apikey',
  pass: 'Zx9smtpPasswordValue42',
  adminEmail: 'auth@mail.acme.dev',
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(0)} ms`;
async function timed(fn) {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** A Dokploy simulator whose deploys start a gateway simulator, and Traefik's routing as a fetch. */
async function stack() {
  const gateways = new Map();
  const routes = new Map();
  const sim = await startDokploySimulator({
    deployDurationMs: 1,
    onDeploy: async (event) => {
      for (const d of event.domains)
        if (d.serviceName === 'kong') routes.set(d.host.toLowerCase(), event.composeId);
      const gw = gateways.get(event.composeId);
      if (gw) await gw.reconfigure(event.env);
      else gateways.set(event.composeId, await startSupabaseGateway({ env: event.env }));
    },
  });
  const client = createDokployClient({
    baseUrl: sim.url,
    apiKey: sim.apiKey,
    logger: { warn: () => {} },
    retry: false,
  });
  const routed = async (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const gw = gateways.get(routes.get(url.hostname));
    if (!gw) return new Response('404 page not found\n', { status: 404 });
    return fetch(`${gw.url}${url.pathname}${url.search}`, init);
  };
  const dir = await mkdtemp(join(tmpdir(), 'selfhost-bench-'));
  return {
    client,
    fetch: routed,
    dir,
    async stop() {
      await sim.stop();
      for (const gw of gateways.values()) await gw.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function run(cmd, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${code}`))));
  });
}

const server = await startTestServer();
const info = server.info;
const results = [];
try {
  // 1. clone (no data) against a fresh wizard deploy: the clone drives the same steps
  const wizardMs = [];
  const cloneMs = [];
  for (let i = 0; i < ROUNDS; i++) {
    const s = await stack();
    try {
      const history = createHistoryStore(join(s.dir, 'history'));
      const w = await timed(() =>
        runSetupWizard(
          {
            projectName: 'shop',
            smtp: SMTP,
            domain: { mode: 'own', host: 'supabase.acme.dev' },
            siteUrl: 'https://app.acme.dev',
            secretsOutput: { mode: 'print' },
            ...FAST,
          },
          {
            client: s.client,
            state: createWizardStateStore(join(s.dir, 'state.json')),
            history,
            httpFetch: s.fetch,
          },
        ),
      );
      const c = await timed(() =>
        cloneInstance({
          client: s.client,
          composeId: w.value.composeId,
          history,
          domain: { mode: 'own', host: 'staging.acme.dev' },
          secretsOutput: { mode: 'print' },
          fetch: s.fetch,
          ...FAST,
        }),
      );
      if (!w.value.validation.ok || !c.value.validation.ok) throw new Error('did not validate');
      wizardMs.push(w.ms);
      cloneMs.push(c.ms);
    } finally {
      await s.stop();
    }
  }
  results.push({
    scenario: `cloneInstance (no data), ${ROUNDS} rounds`,
    ours: median(cloneMs),
    baseline: median(wizardMs),
    baselineName: 'runSetupWizard fresh deploy',
  });

  // 2. data copy: backupRestoreCopy + row-count proof against pg_dump -Fc | pg_restore
  const source = await createTestDatabase(info, 'bench_src');
  await executeSql(
    source.adminUrl,
    `INSERT INTO auth.users (id, email) SELECT gen_random_uuid(), 'u' || g || '@example.com' FROM generate_series(1, 1000) g`,
  );
  await executeSql(source.adminUrl, 'CREATE TABLE public.orders (id int PRIMARY KEY, note text)');
  await executeSql(
    source.adminUrl,
    `INSERT INTO public.orders SELECT g, md5(g::text) FROM generate_series(1, ${ORDERS}) g`,
  );
  const copyMs = [];
  const rawMs = [];
  const pgEnv = { PGPASSWORD: info.password };
  const conn = (db) => ['-h', info.host, '-p', String(info.port), '-U', info.superuser, '-d', db];
  for (let i = 0; i < DATA_ROUNDS; i++) {
    const a = await createTestDatabase(info, 'bench_copy');
    const b = await createTestDatabase(info, 'bench_raw');
    try {
      const ours = await timed(async () => {
        const out = await backupRestoreCopy().copy({ source: source.adminUrl, target: a.adminUrl });
        const tables = Object.keys(out.sourceRowCounts ?? {});
        // the proof cloneInstance adds: count every copied table in the clone
        for (const t of tables) {
          const [schema, name] = t.split('.');
          await executeSql(a.adminUrl, `SELECT count(*) FROM ONLY "${schema}"."${name}"`);
        }
        return tables.length;
      });
      const dump = join(tmpdir(), `bench-${process.pid}-${i}.dump`);
      const users = `${dump}.auth`;
      // the same data: public's schema and rows, auth.users' rows into the existing auth schema
      const raw = await timed(async () => {
        await run('pg_dump', ['-Fc', '-n', 'public', '-f', dump, ...conn(source.name)], pgEnv);
        await run(
          'pg_dump',
          ['-Fc', '-a', '-t', 'auth.users', '-f', users, ...conn(source.name)],
          pgEnv,
        );
        await run('pg_restore', ['--no-owner', ...conn(b.name), dump], pgEnv).catch(() => {});
        await run('pg_restore', ['-a', ...conn(b.name), users], pgEnv);
      });
      await rm(dump, { force: true });
      await rm(users, { force: true });
      copyMs.push(ours.ms);
      rawMs.push(raw.ms);
    } finally {
      await a.drop();
      await b.drop();
    }
  }
  await source.drop();
  results.push({
    scenario: `data copy of ${ORDERS} orders + 1000 users, ${DATA_ROUNDS} rounds`,
    ours: median(copyMs),
    baseline: median(rawMs),
    baselineName: 'pg_dump -Fc | pg_restore',
  });

  // 3. syncSchema of 20 migrations (backup + verify + apply + verify) against a bare migrator up
  const dir = await mkdtemp(join(tmpdir(), 'selfhost-bench-mig-'));
  await mkdir(join(dir, 'm'));
  for (let i = 1; i <= MIGRATIONS; i++) {
    const v = `202401${String(i).padStart(2, '0')}000000`;
    await writeFile(
      join(dir, 'm', `${v}_t${i}.sql`),
      `create table public.t${i} (id serial primary key, v text);\ninsert into public.t${i} (v) select md5(g::text) from generate_series(1, 100) g;\n`,
    );
  }
  const syncSrc = await createTestDatabase(info, 'bench_sync_src');
  await createMigrator({ connection: syncSrc.adminUrl, dir: join(dir, 'm') }).up();
  const syncMs = [];
  const upMs = [];
  for (let i = 0; i < DATA_ROUNDS; i++) {
    const a = await createTestDatabase(info, 'bench_sync');
    const b = await createTestDatabase(info, 'bench_up');
    try {
      const ours = await timed(() =>
        syncSchema({
          source: syncSrc.adminUrl,
          target: a.adminUrl,
          migrationsDir: join(dir, 'm'),
          backup: { storage: { type: 'local', dir: join(dir, `b${i}`) }, encryption: false },
        }),
      );
      if (ours.value.applied.length !== MIGRATIONS) throw new Error('sync incomplete');
      const raw = await timed(() =>
        createMigrator({ connection: b.adminUrl, dir: join(dir, 'm') }).up(),
      );
      syncMs.push(ours.ms);
      upMs.push(raw.ms);
    } finally {
      await a.drop();
      await b.drop();
    }
  }
  await syncSrc.drop();
  await rm(dir, { recursive: true, force: true });
  results.push({
    scenario: `syncSchema, ${MIGRATIONS} migrations, ${DATA_ROUNDS} rounds`,
    ours: median(syncMs),
    baseline: median(upMs),
    baselineName: 'migrator up alone',
  });
} finally {
  await server.stop();
}

for (const r of results) {
  console.log(
    `${r.scenario}: ${fmt(r.ours)} (median) vs ${r.baselineName} ${fmt(r.baseline)} = ${(r.ours / r.baseline).toFixed(2)}x`,
  );
}
