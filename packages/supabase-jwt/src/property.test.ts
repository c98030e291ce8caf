import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { b64url, handVerifyHs256, leaks, secretParts } from '../test/helpers.js';
import { decodeCompactJwt } from './compact-jwt.js';
import { diagnoseKeys } from './diagnose.js';
import { SupabaseJwtError } from './errors.js';
import { FINDING_CODES } from './finding-codes.js';
import { generateNewStyleKeys, generateSupabaseEnv } from './generate-env.js';
import { parseJwks, parseJwtKeys } from './jwk.js';
import { generateLegacyApiKeys, signLegacyApiKey } from './legacy-keys.js';
import { generateOpaqueApiKeys, opaqueKeyChecksum, parseOpaqueApiKey } from './opaque-keys.js';
import { redactSecret } from './redact.js';
import { planKeyRepair } from './repair.js';
import { assertSecretConstraints, checkSecretConstraints, generateSecrets } from './secrets.js';
import { generateAsymmetricApiKeys, signEs256, verifyWithJwks } from './signing-keys.js';

const VARIABLES = [
  'JWT_SECRET',
  'ANON_KEY',
  'SERVICE_ROLE_KEY',
  'JWT_KEYS',
  'JWT_JWKS',
  'ANON_KEY_ASYMMETRIC',
  'SERVICE_ROLE_KEY_ASYMMETRIC',
  'SUPABASE_PUBLISHABLE_KEY',
  'SUPABASE_SECRET_KEY',
] as const;

/** Text that is public by design (codes, fixes, prefixes, JSON field names): never a leak. */
const PUBLIC_TEXT = `${JSON.stringify(FINDING_CODES)} ${VARIABLES.join(' ')} sb_publishable_ sb_secret_ {"keys":[{"kty":"EC","crv":"P-256"}]}`;

const MIN_NOW = Date.UTC(2000, 0, 1);
const MAX_NOW = Date.UTC(2100, 0, 1);

describe('property: generate, then diagnose, gives zero errors', () => {
  it('holds for any secret length, lifetime, instant and key style', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 32, max: 128 }),
        fc.integer({ min: 91, max: 36_500 }),
        fc.integer({ min: MIN_NOW, max: MAX_NOW }),
        fc.boolean(),
        async (jwtSecretLength, days, now, newStyleKeys) => {
          const env = await generateSupabaseEnv({
            jwtSecretLength,
            expiresIn: `${days}d`,
            now,
            newStyleKeys,
          });
          const result = diagnoseKeys(env, { now });
          expect(result.findings).toEqual([]);
          expect(result.ok).toBe(true);
          expect(handVerifyHs256(env.ANON_KEY, env.JWT_SECRET)).toBe(true);
          expect(handVerifyHs256(env.SERVICE_ROLE_KEY, env.JWT_SECRET)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);

  it('holds for any unicode secret of 32+ characters used as the raw signing key', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ unit: 'grapheme', minLength: 32, maxLength: 80 })
          .filter(
            (secret) =>
              secret === secret.trim() && !/^["'].*["']$/s.test(secret) && secret.length >= 32,
          ),
        async (secret) => {
          const keys = await generateLegacyApiKeys({ secret });
          const result = diagnoseKeys({ JWT_SECRET: secret, ...keys });
          expect(result.counts.error).toBe(0);
          expect(handVerifyHs256(keys.ANON_KEY, Buffer.from(secret, 'utf8'))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);
});

/** A token-like string: three random segments, or a valid token with one character changed. */
function tokenish(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.tuple(fc.string(), fc.string(), fc.string()).map((parts) => parts.join('.')),
    fc
      .tuple(fc.json(), fc.json(), fc.string())
      .map(([h, p, s]) => `${b64url(h)}.${b64url(p)}.${b64url(s)}`),
    fc
      .tuple(fc.nat(valid.length - 1), fc.constantFrom('A', '-', '_', '.', '=', '+', 'é', '\u0000'))
      .map(([index, char]) => `${valid.slice(0, index)}${char}${valid.slice(index + 1)}`),
    fc.base64String({ minLength: 16, maxLength: 64 }),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  );
}

describe('fuzz: malformed input gives findings or a typed error, never an untyped throw', () => {
  it('diagnoseKeys survives arbitrary values in every key variable', async () => {
    const valid = await generateSupabaseEnv({ newStyleKeys: true });
    const valueArb = (variable: (typeof VARIABLES)[number]) =>
      fc.oneof(
        { weight: 1, arbitrary: fc.constant(valid[variable] as string) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            undefined,
            '',
            '[]',
            '{"keys":[]}',
            '[{}]',
            '{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}',
          ),
        },
        { weight: 4, arbitrary: tokenish(valid[variable] as string) },
      );
    const envArb = fc.record(
      Object.fromEntries(VARIABLES.map((name) => [name, valueArb(name)])) as {
        [K in (typeof VARIABLES)[number]]: fc.Arbitrary<string | undefined>;
      },
    );
    fc.assert(
      fc.property(envArb, fc.integer({ min: MIN_NOW, max: MAX_NOW }), (env, now) => {
        const result = diagnoseKeys(env, { now });
        expect(Array.isArray(result.findings)).toBe(true);
        expect(result.ok).toBe(result.findings.every((item) => item.severity !== 'error'));
        const secrets = secretParts(env).filter(
          (part) => part.length >= 16 && new Set(part).size >= 8,
        );
        for (const item of result.findings) {
          expect(FINDING_CODES[item.code]).toBeDefined();
          expect(leaks(`${item.message} ${item.fix}`, secrets, PUBLIC_TEXT)).toBeUndefined();
        }
      }),
      { numRuns: 400 },
    );
  }, 60_000);

  it('diagnoseKeys handles 10 MB strings, random bytes and unicode in every variable', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const bytes = randomBytes(10 * 1024 * 1024).toString('latin1');
    const unicode = '🔑é漢字\u0000\uFFFD'.repeat(1024 * 1024);
    for (const value of [big, bytes, unicode, `${big}.${big}.${big}`, `[${big}]`]) {
      const env = Object.fromEntries(VARIABLES.map((name) => [name, value]));
      const result = diagnoseKeys(env);
      expect(result.ok).toBe(false);
      for (const item of result.findings) {
        expect(item.message.length).toBeLessThan(1000);
        expect(item.message).not.toContain(value.slice(0, 64));
      }
    }
    expect(redactSecret(big)).toBe('xxxx…xxxx');
  }, 60_000);

  it('every public function rejects arbitrary input only with SupabaseJwtError', async () => {
    const anything = fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withNullPrototype: true,
    });
    await fc.assert(
      fc.asyncProperty(anything, anything, async (a, b) => {
        const calls: (() => unknown)[] = [
          () => diagnoseKeys(a as never, b as never),
          () => generateSecrets(a as never),
          () => signLegacyApiKey(a as never),
          () => generateLegacyApiKeys(a as never),
          () => signEs256(a as never),
          () => verifyWithJwks(a as never),
          () => verifyWithJwks({ token: typeof a === 'string' ? a : 'a.b.c', jwks: b as never }),
          () => planKeyRepair(a as never, b as never),
          () => decodeCompactJwt(a as never),
          () => parseOpaqueApiKey(a as never, b as never),
          () => opaqueKeyChecksum(a as never, b as never),
          () => parseJwtKeys(a as never),
          () => parseJwks(a as never),
          () => checkSecretConstraints(a as never, b as never),
          () => assertSecretConstraints(a as never),
          () => generateOpaqueApiKeys(a as never),
          () => generateAsymmetricApiKeys(a as never),
          () => generateNewStyleKeys(a as never),
        ];
        for (const call of calls) {
          try {
            await call();
          } catch (error) {
            expect(SupabaseJwtError.isInstance(error), String(error)).toBe(true);
          }
        }
        expect(typeof redactSecret(a)).toBe('string');
        if (typeof a === 'string') expect(decodeCompactJwt(a)).toHaveProperty('ok');
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
