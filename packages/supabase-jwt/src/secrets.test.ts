import { describe, expect, it } from 'vitest';
import { DEMO_JWT_SECRET } from './demo.js';
import { InvalidInputError, SecretConstraintError } from './errors.js';
import { randomString } from './random.js';
import {
  assertSecretConstraints,
  checkSecretConstraints,
  DEMO_SECRET_VALUES,
  generateSecrets,
  SECRET_CONSTRAINTS,
} from './secrets.js';

describe('generateSecrets', () => {
  it('returns the full set, each value within its documented constraint', () => {
    const secrets = generateSecrets();
    expect(Object.keys(secrets).sort()).toEqual(Object.keys(SECRET_CONSTRAINTS).sort());
    expect(secrets.JWT_SECRET).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(secrets.POSTGRES_PASSWORD).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(secrets.DASHBOARD_USERNAME).toBe('supabase');
    expect(secrets.DASHBOARD_PASSWORD).toMatch(/^(?=.*[A-Za-z])[A-Za-z0-9]{32}$/);
    expect(secrets.SECRET_KEY_BASE).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(secrets.VAULT_ENC_KEY).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(secrets.PG_META_CRYPTO_KEY.length).toBeGreaterThanOrEqual(32);
    expect(secrets.LOGFLARE_PUBLIC_ACCESS_TOKEN).not.toBe(secrets.LOGFLARE_PRIVATE_ACCESS_TOKEN);
    expect(secrets.S3_PROTOCOL_ACCESS_KEY_ID).toMatch(/^[0-9a-f]{32}$/);
    expect(secrets.S3_PROTOCOL_ACCESS_KEY_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(secrets.POOLER_TENANT_ID).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(checkSecretConstraints({ ...secrets }, { requireAll: true })).toEqual([]);
  });

  it('never repeats a value and avoids characters that break URLs or compose', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i += 1) {
      const secrets = generateSecrets();
      expect(seen.has(secrets.JWT_SECRET)).toBe(false);
      seen.add(secrets.JWT_SECRET);
      for (const value of Object.values(secrets)) expect(value).not.toMatch(/[@:/$#%?&=+ "']/);
    }
  });

  it('honours lengths and the username', () => {
    const secrets = generateSecrets({
      jwtSecretLength: 64,
      postgresPasswordLength: 20,
      dashboardPasswordLength: 16,
      dashboardUsername: 'admin_1',
    });
    expect(secrets.JWT_SECRET).toHaveLength(64);
    expect(secrets.POSTGRES_PASSWORD).toHaveLength(20);
    expect(secrets.DASHBOARD_PASSWORD).toHaveLength(16);
    expect(secrets.DASHBOARD_USERNAME).toBe('admin_1');
  });

  it.each([
    { jwtSecretLength: 31 },
    { jwtSecretLength: 40.5 },
    { postgresPasswordLength: 8 },
    { dashboardUsername: 'bad user' },
    { unknown: 1 },
  ])('rejects %j', (options) => {
    expect(() => generateSecrets(options as never)).toThrow(InvalidInputError);
  });

  it('draws uniformly enough from the alphanumeric alphabet', () => {
    const text = randomString(62_000);
    const counts = new Map<string, number>();
    for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(700);
      expect(count).toBeLessThan(1300);
    }
  });
});

describe('checkSecretConstraints', () => {
  const good = () => ({ ...generateSecrets() }) as Record<string, string | undefined>;

  it.each([
    ['JWT_SECRET', 'abc', 'at least 32'],
    ['JWT_SECRET', DEMO_JWT_SECRET, 'demo'],
    ['POSTGRES_PASSWORD', 'pa@ss:word/with$chars#1234', 'outside [A-Za-z0-9]'],
    ['POSTGRES_PASSWORD', 'a'.repeat(129), 'at most 128'],
    ['DASHBOARD_USERNAME', 'has space', '1-64'],
    ['DASHBOARD_PASSWORD', '1234567890123456', 'no letter'],
    ['SECRET_KEY_BASE', 'a'.repeat(63), 'exactly 64'],
    ['VAULT_ENC_KEY', 'a'.repeat(33), 'exactly 32'],
    ['PG_META_CRYPTO_KEY', 'short', 'at least 32'],
    ['S3_PROTOCOL_ACCESS_KEY_SECRET', 'short', 'at least 32'],
    ['POOLER_TENANT_ID', 'your-tenant', 'UUID'],
    ['POOLER_TENANT_ID', DEMO_SECRET_VALUES.POOLER_TENANT_ID, '.env.example'],
    ['POSTGRES_PASSWORD', DEMO_SECRET_VALUES.POSTGRES_PASSWORD, '.env.example'],
  ])('%s = %j violates (%s)', (variable, value, fragment) => {
    const env = { ...good(), [variable]: value };
    const violations = checkSecretConstraints(env);
    expect(violations.map((item) => item.variable)).toEqual([variable]);
    expect(violations[0]?.problem).toContain(fragment);
  });

  it('requires distinct Logflare tokens', () => {
    const env = good();
    env.LOGFLARE_PRIVATE_ACCESS_TOKEN = env.LOGFLARE_PUBLIC_ACCESS_TOKEN;
    expect(checkSecretConstraints(env).map((item) => item.problem)).toEqual([
      'equals LOGFLARE_PUBLIC_ACCESS_TOKEN',
    ]);
  });

  it('skips missing values unless requireAll', () => {
    expect(checkSecretConstraints({ JWT_SECRET: undefined, ANON_KEY: 'x' })).toEqual([]);
    expect(checkSecretConstraints({}, { requireAll: true })).toHaveLength(12);
  });

  it('assertSecretConstraints throws a redacted SecretConstraintError', () => {
    const env = { ...good(), SECRET_KEY_BASE: 'abcdefghijklmnopqrstuvwxyz', VAULT_ENC_KEY: 'x' };
    let caught: unknown;
    try {
      assertSecretConstraints(env);
    } catch (error) {
      caught = error;
    }
    expect(SecretConstraintError.isInstance(caught)).toBe(true);
    const error = caught as SecretConstraintError;
    expect(error.variable).toBe('SECRET_KEY_BASE');
    expect(error.message).toContain('abcd…wxyz');
    expect(error.message).not.toContain('abcdefghijklmnopqrstuvwxyz');
    expect(error.message).toContain('1 more');
    expect(() => assertSecretConstraints(good())).not.toThrow();
  });

  it('rejects a non-object env', () => {
    expect(() => checkSecretConstraints('x' as never)).toThrow(InvalidInputError);
  });
});
