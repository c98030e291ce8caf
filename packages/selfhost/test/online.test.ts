import { createDokployClient, type DokployClient } from '@supaops/dokploy-client';
import { type DokploySimulator, startDokploySimulator } from '@supaops/dokploy-simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { DoctorSourceError } from '../src/errors.js';
import {
  assertEnvWritable,
  EnvCiphertextError,
  isSecretVariable,
  parseEnv,
  setEnvValues,
  toEnvRecord,
  validateConfig,
} from '../src/index.js';

/**
 * The doctor online, against the loopback Dokploy simulator: the Supabase template deployed
 * with compose.deployTemplate at a given Dokploy version, read back through the typed client.
 */

let sim: DokploySimulator | undefined;

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function deploySupabase(
  version: string,
): Promise<{ client: DokployClient; composeId: string }> {
  sim = await startDokploySimulator({ version });
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
  return { client, composeId: compose.composeId };
}

const keyed = (result: Awaited<ReturnType<typeof validateConfig>>) =>
  result.findings.map((f) => `${f.code}:${f.variable ?? ''}`);

function expectNoSecretIn(json: string, env: Record<string, string>): void {
  for (const [name, value] of Object.entries(env)) {
    if (!isSecretVariable(name) || value.length < 16) continue;
    for (let i = 0; i + 9 <= value.length; i++)
      expect(json, name).not.toContain(value.slice(i, i + 9));
  }
}

describe('validateConfig online (Dokploy simulator)', () => {
  it('Dokploy 0.25.5: bug A keys, https URLs on the http-only domain, fake SMTP, localhost SITE_URL', async () => {
    const { client, composeId } = await deploySupabase('0.25.5');
    const result = await validateConfig({ dokploy: client, composeId });
    expect(result.mode).toBe('online');
    expect(result.target).toMatchObject({ composeId, dokployVersion: 'v0.25.5' });
    expect(result.target?.appName).toMatch(/^shop-supabase-[a-z0-9]{6}$/);
    expect(keyed(result)).toEqual(
      expect.arrayContaining([
        'JWT_IDENTICAL_KEYS:ANON_KEY',
        'JWT_ROLE_MISSING:ANON_KEY',
        'JWT_ROLE_MISSING:SERVICE_ROLE_KEY',
        'JWT_ISS_DOKPLOY:ANON_KEY',
        'JWT_EXP_DOKPLOY_FIXED_DATE:ANON_KEY',
        'PUBLIC_URL_HTTPS_ON_HTTP_DOMAIN:SUPABASE_PUBLIC_URL',
        'PUBLIC_URL_HTTPS_ON_HTTP_DOMAIN:API_EXTERNAL_URL',
        'SMTP_FAKE_DEFAULTS:SMTP_HOST',
        'SITE_URL_LOCALHOST:SITE_URL',
        'REDIRECT_URL_SCHEME_MISMATCH:ADDITIONAL_REDIRECT_URLS',
        'REDIRECT_URLS_LOCALHOST:ADDITIONAL_REDIRECT_URLS',
        'FUNCTIONS_VERIFY_JWT_DISABLED:FUNCTIONS_VERIFY_JWT',
      ]),
    );
    const codes = result.findings.map((f) => f.code);
    for (const absent of [
      'SECRET_DEMO_VALUE',
      'REQUIRED_VARIABLE_MISSING',
      'DOMAIN_MISSING',
      'ENV_UNKNOWN_VARIABLE',
    ])
      expect(codes).not.toContain(absent);
    expect(result.exitCode).toBe(1);
    expect(result.skipped).toContainEqual({
      check: 'pooler.max_connections',
      reason: 'no database was given',
    });
    const env = toEnvRecord(parseEnv((await client.compose.one({ composeId })).env ?? ''));
    expectNoSecretIn(JSON.stringify(result), env);
  });

  it('Dokploy 0.25.6: correct keys, only the fixed 2030 expiry left of the key findings', async () => {
    const { client, composeId } = await deploySupabase('0.25.6');
    const result = await validateConfig({ dokploy: client, composeId });
    const keyFindings = keyed(result).filter((k) => k.startsWith('JWT_'));
    expect(keyFindings.sort()).toEqual([
      'JWT_EXP_DOKPLOY_FIXED_DATE:ANON_KEY',
      'JWT_EXP_DOKPLOY_FIXED_DATE:SERVICE_ROLE_KEY',
    ]);
  });

  it('is clean of the URL and SMTP errors once the domain serves https and the env is fixed', async () => {
    const { client, composeId } = await deploySupabase('0.25.6');
    const compose = await client.compose.one({ composeId });
    const domain = compose.domains?.[0];
    expect(domain?.serviceName).toBe('kong');
    await client.domain.update({
      domainId: domain?.domainId as string,
      host: domain?.host as string,
      https: true,
      certificateType: 'letsencrypt',
    });
    const env = setEnvValues(compose.env ?? '', {
      SITE_URL: 'https://app.acme.dev',
      ADDITIONAL_REDIRECT_URLS: 'https://app.acme.dev/**',
      SMTP_HOST: 'smtp.mailprovider.net',
      SMTP_PORT: '587',
      SMTP_USER: 'apikey',
      SMTP_PASS: 'Vb6Nc1Ys5Ad0FgK8hq2Lw9Zr4Tx7Pm3Q',
      SMTP_ADMIN_EMAIL: 'auth@mail.acme.dev',
      FUNCTIONS_VERIFY_JWT: 'true',
    });
    await client.compose.update({ composeId, env });
    const result = await validateConfig({ dokploy: client, composeId });
    expect(result.findings.filter((f) => !f.code.startsWith('JWT_EXP_DOKPLOY'))).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it('reports a missing domain', async () => {
    const { client, composeId } = await deploySupabase('0.30.2');
    const [domain] = await client.domain.byComposeId({ composeId });
    await client.domain.delete({ domainId: domain?.domainId as string });
    const result = await validateConfig({ dokploy: client, composeId });
    expect(result.findings.map((f) => f.code)).toContain('DOMAIN_MISSING');
    // without a domain the URL scheme cannot be compared; http-ness is still reported
    expect(result.findings.map((f) => f.code)).not.toContain('PUBLIC_URL_HTTPS_ON_HTTP_DOMAIN');
  });

  it('Dokploy 0.30.2 after a BETTER_AUTH_SECRET change: the env is ciphertext and must not be written back', async () => {
    const { client, composeId } = await deploySupabase('0.30.2');
    sim?.changeAuthSecret();
    const compose = await client.compose.one({ composeId });
    expect(compose.env).toMatch(/^enc:v1:/);
    expect(() => assertEnvWritable(compose.env ?? '')).toThrow(EnvCiphertextError);
    expect(() => setEnvValues(compose.env ?? '', { SITE_URL: 'https://x.dev' })).toThrow(
      EnvCiphertextError,
    );
    const result = await validateConfig({ dokploy: client, composeId });
    expect(
      result.findings
        .filter((f) => f.code.startsWith('ENV_') || f.code.startsWith('JWT_'))
        .map((f) => f.code),
    ).toEqual(['ENV_CIPHERTEXT']);
    expect(result.skipped.map((s) => s.check)).toContain('env');
    expect(result.exitCode).toBe(1);
  });

  it('fails with a typed error when the compose cannot be read', async () => {
    const { client } = await deploySupabase('0.30.2');
    const error = await validateConfig({ dokploy: client, composeId: 'nope' }).catch((e) => e);
    expect(DoctorSourceError.isInstance(error)).toBe(true);
    expect(error.message).toContain('compose nope');
    expect(error.message).not.toContain(sim?.apiKey);
  });

  it('validates its input', async () => {
    await expect(validateConfig({ dokploy: {} as DokployClient, composeId: 'x' })).rejects.toThrow(
      /DokployClient/,
    );
  });
});
