import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import type { DokployClient } from '@supaops/dokploy-client';
import { executeSql } from '@supaops/pg-connect';
import { createHistoryStore, historyDir, parseEnv, toEnvRecord } from '@supaops/selfhost';
import { createTestDatabase, type TestDatabase } from '@supaops/testkit';
import { testServer } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertNoSecrets,
  type Connected,
  expectProgress,
  failed,
  inProcess,
  ok,
} from './helpers/clients.js';
import {
  deployThroughServer,
  envSecrets,
  fastSelfhost,
  SMTP_PASS,
  simClient,
  writeConfig,
} from './helpers/deployed.js';
import { removeHome, tempHome } from './helpers/fixture.js';
import { type Stack, startStack } from './helpers/stack.js';

/**
 * dokploy_clone_instance on Dokploy 0.30.2 (the gateway simulator behind every deploy) with the
 * data copy between two test kit databases: the plan first, then the clone with its progress,
 * its own keys, the row counts, the secrets only in the 0600 file; a second clone onto another
 * dokployServers entry on a generated domain.
 */
let stack: Stack;
let client: DokployClient;
let root: string;
let project: string;
let server: Connected & { logs: string[] };
let source: { composeId: string; env: string };
/** Two composes the clone must refuse in its plan: git-sourced (no file), .env.example's SMTP. */
let refused: { git: string; fakeSmtp: string };
const dbs: TestDatabase[] = [];
const outputs: unknown[] = [];
let srcDb: TestDatabase;
let dstDb: TestDatabase;

interface Confirmation {
  confirmation: { token: string; summary: string; dryRun: Record<string, unknown> };
}

async function call(name: string, args: Record<string, unknown>, progress?: Progress[]) {
  const res: CallToolResult = await server.call(
    name,
    args,
    progress ? { onprogress: (p) => progress.push(p), timeout: 60_000 } : { timeout: 60_000 },
  );
  outputs.push(res);
  return res;
}

async function count(url: string, sql: string): Promise<number> {
  const { rows } = await executeSql<{ n: string }>(url, sql);
  return Number(rows[0]?.n);
}

const creations = () =>
  stack.count('compose.create') +
  stack.count('compose.deployTemplate') +
  stack.count('compose.deploy');

beforeAll(async () => {
  stack = await startStack({ version: '0.30.2' });
  client = simClient(stack);
  const home = await tempHome();
  root = home.root;
  srcDb = await createTestDatabase(testServer(), 'mcp_clone_src');
  dstDb = await createTestDatabase(testServer(), 'mcp_clone_dst');
  dbs.push(srcDb, dstDb);
  const env = { ...home.env, T_DOKPLOY_KEY: stack.sim.apiKey, T_SRC_DB_PASSWORD: srcDb.password };
  source = await deployThroughServer(stack, {
    client,
    root,
    env,
    project: 'shop',
    host: 'supabase.acme.dev',
  });
  for (const sql of [
    `INSERT INTO auth.users (id, email) SELECT gen_random_uuid(), 'u' || g || '@example.com' FROM generate_series(1, 12) g`,
    'CREATE TABLE public.orders (id int PRIMARY KEY, total numeric NOT NULL)',
    'INSERT INTO public.orders SELECT g, g * 1.5 FROM generate_series(1, 300) g',
  ])
    await executeSql(srcDb.adminUrl, sql);
  const detail = await client.compose.one({ composeId: source.composeId });
  const environmentId = (detail.environment as { environmentId: string }).environmentId;
  const made = async (name: string, fields: { composeFile?: string; env: string }) => {
    const { composeId } = await client.compose.create({ name, environmentId });
    await client.compose.update({ composeId, sourceType: 'raw', ...fields });
    return composeId;
  };
  refused = {
    git: await made('supabase-git', { env: source.env }),
    fakeSmtp: await made('supabase-fake-smtp', {
      composeFile: detail.composeFile ?? '',
      env: source.env
        .replace(/^SMTP_HOST=.*$/m, 'SMTP_HOST=supabase-mail')
        .replace(/^SMTP_USER=.*$/m, 'SMTP_USER=fake_mail_user')
        .replace(/^SMTP_PASS=.*$/m, 'SMTP_PASS=fake_mail_password'),
    }),
  };
  project = join(root, 'project');
  const user = new URL(srcDb.adminUrl).username;
  await writeConfig(
    project,
    {
      shop: {
        kind: 'dokploy',
        dokploy: { server: 'sim', composeId: source.composeId },
        database: {
          session: `postgres://${user}@${srcDb.host}:${srcDb.port}/${srcDb.name}`,
          password: 'env:T_SRC_DB_PASSWORD',
        },
      },
      git: { kind: 'dokploy', dokploy: { server: 'sim', composeId: refused.git } },
      fake: { kind: 'dokploy', dokploy: { server: 'sim', composeId: refused.fakeSmtp } },
    },
    {
      sim: { url: stack.sim.url, apiKey: 'env:T_DOKPLOY_KEY' },
      other: { url: stack.sim.url, apiKey: 'env:T_DOKPLOY_KEY' },
    },
  );
  server = await inProcess({
    cwd: project,
    env,
    sandbox: false,
    secrets: [
      stack.sim.apiKey,
      SMTP_PASS,
      srcDb.password,
      dstDb.password,
      ...envSecrets(source.env),
    ],
    selfhost: fastSelfhost(stack),
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await stack?.stop();
  for (const db of dbs) await db.drop().catch(() => {});
  if (root) await removeHome(root);
});

describe('dokploy_clone_instance', () => {
  it('plans first (nothing created), then clones with the data: own keys, row counts, secrets only in the file', async () => {
    const secretsFile = join(root, 'staging.env');
    const args = {
      instance: 'shop',
      name: 'supabase-staging',
      host: 'staging.acme.dev',
      copyData: true,
      targetDb: dstDb.adminUrl,
      secretsFile,
    };
    const before = creations();
    const plan = ok<Confirmation>(await call('dokploy_clone_instance', args)).confirmation;
    expect(plan.summary).toMatch(
      /^Would clone shop \(compose \S+, supabase\) as "supabase-staging" on Dokploy sim at staging\.acme\.dev, copy the data/,
    );
    expect(plan.dryRun).toMatchObject({
      server: "sim (the source's)",
      name: 'supabase-staging',
      copyData: {
        from: `${srcDb.host}:${srcDb.port}/${srcDb.name}`,
        to: `${dstDb.host}:${dstDb.port}/${dstDb.name}`,
      },
      secretsFile,
    });
    // selfhost's planClone, shown: the carried names, the fresh ones, the mounts, the target
    const shown = plan.dryRun as {
      source: { composeId: string; mounts: number };
      carried: string[];
      regenerated: string[];
      mounts: string[];
      smtp: string;
      project: string;
      dokploy: string;
    };
    expect(shown.source.composeId).toBe(source.composeId);
    expect(shown.carried).toEqual(
      expect.arrayContaining(['SMTP_HOST', 'SMTP_PASS', 'DASHBOARD_USERNAME']),
    );
    for (const own of ['JWT_SECRET', 'SITE_URL']) expect(shown.carried).not.toContain(own);
    expect(shown.regenerated).toEqual(
      expect.arrayContaining(['JWT_SECRET', 'ANON_KEY', 'POSTGRES_PASSWORD']),
    );
    expect(shown.mounts.length).toBeGreaterThan(0);
    expect(shown.mounts.length).toBeLessThanOrEqual(shown.source.mounts);
    expect(shown).toMatchObject({ smtp: "smtp (the source's)", project: 'shop' });
    expect(shown.dokploy).toContain(new URL(stack.sim.url).host);
    expect(plan.summary).toContain(`${shown.mounts.length} file mounts copied`);
    expect(creations()).toBe(before);

    const progress: Progress[] = [];
    const res = ok<{
      clone: {
        composeId: string;
        host: string;
        name: string;
        connectionStrings: { session: string };
        carried: string[];
        regenerated: string[];
      };
      anonKey: string;
      secretsFile: string;
      validation: { ok: boolean };
      data: { rowCounts: { table: string; source: number; clone: number }[]; rows: number };
    }>(await call('dokploy_clone_instance', { ...args, confirmationToken: plan.token }, progress));
    expect(res.validation.ok).toBe(true);
    expect(res.clone).toMatchObject({ name: 'supabase-staging', host: 'staging.acme.dev' });
    // the clone did what its plan said
    expect(res.clone.carried).toEqual(shown.carried);
    expect(res.clone.regenerated).toEqual(shown.regenerated);
    const counts = Object.fromEntries(
      res.data.rowCounts.map((r) => [r.table, [r.source, r.clone]]),
    );
    expect(counts).toMatchObject({ 'public.orders': [300, 300], 'auth.users': [12, 12] });
    // counted again here, independently of the tool
    expect(await count(dstDb.adminUrl, 'SELECT count(*) AS n FROM public.orders')).toBe(300);

    // the clone's own keys: fresh, its anon key is public and shown, the rest only in the file
    const cloneEnv = (await client.compose.one({ composeId: res.clone.composeId })).env ?? '';
    const e = toEnvRecord(parseEnv(cloneEnv));
    const src = toEnvRecord(parseEnv(source.env));
    expect(e.JWT_SECRET).not.toBe(src.JWT_SECRET);
    expect(res.anonKey).toBe(e.ANON_KEY);
    expect(res.secretsFile).toBe(secretsFile);
    expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);
    expect(toEnvRecord(parseEnv(await readFile(secretsFile, 'utf8'))).JWT_SECRET).toBe(
      e.JWT_SECRET,
    );
    expect(res.clone.connectionStrings.session).toContain('***');
    assertNoSecrets(res, envSecrets(cloneEnv), 'the clone result');
    // the source untouched
    expect((await client.compose.one({ composeId: source.composeId })).env).toBe(source.env);

    // a notification per phase and wizard step, one number that only grows, ending at the total
    expectProgress(progress, [
      'source done',
      'wizard 1/9 connect',
      'mounts done',
      'data done',
      'row-counts done',
      'source-check done',
    ]);
    expect(progress.at(-1)).toMatchObject({ message: 'done', progress: progress.at(-1)?.total });

    // the confirmed token is spent
    const replay = failed(
      await call('dokploy_clone_instance', { ...args, confirmationToken: plan.token }),
    );
    expect(replay.code).toBe('MCP_CONFIRMATION_INVALID');
  });

  it('clones onto another dokployServers entry, into another project, on a generated domain', async () => {
    const args = {
      instance: 'shop',
      server: 'other',
      project: 'shop-staging',
      secretsFile: join(root, 'generated.env'),
    };
    const plan = ok<Confirmation>(await call('dokploy_clone_instance', args)).confirmation;
    expect(plan.dryRun).toMatchObject({
      server: 'other',
      project: 'shop-staging',
      domain: '(a domain generated by other)',
      copyData: false,
    });
    const res = ok<{
      clone: { composeId: string; host: string; projectName: string; generatedDomain: boolean };
    }>(await call('dokploy_clone_instance', { ...args, confirmationToken: plan.token }));
    expect(res.clone).toMatchObject({ projectName: 'shop-staging', generatedDomain: true });
    expect(res.clone.host).toMatch(/-127-0-0-1\.sslip\.io$/);
    // recorded in the history of the server it went to (rollback on that server finds it)
    const state = join(root, 'state', 'supaops');
    const kinds = (await createHistoryStore(historyDir(state, 'other')).list())
      .filter((r) => r.composeId === res.clone.composeId)
      .map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['compose.env', 'compose.deploy']));
    const onSim = await createHistoryStore(historyDir(state, 'sim')).list();
    expect(onSim.some((r) => r.composeId === res.clone.composeId)).toBe(false);

    const unknown = await call('dokploy_clone_instance', { ...args, server: 'nope' });
    expect(failed(unknown).code).toBe('DOKPLOY_SERVER_NOT_FOUND');
    expect(unknown.structuredContent).not.toHaveProperty('confirmation');
  });
});

describe("dokploy_clone_instance's plan refuses what the clone would refuse", () => {
  it('a git-sourced compose and .env.example SMTP fail the dry run, no token; smtp is the fix', async () => {
    const before = creations();
    const secretsFile = join(root, 'refused.env');
    const git = await call('dokploy_clone_instance', { instance: 'git', secretsFile });
    expect(failed(git)).toMatchObject({ code: 'SELFHOST_CLONE_SOURCE_INVALID' });
    expect(failed(git).message).toMatch(/git-sourced compose/);
    expect(git.structuredContent).not.toHaveProperty('confirmation');

    const fake = await call('dokploy_clone_instance', { instance: 'fake', secretsFile });
    expect(failed(fake).code).toBe('MCP_CLONE_SMTP_UNUSABLE');
    expect(failed(fake).message).toMatch(/SMTP_HOST, SMTP_USER, SMTP_PASS .*Fix: pass smtp/);
    expect(fake.structuredContent).not.toHaveProperty('confirmation');
    expect(creations()).toBe(before);

    // the same source with an SMTP answer plans (the given one, its password never shown)
    const smtp = 'smtp://apikey:Zx9cloneSmtpPass42@smtp.mailprovider.net:587?from=a@acme.dev';
    const res = await call('dokploy_clone_instance', { instance: 'fake', secretsFile, smtp });
    const plan = ok<Confirmation>(res).confirmation;
    expect(plan.token).toEqual(expect.any(String));
    expect(plan.dryRun).toMatchObject({ smtp: 'smtp (given)', name: 'supabase-fake-smtp-clone' });
    const dev = ok<Confirmation>(
      await call('dokploy_clone_instance', { instance: 'fake', secretsFile, smtp: 'dev' }),
    ).confirmation;
    expect(dev.dryRun).toMatchObject({ smtp: 'development-autoconfirm (given)' });
    assertNoSecrets(res, ['Zx9cloneSmtpPass42'], 'the plan with an SMTP answer');
    expect(creations()).toBe(before);
  });
});

describe('the secret scan', () => {
  it('no secret of the source or of any clone appears in a result or a log line', async () => {
    const values = [SMTP_PASS, stack.sim.apiKey, srcDb.password, dstDb.password];
    for (const d of stack.deploys) values.push(...envSecrets(d.env));
    expect(values.length).toBeGreaterThan(20);
    for (const out of outputs) assertNoSecrets(out, values, 'a tool result');
    assertNoSecrets(server.logs.join('\n'), values, 'server log');
  });
});
