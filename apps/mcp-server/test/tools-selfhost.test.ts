import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDokployClient } from '@supaops/dokploy-client';
import { type DokploySimulator, startDokploySimulator } from '@supaops/dokploy-simulator';
import { isSecretVariable, parseEnv, toEnvRecord } from '@supaops/selfhost';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connected, failed, inProcess, ok } from './helpers/clients.js';
import { removeHome, tempHome } from './helpers/fixture.js';

/**
 * The self-hosting tools: the doctor offline on upstream's .env.example and online on the
 * Supabase template deployed in the loopback Dokploy simulator, and the env diff.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ENV_EXAMPLE = resolve(repoRoot, '../shared/reference/supabase-selfhost/env.example');

interface Doctor {
  source: string;
  mode: string;
  exitCode: number;
  summary: { errors: number; warnings: number };
  findings: { code: string; variable?: string; message: string; fix: string }[];
  skipped: { check: string }[];
  target?: { composeId: string; dokployVersion?: string };
}
interface Diff {
  left: string;
  right: string;
  summary: Record<string, number>;
  entries: { key: string; status: string; left?: string; right?: string; secret: boolean }[];
}

let root: string;
let sim: DokploySimulator;
let server: Connected;
let exampleText: string;
let composeId: string;
/** The secret values of .env.example and of the deployed compose: none may leave the server. */
const demoSecrets: string[] = [];
let composeSecrets: Record<string, string> = {};

function secretsOf(text: string): Record<string, string> {
  const record = toEnvRecord(parseEnv(text, { interpolate: false }));
  return Object.fromEntries(
    Object.entries(record).filter(([k, v]) => isSecretVariable(k) && v.length >= 8),
  );
}

/** No 9 characters in a row of any of the values appear in the JSON (masks show at most 4+4). */
function expectNoWindowOf(json: string, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    for (let i = 0; i + 9 <= value.length; i++) {
      expect(json, `${name} leaked`).not.toContain(value.slice(i, i + 9));
    }
  }
}

const keyed = (d: Doctor) => d.findings.map((f) => `${f.code}:${f.variable ?? ''}`);

beforeAll(async () => {
  exampleText = await readFile(ENV_EXAMPLE, 'utf8');
  demoSecrets.push(...Object.values(secretsOf(exampleText)));
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
  const home = await tempHome();
  root = home.root;
  const project = join(root, 'project');
  await mkdir(project, { recursive: true });
  const badKey = `sim_bad_${'k'.repeat(24)}`;
  const config = {
    version: 1,
    defaultInstance: 'shop',
    instances: {
      shop: { kind: 'dokploy', dokploy: { server: 'sim', composeId } },
      wrongkey: { kind: 'dokploy', dokploy: { server: 'simbad', composeId } },
      plain: { kind: 'self-hosted', api: { url: 'http://127.0.0.1:54321' } },
    },
    dokployServers: {
      sim: { url: sim.url, apiKey: 'env:T_DOKPLOY_KEY' },
      simbad: { url: sim.url, apiKey: 'env:T_DOKPLOY_BAD_KEY' },
    },
  };
  await writeFile(join(project, 'supaops.config.json'), JSON.stringify(config, null, 2));
  server = await inProcess({
    cwd: project,
    env: { ...home.env, T_DOKPLOY_KEY: sim.apiKey, T_DOKPLOY_BAD_KEY: badKey },
    secrets: [sim.apiKey, badKey, ...demoSecrets, ...Object.values(composeSecrets)],
  });
});

afterAll(async () => {
  await server?.close();
  await sim?.stop();
  if (root) await removeHome(root);
});

describe('dokploy_validate_config offline (.env.example)', () => {
  it('reports the demo keys and secret, http URLs, fake SMTP, tenant placeholder and dashboard password', async () => {
    const res = await server.call('dokploy_validate_config', { file: ENV_EXAMPLE });
    const doctor = ok<Doctor>(res);
    expect(doctor).toMatchObject({ source: ENV_EXAMPLE, mode: 'offline', exitCode: 1 });
    expect(keyed(doctor)).toEqual(
      expect.arrayContaining([
        'JWT_DEMO_KEY:ANON_KEY',
        'JWT_DEMO_KEY:SERVICE_ROLE_KEY',
        'JWT_SECRET_DEMO:JWT_SECRET',
        'PUBLIC_URL_HTTP:SUPABASE_PUBLIC_URL',
        'PUBLIC_URL_HTTP:API_EXTERNAL_URL',
        'SMTP_FAKE_DEFAULTS:SMTP_HOST',
        'POOLER_TENANT_ID_PLACEHOLDER:POOLER_TENANT_ID',
        'DASHBOARD_PASSWORD_DEFAULT:DASHBOARD_PASSWORD',
      ]),
    );
    expect(doctor.summary.errors).toBeGreaterThanOrEqual(10);
    expect(doctor.skipped.map((s) => s.check)).toContain('pooler.max_connections');
    // the whole result, text included: no secret of the file, not even 9 characters of one
    expectNoWindowOf(JSON.stringify(res), secretsOf(exampleText));
    expect(Object.keys(secretsOf(exampleText)).length).toBeGreaterThanOrEqual(12);
  });

  it('gives the same findings for the env text', async () => {
    const fromFile = ok<Doctor>(
      await server.call('dokploy_validate_config', { file: ENV_EXAMPLE }),
    );
    const fromText = ok<Doctor>(await server.call('dokploy_validate_config', { env: exampleText }));
    expect(fromText.source).toBe('env text');
    expect(keyed(fromText)).toEqual(keyed(fromFile));
  });
});

describe('dokploy_validate_config online (Dokploy simulator 0.25.5)', () => {
  it("checks the instance's compose: template key bugs, https URLs on an http domain, fake SMTP", async () => {
    const res = await server.call('dokploy_validate_config', {});
    const doctor = ok<Doctor>(res);
    expect(doctor.mode).toBe('online');
    expect(doctor.source).toContain(composeId);
    expect(doctor.target).toMatchObject({ composeId, dokployVersion: 'v0.25.5' });
    expect(keyed(doctor)).toEqual(
      expect.arrayContaining([
        'JWT_IDENTICAL_KEYS:ANON_KEY',
        'JWT_ISS_DOKPLOY:ANON_KEY',
        'PUBLIC_URL_HTTPS_ON_HTTP_DOMAIN:SUPABASE_PUBLIC_URL',
        'SMTP_FAKE_DEFAULTS:SMTP_HOST',
      ]),
    );
    expectNoWindowOf(JSON.stringify(res), composeSecrets);
  });

  it('a bad API key fails with the source error, the key hidden; no Dokploy config says what to add', async () => {
    const bad = failed(await server.call('dokploy_validate_config', { instance: 'wrongkey' }));
    expect(bad.code).toBe('SELFHOST_DOCTOR_SOURCE_FAILED');
    expect(bad.message).toMatch(/Fix:/);
    const none = failed(await server.call('dokploy_validate_config', { instance: 'plain' }));
    expect(none.code).toBe('MCP_INSTANCE_UNSUPPORTED');
    expect(none.message).toMatch(/"dokploy"/);
  });
});

describe('diff_env', () => {
  it(".env.example against the instance's Dokploy compose, secrets masked", async () => {
    const res = await server.call('diff_env', { left: ENV_EXAMPLE });
    const diff = ok<Diff>(res);
    expect(diff).toMatchObject({ left: ENV_EXAMPLE, right: `Dokploy compose ${composeId}` });
    expect(diff.summary.changed).toBeGreaterThan(0);
    const jwt = diff.entries.find((e) => e.key === 'JWT_SECRET');
    expect(jwt).toMatchObject({ status: 'changed', secret: true });
    expect(jwt?.left).not.toBe(secretsOf(exampleText).JWT_SECRET);
    expectNoWindowOf(JSON.stringify(res), { ...secretsOf(exampleText), ...composeSecrets });
  });

  it('two env texts: added, removed, changed; a changed secret shows only its mask', async () => {
    const secret = 'abcdefghijklmnopqrstuvwxyz012345';
    const diff = ok<Diff>(
      await server.call('diff_env', {
        leftEnv: `SITE_URL=http://localhost:3000\nJWT_SECRET=${secret}\nOLD=1\n`,
        rightEnv:
          'SITE_URL=https://app.acme.dev\nJWT_SECRET=another-secret-of-32-characters!!\nNEW=2\n',
      }),
    );
    expect(diff.summary).toMatchObject({ added: 1, removed: 1, changed: 2 });
    expect(diff.entries.find((e) => e.key === 'SITE_URL')).toMatchObject({
      left: 'http://localhost:3000',
      right: 'https://app.acme.dev',
      secret: false,
    });
    expect(JSON.stringify(diff)).not.toContain(secret.slice(4, 28));
    expect(failed(await server.call('diff_env', { rightEnv: 'A=1\n' })).message).toMatch(/left/);
  });
});
