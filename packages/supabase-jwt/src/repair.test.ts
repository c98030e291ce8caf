import { describe, expect, it } from 'vitest';
import {
  DAY,
  handKeys,
  handSignHs256,
  handVerifyHs256,
  leaks,
  NOW,
  NOW_MS,
  randomAlnum,
  secretParts,
} from '../test/helpers.js';
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from './demo.js';
import { InvalidInputError } from './errors.js';
import { generateNewStyleKeys } from './generate-env.js';
import { planKeyRepair } from './repair.js';
import { verifyWithJwks } from './signing-keys.js';

describe('planKeyRepair', () => {
  it('re-signs broken keys with the existing secret when the secret is sound (Dokploy bug A)', async () => {
    const secret = randomAlnum(40);
    const broken = handSignHs256({ iat: NOW - DAY, exp: 1_893_456_000, iss: 'dokploy' }, secret);
    const env = {
      JWT_SECRET: secret,
      ANON_KEY: broken,
      SERVICE_ROLE_KEY: broken,
      POSTGRES_PASSWORD: 'keep',
    };
    const plan = await planKeyRepair(env, { now: NOW_MS });
    expect(plan.needed).toBe(true);
    expect(plan.rotateSecret).toBe(false);
    expect(Object.keys(plan.changes).sort()).toEqual(['ANON_KEY', 'SERVICE_ROLE_KEY']);
    expect(handVerifyHs256(plan.changes.ANON_KEY as string, secret)).toBe(true);
    expect(handVerifyHs256(plan.changes.SERVICE_ROLE_KEY as string, secret)).toBe(true);
    expect(plan.findings.map((item) => item.code)).toContain('JWT_IDENTICAL_KEYS');
    expect(plan.after.ok).toBe(true);
    expect(plan.after.findings).toEqual([]);
    expect(plan.consequences.restartServices).toEqual([
      'functions',
      'kong',
      'realtime',
      'storage',
      'studio',
    ]);
    expect(plan.consequences.clientsToUpdate.join(' ')).toContain('old ANON_KEY');
    expect(plan.consequences.notes.join(' ')).not.toContain('sign in again');
    for (const line of plan.summary)
      expect(leaks(line, [secret, ...secretParts(plan.changes)])).toBeUndefined();
  });

  it('re-signs only the broken key', async () => {
    const secret = randomAlnum(40);
    const keys = handKeys(secret, { service: { exp: NOW - 10 } });
    const plan = await planKeyRepair(
      { JWT_SECRET: secret, ...keys },
      { now: NOW_MS, expiresIn: '1y' },
    );
    expect(Object.keys(plan.changes)).toEqual(['SERVICE_ROLE_KEY']);
    expect(plan.consequences.clientsToUpdate).toHaveLength(1);
    expect(plan.consequences.clientsToUpdate[0]).toContain('SERVICE_ROLE_KEY');
    expect(plan.consequences.restartServices).toEqual(['functions', 'kong', 'storage', 'studio']);
    expect(plan.after.ok).toBe(true);
  });

  it('replaces a demo secret and all keys (bug C), listing every JWT_SECRET consumer', async () => {
    const env = {
      JWT_SECRET: DEMO_JWT_SECRET,
      ANON_KEY: DEMO_ANON_KEY,
      SERVICE_ROLE_KEY: DEMO_SERVICE_ROLE_KEY,
    };
    const plan = await planKeyRepair(env, { now: NOW_MS, jwtSecretLength: 48 });
    expect(plan.rotateSecret).toBe(true);
    expect(plan.changes.JWT_SECRET).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(
      handVerifyHs256(plan.changes.ANON_KEY as string, plan.changes.JWT_SECRET as string),
    ).toBe(true);
    expect(plan.consequences.restartServices).toEqual([
      'auth',
      'db',
      'functions',
      'kong',
      'realtime',
      'rest',
      'storage',
      'studio',
      'supavisor',
    ]);
    expect(plan.consequences.notes.join(' ')).toContain('sign in again');
    expect(plan.consequences.notes.join(' ')).toContain('app.settings.jwt_secret');
    expect(plan.after.ok).toBe(true);
    expect(plan.summary.join('\n')).not.toContain(plan.changes.JWT_SECRET);
  });

  it('replaces a missing or short secret', async () => {
    const missing = await planKeyRepair({ ANON_KEY: 'x' }, { now: NOW_MS });
    expect(missing.rotateSecret).toBe(true);
    expect(missing.after.ok).toBe(true);
    expect(missing.summary[0]).toContain('(unset)');
    const short = randomAlnum(20);
    const plan = await planKeyRepair({ JWT_SECRET: short, ...handKeys(short) }, { now: NOW_MS });
    expect(plan.rotateSecret).toBe(true);
  });

  it('plans nothing for a healthy env', async () => {
    const secret = randomAlnum(40);
    const plan = await planKeyRepair({ JWT_SECRET: secret, ...handKeys(secret) }, { now: NOW_MS });
    expect(plan.needed).toBe(false);
    expect(plan.changes).toEqual({});
    expect(plan.consequences).toEqual({ restartServices: [], clientsToUpdate: [], notes: [] });
  });

  it('only trims untrimmed values, without asking clients to update', async () => {
    const secret = randomAlnum(40);
    const keys = handKeys(secret);
    const plan = await planKeyRepair(
      {
        JWT_SECRET: secret,
        ANON_KEY: ` ${keys.ANON_KEY}\n`,
        SERVICE_ROLE_KEY: keys.SERVICE_ROLE_KEY,
      },
      { now: NOW_MS },
    );
    expect(plan.changes).toEqual({ ANON_KEY: keys.ANON_KEY });
    expect(plan.consequences.clientsToUpdate).toEqual([]);
    const secretPlan = await planKeyRepair({ JWT_SECRET: `'${secret}'`, ...keys }, { now: NOW_MS });
    expect(secretPlan.changes).toEqual({ JWT_SECRET: secret });
    expect(secretPlan.rotateSecret).toBe(false);
    const newStyle = await generateNewStyleKeys({ secret, now: NOW_MS });
    const sbPlan = await planKeyRepair(
      {
        JWT_SECRET: secret,
        ...keys,
        ...newStyle,
        SUPABASE_SECRET_KEY: `${newStyle.SUPABASE_SECRET_KEY} `,
      },
      { now: NOW_MS },
    );
    expect(sbPlan.changes).toEqual({ SUPABASE_SECRET_KEY: newStyle.SUPABASE_SECRET_KEY });
    expect(sbPlan.after.findings).toEqual([]);
  });

  it('rebuilds new-style keys when the secret is replaced, and they verify', async () => {
    const env = {
      JWT_SECRET: DEMO_JWT_SECRET,
      ...handKeys(DEMO_JWT_SECRET),
      ...(await generateNewStyleKeys({ secret: DEMO_JWT_SECRET, now: NOW_MS })),
    };
    const plan = await planKeyRepair(env, { now: NOW_MS });
    expect(Object.keys(plan.changes).sort()).toEqual([
      'ANON_KEY',
      'ANON_KEY_ASYMMETRIC',
      'JWT_JWKS',
      'JWT_KEYS',
      'JWT_SECRET',
      'SERVICE_ROLE_KEY',
      'SERVICE_ROLE_KEY_ASYMMETRIC',
    ]);
    const verified = await verifyWithJwks({
      token: plan.changes.ANON_KEY_ASYMMETRIC as string,
      jwks: plan.changes.JWT_JWKS as string,
      now: NOW_MS,
    });
    expect(verified.payload.role).toBe('anon');
    expect(plan.after.ok).toBe(true);
    expect(plan.after.findings).toEqual([]);
  });

  it('repairs a JWKS mismatch and broken sb_ keys without touching the legacy keys', async () => {
    const secret = randomAlnum(40);
    const newStyle = await generateNewStyleKeys({ secret, now: NOW_MS });
    const other = await generateNewStyleKeys({ secret, now: NOW_MS });
    const env = {
      JWT_SECRET: secret,
      ...handKeys(secret),
      ...newStyle,
      JWT_JWKS: other.JWT_JWKS,
      SUPABASE_PUBLISHABLE_KEY: newStyle.SUPABASE_SECRET_KEY,
    };
    const plan = await planKeyRepair(env, { now: NOW_MS, projectRef: 'supabase-self-hosted' });
    expect(plan.changes.ANON_KEY).toBeUndefined();
    expect(Object.keys(plan.changes).sort()).toEqual([
      'ANON_KEY_ASYMMETRIC',
      'JWT_JWKS',
      'JWT_KEYS',
      'SERVICE_ROLE_KEY_ASYMMETRIC',
      'SUPABASE_PUBLISHABLE_KEY',
      'SUPABASE_SECRET_KEY',
    ]);
    expect(plan.consequences.restartServices).toEqual([
      'auth',
      'functions',
      'kong',
      'realtime',
      'rest',
      'storage',
    ]);
    expect(plan.consequences.clientsToUpdate.join(' ')).toContain('sb_publishable_');
    expect(plan.after.ok).toBe(true);
  });

  it('adds missing asymmetric keys for sb_ keys', async () => {
    const secret = randomAlnum(40);
    const newStyle = await generateNewStyleKeys({ secret, now: NOW_MS });
    const env = {
      JWT_SECRET: secret,
      ...handKeys(secret),
      ...newStyle,
      ANON_KEY_ASYMMETRIC: undefined,
    };
    const plan = await planKeyRepair(env, { now: NOW_MS });
    expect(Object.keys(plan.changes).sort()).toEqual([
      'ANON_KEY_ASYMMETRIC',
      'SERVICE_ROLE_KEY_ASYMMETRIC',
    ]);
    expect(plan.after.findings).toEqual([]);
  });

  it('validates env and options', async () => {
    await expect(planKeyRepair(5 as never)).rejects.toThrow(InvalidInputError);
    await expect(planKeyRepair({}, { jwtSecretLength: 8 })).rejects.toThrow(InvalidInputError);
  });
});
