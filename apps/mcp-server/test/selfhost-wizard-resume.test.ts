import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { isSecretVariable, parseEnv, toEnvRecord } from '@supaops/selfhost';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertNoSecrets,
  type Connected,
  failed,
  inProcess,
  ok,
  spawnStdio,
} from './helpers/clients.js';
import { removeHome, tempHome } from './helpers/fixture.js';
import { type Stack, startStack } from './helpers/stack.js';

/**
 * Dokploy 0.30.2: dokploy_deploy_supabase in one call with progress, a wizard cancelled during the
 * deploy wait (in process and over stdio) and resumed without creating anything twice, and
 * dokploy_update_env refusing the ciphertext env Dokploy returns after a BETTER_AUTH_SECRET change.
 */
const SMTP = 'smtp://apikey:Qw7smtpPassValue99@smtp.mailprovider.net:587?from=auth@mail.acme.dev';

let stack: Stack;
let root: string;
let project: string;
let env: NodeJS.ProcessEnv;
let server: Connected & { logs: string[] };
const outputs: unknown[] = [];

const args = (name: string, host: string) => ({
  project: name,
  host,
  siteUrl: 'https://app.acme.dev',
  smtp: SMTP,
  secretsFile: join(root, `${name}.env`),
});

async function call(name: string, a: Record<string, unknown>, progress?: Progress[]) {
  const res = await server.call(name, a, progress ? { onprogress: (p) => progress.push(p) } : {});
  outputs.push(res);
  return res;
}

/** Calls a tool and cancels it once the deploy step reports that it waits. */
async function cancelDuringDeploy(c: Connected, name: string, a: Record<string, unknown>) {
  const controller = new AbortController();
  const seen: string[] = [];
  const pending = c.client.callTool({ name, arguments: a }, undefined, {
    signal: controller.signal,
    timeout: 60_000,
    onprogress: (p) => {
      seen.push(p.message ?? '');
      if ((p.message ?? '').startsWith('deploy: ') && stack.count('compose.deploy') > 0) {
        controller.abort();
      }
    },
  });
  await expect(pending).rejects.toThrow(/abort/i);
  return seen;
}

async function auditOutcomes(
  action: string,
): Promise<{ outcome: string; error?: { code: string } }[]> {
  const text = await readFile(join(root, 'state', 'supaops', 'audit.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((e) => e.action === action);
}

beforeAll(async () => {
  stack = await startStack({ version: '0.30.2' });
  const home = await tempHome();
  root = home.root;
  project = join(root, 'project');
  await mkdir(project, { recursive: true });
  const config = {
    version: 1,
    instances: {},
    dokployServers: { sim: { url: stack.sim.url, apiKey: 'env:T_DOKPLOY_KEY' } },
  };
  await writeFile(join(project, 'supaops.config.json'), JSON.stringify(config));
  env = { ...home.env, T_DOKPLOY_KEY: stack.sim.apiKey };
  server = await inProcess({
    cwd: project,
    env,
    sandbox: false,
    secrets: [stack.sim.apiKey, 'Qw7smtpPassValue99'],
    selfhost: { httpFetch: stack.fetch, deployPollMs: 5, validateAttempts: 2, validateRetryMs: 5 },
  });
});

afterAll(async () => {
  await server?.close();
  await stack?.stop();
  if (root) await removeHome(root);
});

describe('dokploy_deploy_supabase on Dokploy 0.30.2', () => {
  it('deploys in one call (no confirmation), progress per step, validation passes', async () => {
    const progress: Progress[] = [];
    const res = ok<{ ran: string[]; validation: { ok: boolean }; composeId: string }>(
      await call('dokploy_deploy_supabase', args('shop', 'supabase.acme.dev'), progress),
    );
    expect(res.ran).toHaveLength(9);
    expect(res.validation.ok).toBe(true);
    const steps = progress.map((p) => p.message ?? '').filter((m) => /^\d\/9 /.test(m));
    expect(steps).toHaveLength(9);
    expect(progress.map((p) => p.progress)).toEqual(
      [...progress.map((p) => p.progress)].sort((a, b) => a - b),
    );
  });

  it('requires every answer', async () => {
    const { host: _host, ...noHost } = args('x', 'x.acme.dev');
    // the SDK rejects the call against the input schema before the handler runs
    const res = await call('dokploy_deploy_supabase', noHost);
    expect(res.isError).toBe(true);
    expect(JSON.stringify(res.content)).toMatch(/host/);
    expect(stack.count('project.create')).toBe(1);
  });
});

describe('cancel during the deploy wait, then resume', () => {
  it('in process: the re-run continues at the deploy; one project.create, one template deploy', async () => {
    stack.sim.setDeployDurationMs(60_000);
    const creates = stack.count('project.create');
    const templates = stack.count('compose.deployTemplate');
    const a = args('cart', 'cart.acme.dev');
    const dry = ok<{ confirmation: { token: string } }>(await call('dokploy_setup_wizard', a));
    const seen = await cancelDuringDeploy(server, 'dokploy_setup_wizard', {
      ...a,
      confirmationToken: dry.confirmation.token,
    });
    expect(seen).toContain('7/9 deploy');
    // the server records the cancellation once the wizard has stopped (bounded wait)
    let audit = await auditOutcomes('dokploy_setup_wizard');
    for (let i = 0; i < 50 && !audit.some((e) => e.error?.code === 'MCP_TOOL_CANCELLED'); i++) {
      await sleep(100);
      audit = await auditOutcomes('dokploy_setup_wizard');
    }
    expect(audit.map((e) => e.outcome)).toEqual(['dry-run', 'error']);
    stack.sim.completeDeployments();
    stack.sim.setDeployDurationMs(1);
    const again = ok<{
      confirmation: { summary: string; dryRun: { done: string[] }; token: string };
    }>(await call('dokploy_setup_wizard', a));
    expect(again.confirmation.summary).toMatch(/resuming at step deploy/);
    expect(again.confirmation.dryRun.done).toEqual([
      'connect',
      'project',
      'secrets',
      'smtp',
      'domain',
      'review',
    ]);
    const res = ok<{ ran: string[]; validation: { ok: boolean } }>(
      await call('dokploy_setup_wizard', { ...a, confirmationToken: again.confirmation.token }),
    );
    expect(res.ran).toEqual(['deploy', 'validate', 'summary']);
    expect(res.validation.ok).toBe(true);
    expect(stack.count('project.create') - creates).toBe(1);
    expect(stack.count('compose.deployTemplate') - templates).toBe(1);
  });

  it('over stdio (the built server): progress arrives, the cancel is audited, an in-process re-run resumes', async () => {
    stack.sim.setDeployDurationMs(60_000);
    const creates = stack.count('project.create');
    const deploysBefore = stack.count('compose.deploy');
    const stdio = await spawnStdio({
      env,
      cwd: project,
      secrets: [stack.sim.apiKey, 'Qw7smtpPassValue99'],
    });
    try {
      const a = args('blog', 'blog.acme.dev');
      const seen = await cancelDuringDeploy(stdio, 'dokploy_deploy_supabase', a);
      expect(seen.slice(0, 7)).toEqual([
        '1/9 connect',
        '2/9 project',
        '3/9 secrets',
        '4/9 smtp',
        '5/9 domain',
        '6/9 review',
        '7/9 deploy',
      ]);
      let audit = await auditOutcomes('dokploy_deploy_supabase');
      for (let i = 0; i < 50 && !audit.some((e) => e.error?.code === 'MCP_TOOL_CANCELLED'); i++) {
        await sleep(100);
        audit = await auditOutcomes('dokploy_deploy_supabase');
      }
      expect(audit.some((e) => e.error?.code === 'MCP_TOOL_CANCELLED')).toBe(true);
    } finally {
      await stdio.close();
    }
    stack.sim.completeDeployments();
    stack.sim.setDeployDurationMs(1);
    const res = ok<{ ran: string[]; validation: { ok: boolean } }>(
      await call('dokploy_deploy_supabase', args('blog', 'blog.acme.dev')),
    );
    expect(res.ran).toEqual(['deploy', 'validate', 'summary']);
    expect(res.validation.ok).toBe(true);
    expect(stack.count('project.create') - creates).toBe(1);
    expect(stack.count('compose.deploy') - deploysBefore).toBe(1);
  });
});

describe('dokploy_update_env on a ciphertext env', () => {
  it('refuses before any token is issued, nothing written', async () => {
    const composeId = stack.deploys.at(-1)?.composeId as string;
    const config = {
      version: 1,
      instances: { blog: { kind: 'dokploy', dokploy: { server: 'sim', composeId } } },
      dokployServers: { sim: { url: stack.sim.url, apiKey: 'env:T_DOKPLOY_KEY' } },
    };
    const dir = join(root, 'other');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'supaops.config.json'), JSON.stringify(config));
    stack.sim.changeAuthSecret();
    const other = await inProcess({ cwd: dir, env, secrets: [stack.sim.apiKey] });
    try {
      const updates = stack.count('compose.update');
      const res: CallToolResult = await other.call('dokploy_update_env', {
        set: { SITE_URL: 'https://x.acme.dev' },
      });
      outputs.push(res);
      expect(failed(res).code).toBe('SELFHOST_ENV_CIPHERTEXT');
      expect(res.structuredContent).not.toHaveProperty('confirmation');
      expect(stack.count('compose.update')).toBe(updates);
    } finally {
      await other.close();
    }
  });
});

describe('the secret scan', () => {
  it('no generated secret of any project appears in a result or log line', async () => {
    const values: string[] = [];
    for (const name of ['shop', 'cart', 'blog']) {
      const rec = toEnvRecord(parseEnv(await readFile(join(root, `${name}.env`), 'utf8')));
      for (const [k, v] of Object.entries(rec)) {
        if (isSecretVariable(k) && k !== 'ANON_KEY' && (v ?? '').length >= 12)
          values.push(v as string);
      }
    }
    expect(values.length).toBeGreaterThan(30);
    for (const out of outputs) assertNoSecrets(out, values, 'a tool result');
    assertNoSecrets(server.logs.join('\n'), values, 'server log');
  });
});
