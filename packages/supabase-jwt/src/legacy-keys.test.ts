import { describe, expect, it } from 'vitest';
import { decodePart, handVerifyHs256, NOW, NOW_MS, randomAlnum } from '../test/helpers.js';
import { DEFAULT_API_KEY_LIFETIME_SECONDS } from './constants.js';
import { DEMO_JWT_SECRET } from './demo.js';
import { InvalidInputError, SigningError, SupabaseJwtError } from './errors.js';
import { generateNewStyleKeys, generateSupabaseEnv } from './generate-env.js';
import { generateLegacyApiKeys, signLegacyApiKey } from './legacy-keys.js';
import { planKeyRepair } from './repair.js';
import { generateAsymmetricApiKeys, signEs256 } from './signing-keys.js';

describe('signLegacyApiKey', () => {
  it('signs HS256 over header.payload with the secret as raw UTF-8 (checked by hand with node:crypto)', async () => {
    const secret = randomAlnum(40);
    const token = await signLegacyApiKey({ secret, role: 'anon', now: NOW_MS });
    expect(handVerifyHs256(token, secret)).toBe(true);
    expect(handVerifyHs256(token, Buffer.from(secret, 'base64'))).toBe(false);
    expect(decodePart(token, 0)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decodePart(token, 1)).toEqual({
      role: 'anon',
      iss: 'supabase',
      iat: NOW,
      exp: NOW + DEFAULT_API_KEY_LIFETIME_SECONDS,
    });
  });

  it('never base64-decodes a secret that looks like base64', async () => {
    const secret = Buffer.from(randomAlnum(30)).toString('base64');
    const token = await signLegacyApiKey({ secret, role: 'service_role', now: NOW_MS });
    expect(handVerifyHs256(token, secret)).toBe(true);
    expect(handVerifyHs256(token, Buffer.from(secret, 'base64'))).toBe(false);
  });

  it('signs unicode secrets as UTF-8 bytes', async () => {
    const secret = `ключ-🔑-${randomAlnum(32)}`;
    const token = await signLegacyApiKey({ secret, role: 'anon' });
    expect(handVerifyHs256(token, Buffer.from(secret, 'utf8'))).toBe(true);
  });

  it('makes exp relative to now, with seconds or a duration string', async () => {
    const secret = randomAlnum(40);
    const a = decodePart(
      await signLegacyApiKey({ secret, role: 'anon', now: NOW_MS, expiresIn: 3600 }),
      1,
    );
    expect(a.exp).toBe(NOW + 3600);
    const b = decodePart(
      await signLegacyApiKey({
        secret,
        role: 'anon',
        now: new Date(NOW_MS + 10_000),
        expiresIn: '90d',
      }),
      1,
    );
    expect(b.exp).toBe(NOW + 10 + 90 * 86_400);
    const c = decodePart(
      await signLegacyApiKey({ secret, role: 'anon', now: NOW_MS, expiresIn: '10y' }),
      1,
    );
    expect(c.exp).toBe(NOW + 10 * 365 * 86_400);
  });

  it('uses the current time by default', async () => {
    const before = Math.floor(Date.now() / 1000);
    const payload = decodePart(
      await signLegacyApiKey({ secret: randomAlnum(40), role: 'anon' }),
      1,
    );
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it.each([
    [{ secret: 'short', role: 'anon' }, 'at least 32'],
    [{ secret: randomAlnum(40), role: 'admin' }, 'role'],
    [{ secret: randomAlnum(40), role: 'anon', expiresIn: -5 }, 'expiresIn'],
    [{ secret: randomAlnum(40), role: 'anon', expiresIn: '5 years' }, 'expiresIn'],
    [{ secret: randomAlnum(40), role: 'anon', extra: true }, 'extra'],
    [null, '(input)'],
  ])('rejects %j with InvalidInputError', async (input, fragment) => {
    const error = await signLegacyApiKey(input as never).catch((caught: unknown) => caught);
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as InvalidInputError).message).toContain(fragment);
    expect((error as InvalidInputError).issues.length).toBeGreaterThan(0);
    expect((error as Error).cause).toBeDefined();
  });

  it('does not echo the secret in validation errors', async () => {
    const secret = `${randomAlnum(20)}`;
    const error = (await signLegacyApiKey({ secret, role: 'anon' }).catch(
      (caught: unknown) => caught,
    )) as Error;
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify((error.cause as { issues: unknown }).issues)).not.toContain(secret);
  });

  it('refuses the public demo secret unless allowed', async () => {
    const error = await signLegacyApiKey({ secret: DEMO_JWT_SECRET, role: 'anon' }).catch(
      (caught: unknown) => caught,
    );
    expect(SigningError.isInstance(error)).toBe(true);
    expect(SupabaseJwtError.isInstance(error)).toBe(true);
    const token = await signLegacyApiKey({
      secret: DEMO_JWT_SECRET,
      role: 'anon',
      allowDemoSecret: true,
    });
    expect(handVerifyHs256(token, DEMO_JWT_SECRET)).toBe(true);
  });
});

describe('generateLegacyApiKeys', () => {
  it('signs both keys with the same iat/exp and the right roles, verified by hand', async () => {
    const secret = randomAlnum(48);
    const keys = await generateLegacyApiKeys({ secret, now: NOW_MS, expiresIn: '1y' });
    for (const [token, role] of [
      [keys.ANON_KEY, 'anon'],
      [keys.SERVICE_ROLE_KEY, 'service_role'],
    ] as const) {
      expect(handVerifyHs256(token, secret)).toBe(true);
      expect(decodePart(token, 1)).toEqual({
        role,
        iss: 'supabase',
        iat: NOW,
        exp: NOW + 365 * 86_400,
      });
    }
    expect(keys.ANON_KEY).not.toBe(keys.SERVICE_ROLE_KEY);
  });

  it('validates its input and refuses the demo secret', async () => {
    await expect(generateLegacyApiKeys({ secret: 'x' })).rejects.toThrow(InvalidInputError);
    await expect(generateLegacyApiKeys({ secret: DEMO_JWT_SECRET })).rejects.toThrow(SigningError);
  });
});

describe('lifetimes of zero or less', () => {
  it.each(['0d', '0s', '0y', '000h', '0 m', 0, -1, -86_400])(
    'expiresIn %j is refused instead of signing keys expired at birth',
    async (expiresIn) => {
      const secret = randomAlnum(40);
      for (const call of [
        () => signLegacyApiKey({ secret, role: 'anon', expiresIn }),
        () => generateLegacyApiKeys({ secret, expiresIn }),
      ]) {
        const error = await call().catch((caught: unknown) => caught);
        expect(InvalidInputError.isInstance(error)).toBe(true);
        expect((error as Error).message).toContain('expiresIn');
      }
    },
  );

  it('is refused by every function that takes a lifetime', async () => {
    const keys = await generateNewStyleKeys({ secret: randomAlnum(40), now: NOW_MS });
    for (const call of [
      () => planKeyRepair({}, { expiresIn: '0d' }),
      () => signEs256({ jwtKeys: keys.JWT_KEYS, payload: {}, expiresIn: '0s' }),
      () => generateAsymmetricApiKeys({ jwtKeys: keys.JWT_KEYS, expiresIn: '0y' }),
      () => generateSupabaseEnv({ expiresIn: '0d' }),
    ]) {
      await expect(call()).rejects.toThrow(InvalidInputError);
    }
  });

  it('the shortest lifetimes still sign keys that expire after they are issued', async () => {
    const secret = randomAlnum(40);
    for (const [expiresIn, seconds] of [
      ['1s', 1],
      ['10s', 10],
      [1, 1],
    ] as const) {
      const payload = decodePart(
        await signLegacyApiKey({ secret, role: 'anon', now: NOW_MS, expiresIn }),
        1,
      );
      expect(payload.exp).toBe(NOW + seconds);
    }
  });
});
