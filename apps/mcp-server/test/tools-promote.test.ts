import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import type { DokployClient } from '@supaops/dokploy-client';
import { createMigrator } from '@supaops/migrator';
import { executeSql } from '@supaops/pg-connect';
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
 * dokploy_promote_deployment on Dokploy 0.30.2 from `dev` into `prod` (labelled production), each
 * a compose of the simulator with a test kit database: the production guard, the plan, the
 * promotion (target backed up, migrations applied, the source's images, redeployed and
 * validated), then dokploy_rollback restoring the previous compose file byte for byte.
 */
const FILES: Record<string, string> = {
  '20240101000000_create_todos.sql':
    'create table public.todos (id serial primary key, title text not null);\n',
  '20240102000000_add_done.sql':
    'alter table public.todos add column done boolean not null default false;\n',
  '20240103000000_tags.sql': 'create table public.tags (id serial primary key, name text);\n',
};

let stack: Stack;
let client: DokployClient;
let root: string;
let server: Connected & { logs: string[] };
let dev: { composeId: string; env: string };
let prod: { composeId: string; env: string };
let devDb: TestDatabase;
let prodDb: TestDatabase;
let prodFile: string;
const outputs: unknown[] = [];

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

const fileOf = async (composeId: string) =>
  (await client.compose.one({ composeId })).composeFile ?? '';
const tables = async (db: TestDatabase) =>
  (
    await executeSql<{ t: string }>(
      db.adminUrl,
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
  ).rows.map((r) => r.t);

beforeAll(async () => {
  stack = await startStack({ version: '0.30.2' });
  client = simClient(stack);
  const home = await tempHome();
  root = home.root;
  devDb = await createTestDatabase(testServer(), 'mcp_promote_dev');
  prodDb = await createTestDatabase(testServer(), 'mcp_promote_prod');
  const env = {
    ...home.env,
    T_DOKPLOY_KEY: stack.sim.apiKey,
    T_DEV_PW: devDb.password,
    T_PROD_PW: prodDb.password,
  };
  dev = await deployThroughServer(stack, {
    client,
    root,
    env,
    project: 'shop-dev',
    host: 'dev.acme.dev',
  });
  prod = await deployThroughServer(stack, {
    client,
    root,
    env,
    project: 'shop',
    host: 'supabase.acme.dev',
  });
  const project = join(root, 'project');
  const migrations = join(project, 'supabase', 'migrations');
  await mkdir(migrations, { recursive: true });
  for (const [name, text] of Object.entries(FILES)) await writeFile(join(migrations, name), text);
  await createMigrator({ connection: devDb.adminUrl, dir: migrations }).up();
  await createMigrator({ connection: prodDb.adminUrl, dir: migrations }).up({
    to: '20240101000000',
  });
  // dev runs newer Studio and GoTrue images than prod
  const devFile = await fileOf(dev.composeId);
  await client.compose.update({
    composeId: dev.composeId,
    composeFile: devFile.replace(/(image: supabase\/(?:studio|gotrue):\S+)/g, '$1-next'),
  });
  prodFile = await fileOf(prod.composeId);
  const database = (db: TestDatabase, ref: string) => ({
    session: `postgres://${new URL(db.adminUrl).username}@${db.host}:${db.port}/${db.name}`,
    password: `env:${ref}`,
  });
  await writeConfig(
    project,
    {
      dev: {
        kind: 'dokploy',
        dokploy: { server: 'sim', composeId: dev.composeId },
        database: database(devDb, 'T_DEV_PW'),
      },
      prod: {
        kind: 'dokploy',
        labels: { production: true },
        dokploy: { server: 'sim', composeId: prod.composeId },
        database: database(prodDb, 'T_PROD_PW'),
        backups: { storage: { type: 'local', dir: './backups' } },
      },
      plain: { kind: 'self-hosted', database: database(devDb, 'T_DEV_PW') },
    },
    { sim: { url: stack.sim.url, apiKey: 'env:T_DOKPLOY_KEY' } },
  );
  server = await inProcess({
    cwd: project,
    env,
    sandbox: false,
    secrets: [
      stack.sim.apiKey,
      SMTP_PASS,
      devDb.password,
      prodDb.password,
      ...envSecrets(dev.env),
      ...envSecrets(prod.env),
    ],
    selfhost: fastSelfhost(stack),
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await stack?.stop();
  for (const db of [devDb, prodDb]) await db?.drop().catch(() => {});
  if (root) await removeHome(root);
});

describe('dokploy_promote_deployment', () => {
  it('production needs confirmProduction; the plan writes nothing; the promotion syncs, aligns, redeploys and validates', async () => {
    const args = { instance: 'prod', from: 'dev', alignImages: true };
    const guarded = await call('dokploy_promote_deployment', args);
    expect(failed(guarded).code).toBe('SELFHOST_PRODUCTION_CONFIRMATION_REQUIRED');
    expect(guarded.structuredContent).not.toHaveProperty('confirmation');

    const confirmed = { ...args, confirmProduction: true };
    const plan = ok<Confirmation>(await call('dokploy_promote_deployment', confirmed)).confirmation;
    expect(plan.summary).toBe(
      'Would promote dev into prod (production): back up prod, apply 2 migration(s), set 2 image(s), redeploy and validate. Data is not copied.',
    );
    expect(plan.dryRun).toMatchObject({
      toApply: ['20240102000000 add_done', '20240103000000 tags'],
      alreadyPresent: ['20240101000000 create_todos'],
      images: {
        written: false,
        changes: [
          expect.stringMatching(/^studio: supabase\/studio:\S+ -> supabase\/studio:\S+-next$/),
          expect.stringMatching(/^auth: supabase\/gotrue:\S+ -> supabase\/gotrue:\S+-next$/),
        ],
      },
    });
    expect(await fileOf(prod.composeId)).toBe(prodFile);
    expect(await tables(prodDb)).toEqual(['todos']);
    await expect(readdir(join(root, 'project', 'backups'))).rejects.toThrow();

    const deploys = stack.count('compose.deploy');
    const progress: Progress[] = [];
    const done = ok<{
      schema: { applied: string[]; historiesMatch: boolean; backup: { id: string } };
      images: { written: boolean; changes: string[] };
      effective: boolean;
      validation: { ok: boolean };
    }>(
      await call(
        'dokploy_promote_deployment',
        { ...confirmed, confirmationToken: plan.token },
        progress,
      ),
    );
    expect(done.schema.applied).toEqual(['20240102000000 add_done', '20240103000000 tags']);
    expect(done.schema.historiesMatch).toBe(true);
    expect(await readdir(join(root, 'project', 'backups'))).toContain(done.schema.backup.id);
    expect(done.images).toMatchObject({ written: true });
    expect(done.effective).toBe(true);
    expect(done.validation.ok).toBe(true);
    expect(stack.count('compose.deploy')).toBe(deploys + 1);
    expect(await tables(prodDb)).toEqual(['tags', 'todos']);
    const promoted = await fileOf(prod.composeId);
    expect(promoted).toMatch(/image: supabase\/studio:\S+-next/);
    expect(promoted.replace(/-next/g, '')).toBe(prodFile);
    // the source untouched, the env of the target too
    expect((await client.compose.one({ composeId: prod.composeId })).env).toBe(prod.env);
    expectProgress(progress, [
      'read done',
      'schema: backup done',
      'schema: apply done',
      'images done',
      'deploy done',
    ]);
  });

  it('dokploy_rollback restores the compose file from before the promotion and redeploys', async () => {
    const plan = ok<Confirmation>(
      await call('dokploy_rollback', { instance: 'prod' }),
    ).confirmation;
    expect(plan.summary).toMatch(
      /Would restore compose .*'s compose file as it was before promote's change/,
    );
    const done = ok<{ effective: boolean; target: { kind: string }; validation: { ok: boolean } }>(
      await call('dokploy_rollback', { instance: 'prod', confirmationToken: plan.token }),
    );
    expect(done).toMatchObject({ effective: true, target: { kind: 'compose.file' } });
    expect(done.validation.ok).toBe(true);
    expect(await fileOf(prod.composeId)).toBe(prodFile); // byte-identical
  });

  it('a source that is not Dokploy-backed is refused with the fix', async () => {
    const error = failed(
      await call('dokploy_promote_deployment', { instance: 'prod', from: 'plain' }),
    );
    expect(error.code).toBe('MCP_INSTANCE_UNSUPPORTED');
    expect(error.message).toMatch(/Instance "plain" has no Dokploy compose.*kind self-hosted/);
  });
});

describe('the secret scan', () => {
  it('no secret of either deployment or database appears in any result or log line', () => {
    const values = [SMTP_PASS, stack.sim.apiKey, devDb.password, prodDb.password];
    for (const d of stack.deploys) values.push(...envSecrets(d.env));
    for (const out of outputs) assertNoSecrets(out, values, 'a tool result');
    assertNoSecrets(server.logs.join('\n'), values, 'server log');
  });
});
