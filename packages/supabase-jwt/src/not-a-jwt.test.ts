import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handKeys, handVerifyHs256, leaks, NOW_MS, randomAlnum } from '../test/helpers.js';
import { diagnoseKeys } from './diagnose.js';
import { generateNewStyleKeys } from './generate-env.js';
import { planKeyRepair } from './repair.js';

const SECRET = randomAlnum(40);

/** What Dokploy 0.21.0-0.21.7 put in ANON_KEY/SERVICE_ROLE_KEY: generateJwt(n) = randomBytes(n).hex. */
function dokployHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

describe('a key that is not a JWT at all', () => {
  it.each([32, 256])('Dokploy hex of %i bytes in both legacy keys', async (bytes) => {
    const env = {
      JWT_SECRET: SECRET,
      ANON_KEY: dokployHex(bytes),
      SERVICE_ROLE_KEY: dokployHex(bytes),
    };
    const result = diagnoseKeys(env, { now: NOW_MS });
    expect(result.findings.map((item) => `${item.code}:${item.variable}`)).toEqual([
      'JWT_NOT_A_JWT:ANON_KEY',
      'JWT_NOT_A_JWT:SERVICE_ROLE_KEY',
    ]);
    expect(result.findings[0]?.message).toContain(`${bytes * 2} hex characters`);
    expect(result.findings[0]?.message).toContain('Dokploy 0.21.0 to 0.21.7');
    for (const item of result.findings) {
      expect(
        leaks(`${item.message} ${item.fix}`, [env.ANON_KEY, env.SERVICE_ROLE_KEY]),
      ).toBeUndefined();
    }
    const plan = await planKeyRepair(env, { now: NOW_MS });
    expect(plan.rotateSecret).toBe(false);
    expect(handVerifyHs256(plan.changes.ANON_KEY as string, SECRET)).toBe(true);
    expect(plan.after.findings).toEqual([]);
  });

  it('names an sb_ key in a JWT slot, and other values without dots', async () => {
    const keys = await generateNewStyleKeys({ secret: SECRET, now: NOW_MS });
    const result = diagnoseKeys(
      {
        JWT_SECRET: SECRET,
        ...handKeys(SECRET),
        ...keys,
        ANON_KEY: keys.SUPABASE_PUBLISHABLE_KEY,
        SERVICE_ROLE_KEY_ASYMMETRIC: randomAlnum(40),
      },
      { now: NOW_MS },
    );
    const byVariable = Object.fromEntries(
      result.findings
        .filter((item) => item.code === 'JWT_NOT_A_JWT')
        .map((item) => [item.variable, item.message]),
    );
    expect(byVariable.ANON_KEY).toContain('holds an sb_ API key');
    expect(byVariable.ANON_KEY).toContain('JWT_SECRET');
    expect(byVariable.SERVICE_ROLE_KEY_ASYMMETRIC).toContain('40-character value without dots');
  });

  it('a JWT cut short or with a dot missing stays JWT_MALFORMED_PARTS', () => {
    const { ANON_KEY, SERVICE_ROLE_KEY } = handKeys(SECRET);
    const [header, payload, signature] = ANON_KEY.split('.');
    for (const broken of [header, `${header}${payload}.${signature}`, `${header}.${payload}`]) {
      const codes = diagnoseKeys(
        { JWT_SECRET: SECRET, ANON_KEY: broken, SERVICE_ROLE_KEY },
        { now: NOW_MS },
      ).findings.map((item) => item.code);
      expect(codes).toEqual(['JWT_MALFORMED_PARTS']);
    }
  });
});
