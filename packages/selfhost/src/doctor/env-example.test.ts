import { describe, expect, it } from 'vitest';
import { ENV_EXAMPLE } from '../../test/helpers.js';
import { parseEnv, toEnvRecord } from '../env/parse.js';
import { isSecretVariable } from '../env/schema/table.js';
import { validateConfig, validateEnv } from './validate-config.js';

const NOW = new Date('2026-09-01T00:00:00Z');

describe("the doctor on upstream's .env.example (issue 15)", () => {
  const result = validateEnv(ENV_EXAMPLE, { now: NOW });
  const found = result.findings.map((f) => `${f.code}:${f.variable}`);

  it('reports the demo keys, the demo secret, the http URLs and the fake SMTP', () => {
    expect(found).toEqual(
      expect.arrayContaining([
        'JWT_DEMO_KEY:ANON_KEY',
        'JWT_DEMO_KEY:SERVICE_ROLE_KEY',
        'JWT_SECRET_DEMO:JWT_SECRET',
        'PUBLIC_URL_HTTP:SUPABASE_PUBLIC_URL',
        'PUBLIC_URL_HTTP:API_EXTERNAL_URL',
        'SMTP_FAKE_DEFAULTS:SMTP_HOST',
      ]),
    );
  });

  it('reports the tenant placeholder, the default dashboard password and the demo secrets', () => {
    expect(found).toEqual(
      expect.arrayContaining([
        'POOLER_TENANT_ID_PLACEHOLDER:POOLER_TENANT_ID',
        'DASHBOARD_PASSWORD_DEFAULT:DASHBOARD_PASSWORD',
        'SECRET_DEMO_VALUE:POSTGRES_PASSWORD',
        'SECRET_DEMO_VALUE:VAULT_ENC_KEY',
        'SECRET_DEMO_VALUE:SECRET_KEY_BASE',
        'SECRET_DEMO_VALUE:PG_META_CRYPTO_KEY',
        'FUNCTIONS_VERIFY_JWT_DISABLED:FUNCTIONS_VERIFY_JWT',
      ]),
    );
    expect(result.exitCode).toBe(1);
    expect(result.summary.errors).toBeGreaterThanOrEqual(10);
  });

  it('never prints a secret: no 9 characters of any secret value appear in the JSON', () => {
    const json = JSON.stringify(result);
    const env = toEnvRecord(parseEnv(ENV_EXAMPLE));
    let checked = 0;
    for (const [name, value] of Object.entries(env)) {
      if (!isSecretVariable(name) || value.length < 9) continue;
      checked++;
      for (let i = 0; i + 9 <= value.length; i++) {
        expect(json, `${name} leaked`).not.toContain(value.slice(i, i + 9));
      }
    }
    expect(checked).toBeGreaterThanOrEqual(12);
  });

  it('gives the same findings through validateConfig, with the database check skipped', async () => {
    const online = await validateConfig({ env: ENV_EXAMPLE, now: NOW });
    expect(online.findings).toEqual(result.findings);
    expect(online.skipped).toContainEqual({
      check: 'pooler.max_connections',
      reason: 'no database was given',
    });
  });
});
