import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createDokployClient } from '@supaops/dokploy-client';
import { type DokploySimulator, startDokploySimulator } from '@supaops/dokploy-simulator';
import { isSecretVariable, parseEnv, toEnvRecord } from '@supaops/selfhost';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CliResult,
  ENV_EXAMPLE,
  json,
  runCli,
  type TempHome,
  tempHome,
} from './helpers/cli.js';
import { schemaErrors } from './helpers/schema.js';

const db = useTestDatabase('cli_doctor');
let home: TempHome;
let sim: DokploySimulator;
let composeId: string;
let composeSecrets: string[];

const run = (args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}) =>
  runCli(args, {
    cwd: home.project,
    env: { ...home.env, ...options.env },
    ...(options.input === undefined ? {} : { input: options.input }),
  });

/** The values of an env's secret variables (as the doctor's own schema names them). */
function secretsOf(text: string): string[] {
  return Object.entries(toEnvRecord(parseEnv(text, { interpolate: false })))
    .filter(([name, value]) => isSecretVariable(name) && value.length >= 8)
    .map(([, value]) => value);
}

function expectNoSecret(result: CliResult, secrets: string[]): void {
  for (const secret of secrets) {
    expect(result.stdout, 'a secret reached stdout').not.toContain(secret);
    expect(result.stderr, 'a secret reached stderr').not.toContain(secret);
  }
}

beforeAll(async () => {
  home = await tempHome();
  // the real Dokploy simulator with the Supabase template deployed, as the selfhost tests do
  sim = await startDokploySimulator({ version: '0.25.5' });
  const client = createDokployClient({
    baseUrl: sim.url,
    apiKey: sim.apiKey,
    logger: { warn: () => {} },
    retry: false,
  });
  const { environment } = await client.project.create({ name: 'shop' });
  const compose = await client.compose.deployTemplate({
    environmentId: environment?.environmentId as string,
    id: 'supabase',
  });
  composeId = compose.composeId;
  composeSecrets = secretsOf((await client.compose.one({ composeId })).env ?? '');
  await writeFile(
    path.join(home.project, 'supaops.config.json'),
    JSON.stringify({
      version: 1,
      instances: {
        shop: { kind: 'dokploy', dokploy: { server: 'sim', composeId } },
        lost: { kind: 'dokploy', dokploy: { server: 'sim', composeId: 'no-such-compose' } },
        plain: { kind: 'self-hosted', database: { session: 'env:DOCTOR_DB_URL' } },
      },
      dokployServers: { sim: { url: sim.url, apiKey: 'env:DOKPLOY_API_KEY' } },
    }),
  );
  home.env.DOKPLOY_API_KEY = sim.apiKey;
  home.env.DOCTOR_DB_URL = db.current.url();
});
afterAll(async () => {
  await sim?.stop();
  await home?.cleanup();
});

describe('doctor --env (offline)', () => {
  it('the upstream env.example: demo keys and secret, http URLs, fake SMTP, tenant placeholder, dashboard password (exit 1), no secret printed', async () => {
    const secrets = secretsOf(await readFile(ENV_EXAMPLE, 'utf8'));
    expect(secrets.length).toBeGreaterThan(5);

    const machine = await run(['doctor', '--env', ENV_EXAMPLE, '--json']);
    expect(machine.code, machine.stderr).toBe(1);
    expectNoSecret(machine, secrets);
    const doc = json<{
      mode: string;
      findings: Array<{ code: string; severity: string; variable?: string; fix: string }>;
      summary: { errors: number };
    }>(machine);
    expect(schemaErrors('doctor', doc)).toEqual([]);
    expect(doc).toMatchObject({ source: 'file', file: ENV_EXAMPLE, mode: 'offline' });
    const found = doc.findings.map((f) => `${f.code}:${f.variable ?? ''}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'JWT_SECRET_DEMO:JWT_SECRET',
        'JWT_DEMO_KEY:ANON_KEY',
        'JWT_DEMO_KEY:SERVICE_ROLE_KEY',
        'PUBLIC_URL_HTTP:API_EXTERNAL_URL',
        'PUBLIC_URL_HTTP:SUPABASE_PUBLIC_URL',
        'SMTP_FAKE_DEFAULTS:SMTP_HOST',
        'POOLER_TENANT_ID_PLACEHOLDER:POOLER_TENANT_ID',
        'DASHBOARD_PASSWORD_DEFAULT:DASHBOARD_PASSWORD',
      ]),
    );
    expect(doc.summary.errors).toBeGreaterThan(0);
    for (const f of doc.findings) {
      expect(f.fix.length).toBeGreaterThan(0);
      expect(['error', 'warning', 'info']).toContain(f.severity);
    }

    const human = await run(['doctor', '--env', ENV_EXAMPLE]);
    expect(human.code).toBe(1);
    expectNoSecret(human, secrets);
    // every finding: severity, code, variable, and its fix on the next line
    expect(human.stdout).toMatch(/^error\s+JWT_SECRET_DEMO JWT_SECRET: .+\n\s+fix: \S/m);
    expect(human.stdout).toMatch(/^warning\s+POOLER_TENANT_ID_PLACEHOLDER POOLER_TENANT_ID: /m);
    expect(human.stdout).toMatch(/^failed: \d+ errors/m);
    expect(human.stdout).toContain('not checked: ');

    const piped = await run(['doctor', '--env', '-', '--json'], {
      input: await readFile(ENV_EXAMPLE, 'utf8'),
    });
    expect(piped.code).toBe(1);
    expect(json(piped)).toMatchObject({ source: 'stdin', mode: 'offline' });
  });

  it('--db-url adds the pool-size check against a real database', async () => {
    const generated = json<{ env: Record<string, string> }>(
      await run(['keys', 'generate', '--json']),
    );
    const file = path.join(home.project, 'small.env');
    await writeFile(
      file,
      `${Object.entries(generated.env)
        .filter(([k]) => ['JWT_SECRET', 'ANON_KEY', 'SERVICE_ROLE_KEY'].includes(k))
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')}\nPOOLER_DEFAULT_POOL_SIZE=20\n`,
    );
    const offline = json<{ skipped: Array<{ check: string }> }>(
      await run(['doctor', '--env', file, '--json']),
    );
    expect(offline.skipped.map((s) => s.check)).toContain('pooler.max_connections');
    const withDb = await run(['doctor', '--env', file, '--db-url', db.current.url(), '--json']);
    expect(withDb.stdout + withDb.stderr).not.toContain(db.current.password);
    const doc = json<{ skipped: Array<{ check: string }>; findings: Array<{ code: string }> }>(
      withDb,
    );
    expect(schemaErrors('doctor', doc)).toEqual([]);
    expect(doc.findings.map((f) => f.code)).not.toContain('DATABASE_UNREACHABLE');
    expect(doc.skipped.map((s) => s.check)).not.toContain('pooler.max_connections');
  });

  it('usage: --env with --instance, --db-url without --env, an unreadable file', async () => {
    const both = await run(['doctor', '--env', ENV_EXAMPLE, '--instance', 'shop', '--json']);
    expect(both.code).toBe(2);
    expect(json(both)).toMatchObject({ error: { code: 'DOCTOR_SOURCE_CONFLICT' } });
    const dbOnly = await run(['doctor', '--db-url', db.current.url(), '--json']);
    expect(dbOnly.code).toBe(2);
    expect(json(dbOnly)).toMatchObject({ error: { code: 'DOCTOR_DB_URL_NEEDS_ENV' } });
    const missing = await run(['doctor', '--env', path.join(home.project, 'nope.env'), '--json']);
    expect(missing.code).toBe(10);
    expect(schemaErrors('error', json(missing))).toEqual([]);
  });
});

describe('doctor --instance (online, Dokploy simulator)', () => {
  it("reads the instance's compose through the Dokploy API and reports its findings", async () => {
    const result = await run(['doctor', '--instance', 'shop', '--json']);
    expectNoSecret(result, [...composeSecrets, sim.apiKey]);
    const doc = json<{
      mode: string;
      exitCode: number;
      target: { composeId: string; dokployVersion?: string };
      findings: Array<{ code: string }>;
    }>(result);
    expect(schemaErrors('doctor', doc)).toEqual([]);
    expect(result.code).toBe(doc.exitCode);
    expect(doc).toMatchObject({
      source: 'instance',
      instance: 'shop',
      mode: 'online',
      target: { composeId, dokployVersion: 'v0.25.5' },
    });
    // what the 0.25.5 template leaves behind (the selfhost suite pins the details)
    expect(doc.findings.length).toBeGreaterThan(0);
    expect(doc.findings.map((f) => f.code)).toContain('SMTP_FAKE_DEFAULTS');

    const human = await run(['doctor', '--instance', 'shop']);
    expect(human.code).toBe(doc.exitCode);
    expectNoSecret(human, [...composeSecrets, sim.apiKey]);
    expect(human.stdout).toContain(`doctor (online): shop, compose ${composeId}`);
  });

  it('an instance without Dokploy is a config error (4); an unknown compose cannot be read (5)', async () => {
    const plain = await run(['doctor', '--instance', 'plain', '--json']);
    expect(plain.code).toBe(4);
    expect(json(plain)).toMatchObject({ error: { code: 'INSTANCE_NO_DOKPLOY' } });
    const lost = await run(['doctor', '--instance', 'lost', '--json']);
    expect(lost.code).toBe(5);
    expect(schemaErrors('error', json(lost))).toEqual([]);
    expect(json(lost)).toMatchObject({ error: { code: 'SELFHOST_DOCTOR_SOURCE_FAILED' } });
    expectNoSecret(lost, [sim.apiKey]);
    const unset = await run(['doctor', '--instance', 'shop', '--json'], {
      env: { DOKPLOY_API_KEY: '' },
    });
    expect(unset.code).toBe(4);
    expect(json(unset)).toMatchObject({ error: { code: 'SECRET_REFERENCE_UNRESOLVED' } });
  });
});

describe('env diff', () => {
  it('lists added, removed and changed variables with secret values masked', async () => {
    const left = path.join(home.project, 'left.env');
    const right = path.join(home.project, 'right.env');
    const oldSecret = 'old-jwt-secret-value-that-is-long-enough-1234';
    const newSecret = 'new-jwt-secret-value-that-is-long-enough-5678';
    await writeFile(left, `JWT_SECRET=${oldSecret}\nSITE_URL=http://a.example\nGONE=1\nSAME=x\n`);
    await writeFile(right, `JWT_SECRET=${newSecret}\nSITE_URL=https://a.example\nNEW=2\nSAME=x\n`);

    const human = await run(['env', 'diff', left, right]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('~ SITE_URL: http://a.example → https://a.example');
    expect(human.stdout).toMatch(/^\+ NEW=2$/m);
    expect(human.stdout).toMatch(/^- GONE=1$/m);
    expect(human.stdout).toMatch(/~ JWT_SECRET: /);
    expect(human.stdout).toContain('1 added, 1 removed, 2 changed, 1 the same');
    for (const secret of [oldSecret, newSecret]) {
      expect(human.stdout + human.stderr).not.toContain(secret);
    }

    const machine = await run(['env', 'diff', left, right, '--all', '--json']);
    expect(machine.code).toBe(0);
    const doc = json<{ differs: boolean; entries: Array<{ key: string; secret: boolean }> }>(
      machine,
    );
    expect(schemaErrors('env-diff', doc)).toEqual([]);
    expect(doc.differs).toBe(true);
    expect(doc.entries.map((e) => e.key).sort()).toEqual(
      ['GONE', 'JWT_SECRET', 'NEW', 'SAME', 'SITE_URL'].sort(),
    );
    expect(doc.entries.find((e) => e.key === 'JWT_SECRET')?.secret).toBe(true);
    expect(machine.stdout).not.toContain(oldSecret);

    expect((await run(['env', 'diff', left, right, '--exit-code'])).code).toBe(1);
    expect((await run(['env', 'diff', left, left, '--exit-code'])).code).toBe(0);
    expect((await run(['env', 'diff', left, path.join(home.project, 'nope.env')])).code).toBe(10);
  });
});
