import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import type { DokployClient } from '@supaops/dokploy-client';
import { createMigrator } from '@supaops/migrator';
import { executeSql } from '@supaops/pg-connect';
import { createTestDatabase, type TestDatabase } from '@supaops/testkit';
import { testServer } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertNoSecrets,
  type Connected,
  failed,
  ok,
  ROUTED,
  spawnStdio,
} from './helpers/clients.js';
import {
  deployThroughServer,
  envSecrets,
  SMTP_PASS,
  simClient,
  writeConfig,
} from './helpers/deployed.js';
import { removeHome, tempHome } from './helpers/fixture.js';
import { startRouter } from './helpers/router.js';
import { type Stack, startStack } from './helpers/stack.js';

/**
 * The clone, promote and domain tools through the built server over stdio (the SDK client in
 * this process, the server a child; its post-deploy checks reach the gateway simulators through
 * a loopback router that plays Traefik): a clone with data cancelled during its deploy and
 * resumed, its row counts; a promotion into production with the guard, then its rollback; the
 * domain plan of a dry run. Deploys take 300 ms here, so a cancel lands inside the wait.
 */
const FILES: Record<string, string> = {
  '20240101000000_create_todos.sql':
    'create table public.todos (id serial primary key, title text not null);\n',
  '20240102000000_add_done.sql':
    'alter table public.todos add column done boolean not null default false;\n',
};

let stack: Stack;
let router: { url: string; stop(): Promise<void> };
let client: DokployClient;
let root: string;
let project: string;
let env: NodeJS.ProcessEnv;
let server: Connected & { stderr(): string };
let dev: { composeId: string; env: string };
let prod: { composeId: string; env: string };
const dbs: Record<'dev' | 'prod' | 'clone', TestDatabase> = {} as never;
let secrets: string[];
const outputs: unknown[] = [];

interface Confirmation {
  confirmation: { token: string; summary: string; dryRun: Record<string, unknown> };
}

async function call(name: string, args: Record<string, unknown>, progress?: Progress[]) {
  const res = await server.call(name, args, {
    timeout: 60_000,
    ...(progress ? { onprogress: (p: Progress) => progress.push(p) } : {}),
  });
  outputs.push(res);
  return res;
}

/** The dry run, then the confirmed call with its token. */
async function confirmed(name: string, args: Record<string, unknown>, progress?: Progress[]) {
  const plan = ok<Confirmation>(await call(name, args)).confirmation;
  return call(name, { ...args, confirmationToken: plan.token }, progress);
}

const fileOf = async (composeId: string) =>
  (await client.compose.one({ composeId })).composeFile ?? '';

beforeAll(async () => {
  stack = await startStack({ version: '0.30.2', deployDurationMs: 300 });
  router = await startRouter(stack);
  client = simClient(stack);
  const home = await tempHome();
  root = home.root;
  dbs.dev = await createTestDatabase(testServer(), 'mcp_stdio_dev');
  dbs.prod = await createTestDatabase(testServer(), 'mcp_stdio_prod');
  dbs.clone = await createTestDatabase(testServer(), 'mcp_stdio_clone');
  env = {
    ...home.env,
    T_DOKPLOY_KEY: stack.sim.apiKey,
    T_DEV_PW: dbs.dev.password,
    T_PROD_PW: dbs.prod.password,
    T_ROUTER_URL: router.url,
  };
  const deploy = (name: string, host: string) =>
    deployThroughServer(stack, { client, root, env, project: name, host });
  dev = await deploy('shop-dev', 'dev.acme.dev');
  prod = await deploy('shop', 'supabase.acme.dev');
  project = join(root, 'project');
  const migrations = join(project, 'supabase', 'migrations');
  await mkdir(migrations, { recursive: true });
  for (const [name, text] of Object.entries(FILES)) await writeFile(join(migrations, name), text);
  await createMigrator({ connection: dbs.dev.adminUrl, dir: migrations }).up();
  await executeSql(dbs.dev.adminUrl, "INSERT INTO public.todos (title) VALUES ('a'), ('b'), ('c')");
  const devFile = await fileOf(dev.composeId);
  await client.compose.update({
    composeId: dev.composeId,
    composeFile: devFile.replace(/(image: supabase\/studio:\S+)/, '$1-next'),
  });
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
        database: database(dbs.dev, 'T_DEV_PW'),
      },
      prod: {
        kind: 'dokploy',
        labels: { production: true },
        dokploy: { server: 'sim', composeId: prod.composeId },
        database: database(dbs.prod, 'T_PROD_PW'),
        backups: { storage: { type: 'local', dir: './backups' } },
      },
    },
    { sim: { url: stack.sim.url, apiKey: 'env:T_DOKPLOY_KEY' } },
  );
  secrets = [
    stack.sim.apiKey,
    SMTP_PASS,
    ...Object.values(dbs).map((d) => d.password),
    ...envSecrets(dev.env),
    ...envSecrets(prod.env),
  ];
  server = await spawnStdio({ env, cwd: project, secrets, script: ROUTED });
}, 90_000);

afterAll(async () => {
  await server?.close();
  await router?.stop();
  await stack?.stop();
  for (const db of Object.values(dbs)) await db.drop().catch(() => {});
  if (root) await removeHome(root);
});

describe('over stdio: dokploy_clone_instance', () => {
  it('a clone cancelled during its deploy resumes there, then copies the data with equal row counts', async () => {
    const args = {
      instance: 'dev',
      name: 'supabase-qa',
      host: 'qa.acme.dev',
      copyData: true,
      targetDb: dbs.clone.adminUrl,
      secretsFile: join(root, 'qa.env'),
    };
    const plan = ok<Confirmation>(await call('dokploy_clone_instance', args)).confirmation;
    const controller = new AbortController();
    const seen: string[] = [];
    const pending = server.client.callTool(
      { name: 'dokploy_clone_instance', arguments: { ...args, confirmationToken: plan.token } },
      undefined,
      {
        signal: controller.signal,
        timeout: 60_000,
        onprogress: (p) => {
          seen.push(p.message ?? '');
          if (p.message === 'mounts done') controller.abort();
        },
      },
    );
    await expect(pending).rejects.toThrow(/abort/i);
    expect(seen).toContain('wizard 7/9 deploy');
    // the server saw the cancel: its audit entry says so
    let audit = '';
    for (let i = 0; i < 100 && !audit.includes('MCP_TOOL_CANCELLED'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      audit = await readFile(join(root, 'state', 'supaops', 'audit.jsonl'), 'utf8').catch(() => '');
    }
    expect(audit).toMatch(/"action":"dokploy_clone_instance".*"MCP_TOOL_CANCELLED"/);

    const progress: Progress[] = [];
    const res = ok<{
      clone: { composeId: string; ran: string[] };
      validation: { ok: boolean };
      data: { rowCounts: { table: string; source: number; clone: number }[] };
    }>(await confirmed('dokploy_clone_instance', args, progress));
    expect(res.validation.ok).toBe(true);
    // resumed at the deploy: the steps before it are not run again, one compose in total
    expect(res.clone.ran).not.toContain('project');
    expect(res.clone.ran).toContain('validate');
    const named = [...stack.sim.state.composes.values()].filter((c) => c.name === 'supabase-qa');
    expect(named.map((c) => c.composeId)).toEqual([res.clone.composeId]);
    const counts = Object.fromEntries(
      res.data.rowCounts.map((r) => [r.table, [r.source, r.clone]]),
    );
    expect(counts['public.todos']).toEqual([3, 3]);
    expect(progress.map((p) => p.message)).toEqual(expect.arrayContaining(['data done', 'done']));
    const cloneEnv = (await client.compose.one({ composeId: res.clone.composeId })).env ?? '';
    assertNoSecrets(res, envSecrets(cloneEnv), 'the clone result');
  });
});

describe('over stdio: dokploy_promote_deployment, dokploy_rollback, dokploy_manage_domain', () => {
  it('the production guard, the promotion, and the rollback of its compose file', async () => {
    const before = await fileOf(prod.composeId);
    const guard = failed(
      await call('dokploy_promote_deployment', {
        instance: 'prod',
        from: 'dev',
        alignImages: true,
      }),
    );
    expect(guard.code).toBe('SELFHOST_PRODUCTION_CONFIRMATION_REQUIRED');

    const progress: Progress[] = [];
    const done = ok<{
      schema: { applied: string[]; historiesMatch: boolean };
      images: { changes: string[] };
      validation: { ok: boolean };
    }>(
      await confirmed(
        'dokploy_promote_deployment',
        { instance: 'prod', from: 'dev', alignImages: true, confirmProduction: true },
        progress,
      ),
    );
    expect(done.schema.applied).toHaveLength(2);
    expect(done.schema.historiesMatch).toBe(true);
    expect(done.images.changes).toEqual([expect.stringMatching(/^studio: .* -> .*-next$/)]);
    expect(done.validation.ok).toBe(true);
    expect(progress.map((p) => p.message)).toEqual(
      expect.arrayContaining(['schema: backup done', 'deploy done']),
    );
    expect(await fileOf(prod.composeId)).not.toBe(before);

    const rolled = ok<{ target: { kind: string }; validation: { ok: boolean } }>(
      await confirmed('dokploy_rollback', { instance: 'prod' }),
    );
    expect(rolled.target.kind).toBe('compose.file');
    expect(rolled.validation.ok).toBe(true);
    expect(await fileOf(prod.composeId)).toBe(before);
  });

  it('the dry run of a domain change is the plan', async () => {
    const dry = ok<Confirmation>(
      await call('dokploy_manage_domain', {
        instance: 'prod',
        action: 'update',
        domain: 'supabase.acme.dev',
        host: 'api.acme.dev',
      }),
    ).confirmation;
    const plan = dry.dryRun.plan as { changes: { field: string }[]; warnings: { code: string }[] };
    expect(plan.changes.map((c) => c.field)).toEqual(['host']);
    expect(plan.warnings.map((w) => w.code)).toEqual(['ENV_URL_HOST', 'ENV_URL_HOST']);
  });

  it('no secret appears in any result or on stderr', () => {
    const values = [...secrets];
    for (const d of stack.deploys) values.push(...envSecrets(d.env));
    for (const out of outputs) assertNoSecrets(out, values, 'a tool result');
    assertNoSecrets(server.stderr(), values, 'server stderr');
  });
});
