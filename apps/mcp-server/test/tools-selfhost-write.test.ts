import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import {
  createDokployClient,
  type DokployClient,
  waitForDeployment,
} from '@supaops/dokploy-client';
import { isSecretVariable, parseEnv, toEnvRecord, validateDeployment } from '@supaops/selfhost';
import { diagnoseKeys } from '@supaops/supabase-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoSecrets, type Connected, failed, inProcess, ok } from './helpers/clients.js';
import { removeHome, tempHome } from './helpers/fixture.js';
import { type Stack, startStack } from './helpers/stack.js';

/**
 * The Dokploy write tools on Dokploy 0.25.5 (the template's identical, role-less keys): the setup
 * wizard's plan and run, key regeneration on a raw template deployment, and env updates. The
 * simulator's deploys start the gateway simulator with the deployed env.
 */
const SMTP_PASS = 'Zx9smtp/Pass+word42';
const SMTP = `smtp://apikey:${encodeURIComponent(SMTP_PASS)}@smtp.mailprovider.net:587?from=auth@mail.acme.dev`;

let stack: Stack;
let client: DokployClient;
let root: string;
let server: Connected & { logs: string[] };
let broken: { composeId: string; host: string };
let stateDir: string;
const outputs: unknown[] = [];

interface Confirmation {
  confirmation: { token: string; summary: string; dryRun: Record<string, unknown> };
}

/** The Supabase template deployed as Dokploy 0.25.5 does it: identical, role-less keys. */
async function rawTemplate(name: string) {
  const { environment } = await client.project.create({ name });
  const compose = await client.compose.deployTemplate({
    environmentId: environment?.environmentId as string,
    id: 'supabase',
  });
  await client.compose.deploy({ composeId: compose.composeId });
  await waitForDeployment(client, {
    composeId: compose.composeId,
    intervalMs: 5,
    timeoutMs: 10_000,
  });
  const one = await client.compose.one({ composeId: compose.composeId });
  return { composeId: compose.composeId, host: one.domains?.[0]?.host as string };
}

async function call(name: string, args: Record<string, unknown>, progress?: Progress[]) {
  const res = await server.call(
    name,
    args,
    progress ? { onprogress: (p) => progress.push(p) } : {},
  );
  outputs.push(res);
  return res;
}

const envOf = async (composeId: string) => (await client.compose.one({ composeId })).env ?? '';

beforeAll(async () => {
  stack = await startStack({ version: '0.25.5' });
  client = createDokployClient({
    baseUrl: stack.sim.url,
    apiKey: stack.sim.apiKey,
    logger: { warn: () => {} },
    retry: false,
  });
  broken = await rawTemplate('legacy');
  const home = await tempHome();
  root = home.root;
  stateDir = join(root, 'state', 'supaops');
  const project = join(root, 'project');
  await mkdir(project, { recursive: true });
  const config = {
    version: 1,
    defaultInstance: 'legacy',
    instances: {
      legacy: { kind: 'dokploy', dokploy: { server: 'sim', composeId: broken.composeId } },
    },
    dokployServers: { sim: { url: stack.sim.url, apiKey: 'env:T_DOKPLOY_KEY' } },
  };
  await writeFile(join(project, 'supaops.config.json'), JSON.stringify(config));
  server = await inProcess({
    cwd: project,
    env: { ...home.env, T_DOKPLOY_KEY: stack.sim.apiKey },
    secrets: [stack.sim.apiKey, SMTP_PASS],
    selfhost: { httpFetch: stack.fetch, deployPollMs: 5, validateAttempts: 2, validateRetryMs: 5 },
  });
});

afterAll(async () => {
  await server?.close();
  await stack?.stop();
  if (root) await removeHome(root);
});

describe('dokploy_setup_wizard on Dokploy 0.25.5', () => {
  it('plans first, then deploys with distinct keys from the first deploy on; validation passes', async () => {
    const secretsFile = join(root, 'shop-secrets.env');
    const args = {
      project: 'shop',
      host: 'supabase.acme.dev',
      siteUrl: 'https://app.acme.dev',
      smtp: SMTP,
      secretsFile,
    };
    const plan = ok<Confirmation>(await call('dokploy_setup_wizard', args)).confirmation;
    expect(plan.summary).toMatch(
      /project "shop" on Dokploy sim \(v0\.25\.5\) at supabase\.acme\.dev/,
    );
    expect(plan.dryRun).toMatchObject({
      projectExists: false,
      domain: 'supabase.acme.dev',
      done: [],
    });
    expect((plan.dryRun.create as string[]).join(' ')).toMatch(
      /project "shop".*compose "supabase"/,
    );
    expect((plan.dryRun.notes as string[]).join(' ')).toMatch(/identical, role-less template keys/);
    expect(stack.count('project.create')).toBe(1); // only the raw template's: the plan created nothing

    const progress: Progress[] = [];
    const res = ok<{
      composeId: string;
      ran: string[];
      publicUrl: string;
      anonKey: string;
      validation: { ok: boolean; checks: { ok: boolean }[] };
      connectionStrings: { session: string };
    }>(await call('dokploy_setup_wizard', { ...args, confirmationToken: plan.token }, progress));
    expect(res.ran).toHaveLength(9);
    expect(res.validation.ok).toBe(true);
    expect(res.validation.checks).toHaveLength(7);
    expect(res.publicUrl).toBe('https://supabase.acme.dev');
    expect(res.connectionStrings.session).toMatch(
      /^postgresql:\/\/postgres\.[0-9a-f-]{36}:\*\*\*@/,
    );
    // one progress notification per step at least, in order, and the final one
    const steps = progress.map((p) => p.message ?? '').filter((m) => /^\d\/9 /.test(m));
    expect(steps).toEqual([
      '1/9 connect',
      '2/9 project',
      '3/9 secrets',
      '4/9 smtp',
      '5/9 domain',
      '6/9 review',
      '7/9 deploy',
      '8/9 validate',
      '9/9 summary',
    ]);
    expect(progress.at(-1)).toMatchObject({ progress: 9, total: 9 });
    // the template's keys were replaced before the first deploy of this compose
    const first = stack.deploys.find((d) => d.composeId === res.composeId);
    const firstEnv = toEnvRecord(parseEnv(first?.env ?? ''));
    expect(firstEnv.ANON_KEY).toMatch(/^eyJ/);
    expect(firstEnv.ANON_KEY).not.toBe(firstEnv.SERVICE_ROLE_KEY);
    expect(diagnoseKeys(toEnvRecord(parseEnv(await envOf(res.composeId)))).ok).toBe(true);
    // the secrets went only to the 0600 file; the result carries the anon key alone
    expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);
    const secrets = toEnvRecord(parseEnv(await readFile(secretsFile, 'utf8')));
    expect(res.anonKey).toBe(secrets.ANON_KEY);
    expect(secrets.SERVICE_ROLE_KEY).toMatch(/^eyJ/);
    // the state file under the config's state dir says every step is done
    const state = JSON.parse(await readFile(join(stateDir, 'wizard', 'sim', 'shop.json'), 'utf8'));
    expect(state.secrets).toBeUndefined();
    expect(
      Object.values(state.steps).every((s) => (s as { status: string }).status === 'done'),
    ).toBe(true);

    // a re-run does nothing twice: every step is skipped
    const again = ok<Confirmation>(await call('dokploy_setup_wizard', args)).confirmation;
    expect(again.summary).toMatch(/already deployed/);
    const rerun = ok<{ ran: string[] }>(
      await call('dokploy_setup_wizard', { ...args, confirmationToken: again.token }),
    );
    expect(rerun.ran).toEqual([]);
    expect(stack.count('project.create')).toBe(2);
    expect(stack.count('compose.deployTemplate')).toBe(2);
  });

  it('a bad smtp value or an unknown server fails with the fix, and no token', async () => {
    const base = { project: 'x', secretsFile: join(root, 'x.env') };
    expect(
      failed(await call('dokploy_setup_wizard', { ...base, smtp: 'mail.acme.dev' })).message,
    ).toMatch(/smtp:\/\//);
    const unknown = failed(await call('dokploy_setup_wizard', { ...base, server: 'nope' }));
    expect(unknown).toMatchObject({ code: 'DOKPLOY_SERVER_NOT_FOUND' });
    expect(unknown.message).toMatch(/No Dokploy server "nope".*known: "sim"/);
    const bad = failed(
      await call('dokploy_setup_wizard', {
        ...base,
        host: 'bad_host',
        smtp: 'smtp://u:p@mail.acme.dev:587',
      }),
    );
    expect(bad.message).toMatch(/domain\.host: .*smtp\.adminEmail|smtp\.adminEmail.*domain\.host/);
    expect(bad.message).toMatch(/nothing was changed/);
  });
});

describe('dokploy_regenerate_keys on the raw 0.25.5 template deployment', () => {
  it('dry run with the masked diff, then applied: validation fails before, passes after', async () => {
    const env = toEnvRecord(parseEnv(await envOf(broken.composeId)));
    expect(env.ANON_KEY).toBe(env.SERVICE_ROLE_KEY);
    const before = await validateDeployment({
      publicUrl: `http://${broken.host}`,
      anonKey: env.ANON_KEY as string,
      serviceKey: env.SERVICE_ROLE_KEY as string,
      fetch: stack.fetch,
    });
    expect(before.ok).toBe(false);
    const original = await envOf(broken.composeId);

    const dry = ok<Confirmation>(await call('dokploy_regenerate_keys', {})).confirmation;
    expect(dry.summary).toMatch(/Would write 2 env value\(s\).*switch .* to https/);
    expect(dry.dryRun.changedKeys).toEqual(
      expect.arrayContaining(['ANON_KEY', 'SERVICE_ROLE_KEY']),
    );
    expect(dry.dryRun.diff as string).toMatch(/~ ANON_KEY: eyJh…/);
    expect(await envOf(broken.composeId)).toBe(original); // nothing written

    // the token is bound to the arguments: another instance name is refused, the env untouched
    const other = failed(
      await call('dokploy_regenerate_keys', {
        instance: 'other',
        confirmationToken: dry.token,
      }),
    );
    expect(other.code).toBe('MCP_CONFIRMATION_INVALID');
    const res = ok<{ changedKeys: string[]; domainUpdated: boolean; validation: { ok: boolean } }>(
      await call('dokploy_regenerate_keys', { confirmationToken: dry.token }),
    );
    expect(res.validation.ok).toBe(true);
    expect(res.domainUpdated).toBe(true);
    // replaying the spent token is refused
    expect(
      failed(await call('dokploy_regenerate_keys', { confirmationToken: dry.token })).code,
    ).toBe('MCP_CONFIRMATION_INVALID');
    const after = await envOf(broken.composeId);
    const a = original.split('\n');
    const b = after.split('\n');
    expect(b.length).toBe(a.length);
    for (const [i, line] of a.entries()) {
      if (/^(ANON_KEY|SERVICE_ROLE_KEY)=/.test(line)) expect(b[i]).not.toBe(line);
      else if (
        !/^(SUPABASE_PUBLIC_URL|API_EXTERNAL_URL|ADDITIONAL_REDIRECT_URLS|SUPABASE_HOST)=/.test(
          line,
        )
      )
        expect(b[i]).toBe(line);
    }
    const keys = toEnvRecord(parseEnv(after));
    expect(diagnoseKeys(keys).ok).toBe(true);
    expect(keys.JWT_SECRET).toBe(env.JWT_SECRET);
    // recorded for rollback under the state dir
    const records = await readdir(join(stateDir, 'history', 'sim'));
    expect(records.length).toBeGreaterThanOrEqual(3); // env, domain, deploy
  });
});

describe('dokploy_update_env', () => {
  it('masked diff first; confirmed, only the named lines change, recorded; redeploy validates', async () => {
    const original = await envOf(broken.composeId);
    const args = {
      set: { SITE_URL: 'https://shop.acme.dev', SMTP_PASS: 'n3wSmtpSecretValue77' },
      unset: ['OPENAI_API_KEY'],
      redeploy: true,
    };
    const dry = ok<Confirmation>(await call('dokploy_update_env', args)).confirmation;
    expect(dry.dryRun).toMatchObject({
      changed: ['SITE_URL', 'SMTP_PASS'],
      removed: ['OPENAI_API_KEY'],
    });
    expect(dry.dryRun.diff as string).toMatch(/untrusted-data-/);
    expect(dry.dryRun.diff as string).not.toContain('n3wSmtpSecretValue77');
    expect(await envOf(broken.composeId)).toBe(original);
    const res = ok<{ effective: boolean; diff: string; validation: { ok: boolean } }>(
      await call('dokploy_update_env', { ...args, confirmationToken: dry.token }),
    );
    expect(res.effective).toBe(true);
    expect(res.validation.ok).toBe(true);
    const after = await envOf(broken.composeId);
    const kept = (t: string) =>
      t.split('\n').filter((l) => !/^(SITE_URL|SMTP_PASS|OPENAI_API_KEY)=/.test(l));
    expect(kept(after)).toEqual(kept(original));
    expect(toEnvRecord(parseEnv(after)).SITE_URL).toBe('https://shop.acme.dev');
    expect(after).not.toMatch(/^OPENAI_API_KEY=/m);
  });
});

describe('the secret scan', () => {
  it('no generated or deployed secret appears in any result or log line', async () => {
    const values: string[] = [SMTP_PASS, 'n3wSmtpSecretValue77', stack.sim.apiKey];
    const fromFile = toEnvRecord(parseEnv(await readFile(join(root, 'shop-secrets.env'), 'utf8')));
    const fromEnvs = [toEnvRecord(parseEnv(await envOf(broken.composeId)))];
    for (const rec of [fromFile, ...fromEnvs]) {
      for (const [k, v] of Object.entries(rec)) {
        if (isSecretVariable(k) && k !== 'ANON_KEY' && (v ?? '').length >= 12)
          values.push(v as string);
      }
    }
    expect(values.length).toBeGreaterThan(15);
    // every secret of the template env before the repair (the raw deployment's) too
    for (const d of stack.deploys) {
      for (const [k, v] of Object.entries(toEnvRecord(parseEnv(d.env)))) {
        if (isSecretVariable(k) && k !== 'ANON_KEY' && v.length >= 12 && !values.includes(v))
          values.push(v);
      }
    }
    const anon = new Set(stack.deploys.map((d) => toEnvRecord(parseEnv(d.env)).ANON_KEY));
    for (const out of outputs)
      assertNoSecrets(
        out,
        values.filter((v) => !anon.has(v)),
        'a tool result',
      );
    assertNoSecrets(server.logs.join('\n'), values, 'server log');
  });
});
