import { describe, expect, it } from 'vitest';
import {
  checkSecretConstraints,
  DEMO_ANON_KEY,
  DEMO_JWT_SECRET,
  DEMO_SERVICE_ROLE_KEY,
  diagnoseKeys,
  planKeyRepair,
} from '../src/index.js';
import { ENV_EXAMPLE_PATH, handVerifyHs256, readDotenv } from './helpers.js';

/** Upstream's docker/.env.example (copied into fixtures/): the public demo values. */
describe('supabase docker/.env.example', () => {
  const env = readDotenv(ENV_EXAMPLE_PATH);

  it('holds exactly the demo constants of this package', () => {
    expect(env.JWT_SECRET).toBe(DEMO_JWT_SECRET);
    expect(env.ANON_KEY).toBe(DEMO_ANON_KEY);
    expect(env.SERVICE_ROLE_KEY).toBe(DEMO_SERVICE_ROLE_KEY);
  });

  it('its demo keys verify against the demo secret (independent HMAC) and are flagged demo', () => {
    expect(handVerifyHs256(env.ANON_KEY as string, env.JWT_SECRET as string)).toBe(true);
    expect(handVerifyHs256(env.SERVICE_ROLE_KEY as string, env.JWT_SECRET as string)).toBe(true);
    const diagnosis = diagnoseKeys(env, { now: Date.UTC(2026, 0, 1) });
    const found = diagnosis.findings.map((item) => `${item.code}:${item.variable}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'JWT_SECRET_DEMO:JWT_SECRET',
        'JWT_DEMO_KEY:ANON_KEY',
        'JWT_DEMO_KEY:SERVICE_ROLE_KEY',
      ]),
    );
    expect(found).not.toContain('JWT_SIGNATURE_INVALID:ANON_KEY');
    expect(diagnosis.ok).toBe(false);
    // after 2027-01-09 the demo keys are also expired
    expect(
      diagnoseKeys(env, { now: Date.UTC(2027, 1, 1) }).findings.map((item) => item.code),
    ).toContain('JWT_EXPIRED');
  });

  it('its placeholder secrets break their constraints', () => {
    const violations = checkSecretConstraints(env).map((item) => item.variable);
    expect(violations).toEqual(
      expect.arrayContaining([
        'JWT_SECRET',
        'POSTGRES_PASSWORD',
        'DASHBOARD_PASSWORD',
        'VAULT_ENC_KEY',
        'PG_META_CRYPTO_KEY',
      ]),
    );
  });

  it('a repair plan replaces the secret and both keys, and the result is clean', async () => {
    const plan = await planKeyRepair(env);
    expect(plan.rotateSecret).toBe(true);
    expect(plan.after.findings).toEqual([]);
    expect(plan.summary.join('\n')).not.toContain(plan.changes.JWT_SECRET as string);
  });
});
