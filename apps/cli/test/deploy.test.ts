import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseEnv, toEnvRecord } from '@supaops/selfhost';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliResult, json, runCli, spawnCli, type TempHome, tempHome } from './helpers/cli.js';
import { runOnPty } from './helpers/pty.js';
import { schemaErrors } from './helpers/schema.js';
import { type CliStack, startCliStack } from './helpers/stack.js';

let stack: CliStack | undefined;
let home: TempHome | undefined;
afterEach(async () => {
  await stack?.stop();
  await home?.cleanup();
  stack = undefined;
  home = undefined;
});

// biome-ignore lint/suspicious/noExplicitAny: a --json document, checked against its schema first
type Doc = Record<string, any>;

const SMTP_PASS = 'Zx9smtpPasswordValue42';

function flags(s: CliStack, extra: string[] = []): string[] {
  return [
    'deploy',
    '--dokploy-url',
    s.sim.url,
    '--dokploy-key-env',
    'DOKPLOY_API_KEY',
    '--project',
    'shop',
    '--domain',
    'supabase.acme.dev',
    '--site-url',
    'https://app.acme.dev',
    '--smtp-host',
    'smtp.mailprovider.net',
    '--smtp-port',
    '587',
    '--smtp-user',
    'apikey',
    '--smtp-pass-env',
    'SMTP_PASS',
    '--smtp-admin-email',
    'auth@mail.acme.dev',
    '--validate-via',
    s.tunnel,
    '--poll-interval',
    '5',
    ...extra,
  ];
}

async function setup(version: string) {
  stack = await startCliStack(version);
  home = await tempHome({ DOKPLOY_API_KEY: stack.sim.apiKey, SMTP_PASS });
  return { s: stack, h: home };
}

const run = (h: TempHome, args: string[]) => runCli(args, { cwd: h.project, env: h.env });

const count = (s: CliStack, procedure: string) =>
  s.sim.requests.filter((r) => r.procedure === procedure && r.status < 300).length;

/** The deployed secrets (from Dokploy's env) that must not reach any output. */
async function deployedSecrets(s: CliStack, composeId: string): Promise<Record<string, string>> {
  const env = toEnvRecord(parseEnv((await s.client.compose.one({ composeId })).env ?? ''));
  return {
    JWT_SECRET: env.JWT_SECRET as string,
    SERVICE_ROLE_KEY: env.SERVICE_ROLE_KEY as string,
    POSTGRES_PASSWORD: env.POSTGRES_PASSWORD as string,
    DASHBOARD_PASSWORD: env.DASHBOARD_PASSWORD as string,
    SECRET_KEY_BASE: env.SECRET_KEY_BASE as string,
  };
}

function expectAbsent(result: CliResult, values: string[]): void {
  for (const v of values) {
    expect(result.stdout).not.toContain(v);
    expect(result.stderr).not.toContain(v);
  }
}

describe('supaops deploy (Dokploy simulator + gateway simulator started by onDeploy)', () => {
  it.each(['0.25.5', '0.30.2'])(
    'non-interactive on Dokploy %s: validates, registers, no secret printed',
    async (version) => {
      const { s, h } = await setup(version);
      const result = await run(h, [
        ...flags(s, ['--secrets-file', 'shop.secrets.env', '--yes']),
        '--json',
      ]);
      expect(result.code, result.stderr + result.stdout).toBe(0);
      const doc = json<Doc>(result);
      expect(schemaErrors('deploy', doc)).toEqual([]);
      expect(doc.validation.ok).toBe(true);
      expect(doc.validation.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
      expect(doc.summary.connectionStrings.session).toMatch(
        /^postgresql:\/\/postgres\.[0-9a-f-]{36}:\*\*\*@supabase\.acme\.dev:5432\/postgres$/,
      );
      expect(doc.summary.connectionStrings.transaction).toMatch(/:6543\/postgres$/);
      const secrets = await deployedSecrets(s, doc.composeId);
      const env = toEnvRecord(
        parseEnv((await s.client.compose.one({ composeId: doc.composeId })).env ?? ''),
      );
      expect(doc.summary.anonKey).toBe(env.ANON_KEY);
      expect(doc.secrets).toBeUndefined();
      expectAbsent(result, [...Object.values(secrets), SMTP_PASS, s.sim.apiKey]);
      // the secrets went to the 0600 file only
      const file = path.join(h.project, 'shop.secrets.env');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const delivered = toEnvRecord(parseEnv(await readFile(file, 'utf8')));
      expect(delivered.SERVICE_ROLE_KEY).toBe(secrets.SERVICE_ROLE_KEY);
      // registered by reference: no key in the config
      const configText = await readFile(
        path.join(h.home, '.config/supaops/supaops.config.json'),
        'utf8',
      );
      const config = JSON.parse(configText);
      expect(config.instances.shop).toMatchObject({
        kind: 'dokploy',
        api: { url: 'https://supabase.acme.dev' },
        dokploy: { composeId: doc.composeId },
      });
      expect(Object.values(config.dokployServers)).toEqual([
        { url: s.sim.url, apiKey: 'env:DOKPLOY_API_KEY' },
      ]);
      for (const v of [...Object.values(secrets), s.sim.apiKey])
        expect(configText).not.toContain(v);
      // a re-run finds every step done: nothing is created or deployed again
      const again = await run(h, [...flags(s, ['--secrets-file', 'shop.secrets.env', '--yes'])]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/deploy: done earlier/);
      expect(count(s, 'project.create')).toBe(1);
      expect(count(s, 'compose.deploy')).toBe(1);
      // and the registered instance works with doctor --instance
      const doctor = await run(h, ['doctor', '--instance', 'shop', '--json', '--no-database']);
      expect(json<{ mode: string }>(doctor).mode).toBe('online');
      // the printed hint adds the key references and keeps the Dokploy link
      const hint = (doc as { instance: { hint: string } }).instance.hint;
      expect(hint).toMatch(/^supaops instances add shop /);
      const added = await run(h, hint.split(' ').slice(1));
      expect(added.code, added.stderr).toBe(0);
      const after = JSON.parse(
        await readFile(path.join(h.home, '.config/supaops/supaops.config.json'), 'utf8'),
      );
      expect(after.instances.shop).toMatchObject({
        kind: 'dokploy',
        api: { anonKey: 'env:ANON_KEY', serviceRoleKey: 'env:SERVICE_ROLE_KEY' },
        dokploy: { composeId: doc.composeId },
      });
      const doctorAfter = await run(h, ['doctor', '--instance', 'shop', '--json', '--no-database']);
      expect(json<{ mode: string }>(doctorAfter).mode).toBe('online');
    },
  );

  it('--print-secrets: the JSON carries them once; without --yes and a terminal it is refused', async () => {
    const { s, h } = await setup('0.30.2');
    const refused = await run(h, [...flags(s, ['--print-secrets']), '--json']);
    expect(refused.code).toBe(2);
    expect(json<{ error: { code: string } }>(refused).error.code).toBe('CONFIRMATION_REQUIRED');
    const missing = await run(h, [
      'deploy',
      '--dokploy-url',
      s.sim.url,
      '--dokploy-key-env',
      'DOKPLOY_API_KEY',
      '--yes',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /--domain HOST or --generated-domain.*--secrets-file PATH or --print-secrets/s,
    );
    const result = await run(h, [
      ...flags(s, ['--print-secrets', '--yes', '--no-register']),
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const doc = json<Doc>(result);
    expect(schemaErrors('deploy', doc)).toEqual([]);
    const secrets = await deployedSecrets(s, doc.composeId);
    expect(doc.secrets.SERVICE_ROLE_KEY).toBe(secrets.SERVICE_ROLE_KEY);
    expect(doc.secrets.POOLER_SESSION_URL).toContain(
      encodeURIComponent(String(secrets.POSTGRES_PASSWORD)),
    );
    expect(doc.instance).toBeNull();
  });

  it('SIGINT during the deploy wait exits 130; the re-run resumes (one project.create)', async () => {
    const { s, h } = await setup('0.25.5');
    let release = () => {};
    s.hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const child = spawnCli(flags(s, ['--secrets-file', 'shop.secrets.env', '--yes']), {
      cwd: h.project,
      env: h.env,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.stdin.end();
    // bounded: the deployment is held running by the hook until released
    for (let i = 0; i < 400 && count(s, 'compose.deploy') === 0; i += 1) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(count(s, 'compose.deploy')).toBe(1);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/deploy/);
    release();
    s.hold = undefined;
    const again = await run(h, [
      ...flags(s, ['--secrets-file', 'shop.secrets.env', '--yes']),
      '--json',
    ]);
    expect(again.code, again.stderr).toBe(0);
    const doc = json<Doc>(again);
    expect(doc.skipped).toEqual(expect.arrayContaining(['connect', 'project', 'review']));
    expect(doc.ran).toEqual(expect.arrayContaining(['deploy', 'validate', 'summary']));
    expect(doc.validation.ok).toBe(true);
    expect(count(s, 'project.create')).toBe(1);
    expect(count(s, 'compose.deploy')).toBe(1);
  });

  it('interactive on a terminal: prompts for what the flags leave out, then deploys', async () => {
    const { s, h } = await setup('0.30.2');
    const pty = runOnPty(
      [
        'deploy',
        '--dokploy-url',
        s.sim.url,
        '--dokploy-key-env',
        'DOKPLOY_API_KEY',
        '--validate-via',
        s.tunnel,
        '--poll-interval',
        '5',
      ],
      { cwd: h.project, env: h.env },
    );
    await pty.waitFor(/Dokploy project/);
    pty.write('demo\r');
    await pty.waitFor(/Environment/);
    pty.write('\r');
    await pty.waitFor(/Domain/);
    pty.write('\r'); // own domain
    await pty.waitFor(/Host name/);
    pty.write('demo.acme.dev\r');
    await pty.waitFor(/Mail/);
    pty.write('\u001b[B\r'); // development autoconfirm
    await pty.waitFor(/Where do the secrets go/);
    pty.write('\r'); // a file
    await pty.waitFor(/Secrets file/);
    pty.write('\r');
    await pty.waitFor(/Deploy Supabase "demo"/);
    pty.write('y');
    await pty.waitFor(/deployed demo/, 30_000);
    expect(await pty.exit).toBe(0);
    const file = path.join(h.project, 'demo.secrets.env');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const delivered = toEnvRecord(parseEnv(await readFile(file, 'utf8')));
    expect(pty.output()).not.toContain(delivered.SERVICE_ROLE_KEY as string);
    expect(pty.output()).not.toContain(delivered.POSTGRES_PASSWORD as string);
    expect(pty.output()).toMatch(/\[7\/9\]/);
  });
});
