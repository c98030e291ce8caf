// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose ${…} syntax is the test data
import { FINDING_CODES, generateLegacyApiKeys, generateSigningKeys } from '@supaops/supabase-jwt';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOST, healthyEnv } from '../../test/helpers.js';
import { isSecretVariable } from '../env/schema/table.js';
import { serializeEnvRecord } from '../env/serialize.js';
import { DOCTOR_FINDING_CODES, type DoctorFindingCode, type DoctorResult } from './finding.js';
import { OWN_CODES } from './own-codes.js';
import { type ValidateEnvOptions, validateEnv } from './validate-config.js';

const NOW = new Date('2026-09-01T00:00:00Z');
const DOMAIN = { host: HOST, https: true };
const NO_ANALYTICS = [
  'studio',
  'kong',
  'auth',
  'rest',
  'realtime',
  'storage',
  'imgproxy',
  'meta',
  'functions',
  'db',
  'supavisor',
];

let base: Record<string, string>;
beforeAll(async () => {
  base = await healthyEnv(NOW);
});

interface Case {
  /** Changes to the healthy env ('' empties a value). */
  patch?: Record<string, string>;
  /** Env text built from the patched env, then transformed. */
  text?: (text: string) => string;
  options?: ValidateEnvOptions;
}

function run(c: Case): DoctorResult {
  const env = { ...base, ...c.patch };
  const input = c.text ? c.text(serializeEnvRecord(env)) : env;
  return validateEnv(input, { now: NOW, domain: DOMAIN, ...c.options });
}

const replaceLine = (key: string, line: string) => (text: string) =>
  text.replace(new RegExp(`^${key}=.*$`, 'm'), line);

const LONG_NAME = 'a'.repeat(50);

/** One near-miss pair per own code: the positive must report it, the negative must not. */
const CASES: Partial<Record<DoctorFindingCode, { positive: Case; negative: Case }>> = {
  ENV_CIPHERTEXT: {
    positive: { text: () => `enc:v1:${Buffer.alloc(60, 3).toString('base64')}` },
    negative: { text: (t) => t },
  },
  ENV_SYNTAX_ERROR: {
    positive: { text: (t) => `${t}this is not a line\n` },
    negative: { text: (t) => `${t}# this is a comment\n` },
  },
  ENV_DUPLICATE_KEY: {
    positive: { text: (t) => `${t}SITE_URL=https://app.acme.dev\n` },
    negative: { text: (t) => t },
  },
  ENV_INHERITED_KEY: {
    positive: { text: (t) => `${t}MY_FLAG\n` },
    negative: { text: (t) => `${t}MY_FLAG=\n` },
  },
  ENV_UNDEFINED_REFERENCE: {
    positive: { text: replaceLine('SMTP_SENDER_NAME', 'SMTP_SENDER_NAME=Acme $Team') },
    negative: { text: replaceLine('SMTP_SENDER_NAME', "SMTP_SENDER_NAME='Acme $Team'") },
  },
  ENV_INTERPOLATION_ERROR: {
    positive: { text: replaceLine('SMTP_SENDER_NAME', 'SMTP_SENDER_NAME=${password:32}') },
    negative: { text: replaceLine('SMTP_SENDER_NAME', 'SMTP_SENDER_NAME=${SMTP_USER}') },
  },
  ENV_UNKNOWN_VARIABLE: {
    positive: { patch: { JWT_EXP: '3600' } },
    negative: { patch: { APP_NAME: 'x' } },
  },
  ENV_VALUE_INVALID: {
    positive: { patch: { SMTP_PORT: 'abc' } },
    negative: { patch: { SMTP_PORT: '465' } },
  },
  REQUIRED_VARIABLE_MISSING: {
    positive: { patch: { PGRST_DB_SCHEMAS: '' } },
    negative: {
      patch: { PGRST_DB_SCHEMAS: '' },
      options: { services: NO_ANALYTICS.filter((s) => s !== 'rest' && s !== 'studio') },
    },
  },
  SECRET_DEMO_VALUE: {
    positive: { patch: { VAULT_ENC_KEY: 'your-32-character-encryption-key' } },
    negative: { patch: { VAULT_ENC_KEY: 'Vb6Nc1Ys5Ad0FgK8hq2Lw9Zr4Tx7Pm3Q' } },
  },
  DASHBOARD_PASSWORD_DEFAULT: {
    positive: { patch: { DASHBOARD_PASSWORD: 'this_password_is_insecure_and_should_be_updated' } },
    negative: {},
  },
  SECRET_PLACEHOLDER: {
    positive: { patch: { OPENAI_API_KEY: 'sk-proj-xxxxxxxx' } },
    negative: { patch: { OPENAI_API_KEY: 'sk-proj-Vb6Nc1Ys5Ad0FgK8' } },
  },
  SECRET_LENGTH_INVALID: {
    positive: { patch: { VAULT_ENC_KEY: 'Vb6Nc1Ys5Ad0FgK8hq2Lw9Zr4Tx7Pm3' } },
    negative: { patch: { VAULT_ENC_KEY: 'Vb6Nc1Ys5Ad0FgK8hq2Lw9Zr4Tx7Pm3Q' } },
  },
  SECRET_CONSTRAINT_VIOLATED: {
    positive: { patch: { DASHBOARD_USERNAME: 'admin-user' } },
    negative: { patch: { DASHBOARD_USERNAME: 'admin_user' } },
  },
  POSTGRES_PASSWORD_BREAKS_URLS: {
    positive: { patch: { POSTGRES_PASSWORD: 'Vb6Nc1Ys5@d0FgK8hq2Lw9' } },
    negative: { patch: { POSTGRES_PASSWORD: 'Vb6Nc1Ys5Ad0FgK8hq2Lw9' } },
  },
  SECRETS_REUSED: {
    positive: {
      patch: {
        get DASHBOARD_PASSWORD() {
          return base.POSTGRES_PASSWORD as string;
        },
      },
    },
    negative: {},
  },
  URL_INVALID: {
    positive: { patch: { SITE_URL: 'app.acme.dev' } },
    negative: { patch: { SITE_URL: 'https://app.acme.dev' } },
  },
  PUBLIC_URL_HTTP: {
    positive: {
      patch: { SUPABASE_PUBLIC_URL: `http://${HOST}`, API_EXTERNAL_URL: `http://${HOST}` },
      options: { domain: undefined },
    },
    negative: { options: { domain: undefined } },
  },
  PUBLIC_URL_HTTP_ON_HTTPS_DOMAIN: {
    positive: { patch: { SUPABASE_PUBLIC_URL: `http://${HOST}` } },
    negative: {
      patch: { SUPABASE_PUBLIC_URL: `http://${HOST}`, API_EXTERNAL_URL: `http://${HOST}` },
      options: { domain: { host: HOST, https: false } },
    },
  },
  PUBLIC_URL_HTTPS_ON_HTTP_DOMAIN: {
    positive: { options: { domain: { host: HOST, https: false, certificateType: 'none' } } },
    negative: {},
  },
  PUBLIC_URL_HOST_MISMATCH: {
    positive: { patch: { SUPABASE_PUBLIC_URL: 'https://other.acme.dev' } },
    negative: {},
  },
  PUBLIC_URLS_DISAGREE: {
    positive: {
      patch: { API_EXTERNAL_URL: 'https://auth.acme.dev' },
      options: { domain: undefined },
    },
    negative: { options: { domain: undefined } },
  },
  API_EXTERNAL_URL_TRAILING_SLASH: {
    positive: { patch: { API_EXTERNAL_URL: `https://${HOST}/` } },
    negative: { patch: { API_EXTERNAL_URL: `https://${HOST}/auth/v1` } },
  },
  API_EXTERNAL_URL_PATH: {
    positive: { patch: { API_EXTERNAL_URL: `https://${HOST}/api` } },
    negative: { patch: { API_EXTERNAL_URL: `https://${HOST}/auth/v1` } },
  },
  API_EXTERNAL_URL_MALFORMED: {
    positive: { patch: { API_EXTERNAL_URL: `https://${HOST}?x=1` } },
    negative: {},
  },
  SITE_URL_LOCALHOST: {
    positive: { patch: { SITE_URL: 'http://localhost:3000' } },
    negative: {
      patch: {
        SITE_URL: 'http://localhost:3000',
        SUPABASE_PUBLIC_URL: 'http://localhost:8000',
        API_EXTERNAL_URL: 'http://localhost:8000',
      },
      options: { domain: undefined },
    },
  },
  SITE_URL_SCHEME_MISMATCH: {
    positive: { patch: { SITE_URL: 'http://app.acme.dev' } },
    negative: { patch: { SITE_URL: 'https://app.acme.dev' } },
  },
  REDIRECT_URL_INVALID: {
    positive: { patch: { ADDITIONAL_REDIRECT_URLS: 'https://app.acme.dev/**,localhost:3000/*' } },
    negative: {
      patch: { ADDITIONAL_REDIRECT_URLS: 'https://app.acme.dev/**,http://localhost:3000/*' },
    },
  },
  REDIRECT_URL_SCHEME_MISMATCH: {
    positive: { patch: { ADDITIONAL_REDIRECT_URLS: `http://${HOST}/*` } },
    negative: { patch: { ADDITIONAL_REDIRECT_URLS: `https://${HOST}/*` } },
  },
  REDIRECT_URLS_LOCALHOST: {
    positive: { patch: { ADDITIONAL_REDIRECT_URLS: 'http://localhost:3000/*' } },
    negative: {
      patch: {
        ADDITIONAL_REDIRECT_URLS: 'http://localhost:3000/*',
        SUPABASE_PUBLIC_URL: 'http://localhost:8000',
        API_EXTERNAL_URL: 'http://localhost:8000',
        SITE_URL: 'http://localhost:3000',
      },
      options: { domain: undefined },
    },
  },
  SMTP_FAKE_DEFAULTS: {
    positive: { patch: { SMTP_HOST: 'supabase-mail' } },
    negative: { patch: { SMTP_HOST: 'supabase-mail', ENABLE_EMAIL_AUTOCONFIRM: 'true' } },
  },
  SMTP_FAKE_WITH_AUTOCONFIRM: {
    positive: { patch: { SMTP_HOST: 'supabase-mail', ENABLE_EMAIL_AUTOCONFIRM: 'true' } },
    negative: { patch: { ENABLE_EMAIL_AUTOCONFIRM: 'true' } },
  },
  SMTP_NOT_CONFIGURED: {
    positive: { patch: { SMTP_HOST: '' } },
    negative: { patch: { SMTP_HOST: '', ENABLE_EMAIL_SIGNUP: 'false' } },
  },
  SMTP_SENDER_PLACEHOLDER: {
    positive: { patch: { SMTP_ADMIN_EMAIL: 'admin@example.com' } },
    negative: {},
  },
  POOLER_TENANT_ID_PLACEHOLDER: {
    positive: { patch: { POOLER_TENANT_ID: 'your-tenant-id' } },
    negative: {},
  },
  POOLER_TENANT_ID_INVALID: {
    positive: { patch: { POOLER_TENANT_ID: 'tenant.one' } },
    negative: { patch: { POOLER_TENANT_ID: 'tenant-one' } },
  },
  POOLER_POOL_SIZE_ABOVE_CLIENT_LIMIT: {
    positive: { patch: { POOLER_DEFAULT_POOL_SIZE: '200' } },
    negative: { patch: { POOLER_DEFAULT_POOL_SIZE: '100' } },
  },
  FUNCTIONS_VERIFY_JWT_DISABLED: {
    positive: { patch: { FUNCTIONS_VERIFY_JWT: '1' } },
    negative: {
      patch: { FUNCTIONS_VERIFY_JWT: 'false' },
      options: { services: NO_ANALYTICS.filter((s) => s !== 'functions') },
    },
  },
  ANALYTICS_TOKENS_MISSING: {
    positive: { patch: { LOGFLARE_PUBLIC_ACCESS_TOKEN: '' } },
    negative: { patch: { LOGFLARE_PUBLIC_ACCESS_TOKEN: '' }, options: { services: NO_ANALYTICS } },
  },
  ANALYTICS_DOCKER_SOCKET_MISSING: {
    positive: { patch: { DOCKER_SOCKET_LOCATION: '' } },
    negative: { patch: { DOCKER_SOCKET_LOCATION: '' }, options: { services: NO_ANALYTICS } },
  },
  APP_NAME_INVALID: {
    positive: { options: { appName: 'my app' } },
    negative: { options: { appName: 'my-app' } },
  },
  APP_NAME_TOO_LONG: {
    positive: { options: { appName: 'a'.repeat(64) } },
    negative: { options: { appName: 'a'.repeat(63) } },
  },
  APP_NAME_MANGLED: {
    positive: { options: { appName: 'MyApp' } },
    negative: { options: { appName: 'myapp' } },
  },
  APP_NAME_NOT_DNS_SAFE: {
    positive: { options: { appName: 'my_app' } },
    negative: { options: { appName: 'my-app' } },
  },
  PROJECT_NAME_MANGLED: {
    positive: { options: { projectName: 'Café & Co' } },
    negative: { options: { projectName: 'Shop Two' } },
  },
  GENERATED_DOMAIN_LABEL_TOO_LONG: {
    positive: { options: { appName: LONG_NAME, dokployVersion: 'v0.25.5' } },
    negative: { options: { appName: LONG_NAME, dokployVersion: 'v0.25.7' } },
  },
  GENERATED_DOMAIN_NAME_TRUNCATED: {
    positive: { options: { appName: LONG_NAME, dokployVersion: 'v0.25.7' } },
    negative: { options: { appName: 'a'.repeat(40), dokployVersion: 'v0.25.7' } },
  },
};

/** Reported only where a database or Dokploy's domain list is involved: tested elsewhere. */
const ELSEWHERE: DoctorFindingCode[] = [
  'POOLER_POOL_SIZE_EXCEEDS_MAX_CONNECTIONS', // test/pool-size.test.ts
  'POOLER_POOL_SIZE_TIGHT', // test/pool-size.test.ts
  'DATABASE_UNREACHABLE', // test/pool-size.test.ts
  'DOMAIN_MISSING', // domain.test.ts, test/online.test.ts
  'DOMAIN_SERVICE_MISSING', // domain.test.ts
  'DOMAIN_HOST_INVALID', // domain.test.ts
];

describe('the doctor, code by code', () => {
  it('finds nothing in a healthy env', () => {
    const result = run({});
    expect(result.findings).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it('has a positive and a negative case for every own code', () => {
    const covered = new Set([...Object.keys(CASES), ...ELSEWHERE]);
    expect(Object.keys(OWN_CODES).filter((code) => !covered.has(code))).toEqual([]);
  });

  it.each(Object.entries(CASES))('%s', (code, { positive, negative }) => {
    const found = run(positive);
    const hit = found.findings.filter((f) => f.code === code);
    expect(hit.length, JSON.stringify(found.findings, null, 1)).toBeGreaterThan(0);
    for (const f of hit) {
      expect(f.severity).toBe(DOCTOR_FINDING_CODES[code as DoctorFindingCode].severity);
      expect(f.fix.length).toBeGreaterThan(10);
    }
    expect(found.exitCode).toBe(found.summary.errors > 0 ? 1 : 0);
    const missed = run(negative).findings.filter((f) => f.code === code);
    expect(missed).toEqual([]);
    // no generated secret of the env appears, not even 9 characters of it
    const json = JSON.stringify(found);
    for (const [name, value] of Object.entries(base)) {
      if (!isSecretVariable(name) || value.length < 16) continue;
      for (let i = 0; i + 9 <= value.length; i++) expect(json).not.toContain(value.slice(i, i + 9));
    }
  });

  it('passes on supabase-jwt key findings with their codes, severities and fixes', async () => {
    const { JWT_KEYS } = await generateSigningKeys({ secret: base.JWT_SECRET as string });
    const expiring = await generateLegacyApiKeys({
      secret: base.JWT_SECRET as string,
      now: NOW,
      expiresIn: '20d',
    });
    const result = validateEnv(
      { ...base, ...expiring, JWT_KEYS, JWT_JWKS: '' },
      { now: NOW, domain: DOMAIN },
    );
    const codes = result.findings.map((f) => `${f.code}:${f.variable}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'JWT_KEYS_WITHOUT_JWKS:JWT_JWKS',
        'JWT_EXPIRES_WITHIN_30_DAYS:ANON_KEY',
        'JWT_EXPIRES_WITHIN_30_DAYS:SERVICE_ROLE_KEY',
      ]),
    );
    const anon = result.findings.find((f) => f.code === 'JWT_EXPIRES_WITHIN_30_DAYS');
    expect(anon?.severity).toBe(FINDING_CODES.JWT_EXPIRES_WITHIN_30_DAYS.severity);
    expect(anon?.fix).toBe(FINDING_CODES.JWT_EXPIRES_WITHIN_30_DAYS.fix);
    expect(anon?.services).toEqual(['kong', 'studio', 'storage', 'functions', 'realtime']);
    const identical = validateEnv(
      { ...base, SERVICE_ROLE_KEY: base.ANON_KEY as string },
      { now: NOW },
    );
    expect(identical.findings.map((f) => f.code)).toContain('JWT_IDENTICAL_KEYS');
    expect(identical.exitCode).toBe(1);
  });

  it('lists every supabase-jwt code in its table unchanged', () => {
    for (const [code, info] of Object.entries(FINDING_CODES)) {
      expect(DOCTOR_FINDING_CODES[code as DoctorFindingCode]).toEqual({
        severity: info.severity,
        title: info.meaning,
        fix: info.fix,
      });
    }
    for (const code of Object.keys(DOCTOR_FINDING_CODES)) expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
  });

  it('returns a JSON-serializable result, sorted errors first', () => {
    const result = run({
      patch: { SMTP_HOST: 'supabase-mail', FUNCTIONS_VERIFY_JWT: 'false', JWT_EXP: '1' },
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect(result.findings.map((f) => f.severity)).toEqual(['error', 'warning', 'info']);
    expect(result.summary).toEqual({ errors: 1, warnings: 1, infos: 1 });
    expect(result.exitCode).toBe(1);
    expect(result.mode).toBe('offline');
  });
});
