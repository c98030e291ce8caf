import fc from 'fast-check';
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { handKeys, handSignHs256, NOW, NOW_MS, randomAlnum } from '../test/helpers.js';
import { gotrueRejects, postgrestRejects } from '../test/service-models.js';
import { diagnoseKeys } from './diagnose.js';

const SECRET = randomAlnum(40);
const KEY = new TextEncoder().encode(SECRET);

/** Storage verifies with jose's jwtVerify and no clock tolerance (`src/internal/auth/jwt.ts`). */
async function storageRejects(token: string, now: number): Promise<boolean> {
  try {
    await jwtVerify(token, KEY, { algorithms: ['HS256'], currentDate: new Date(now * 1000) });
    return false;
  } catch {
    return true;
  }
}

function anonErrors(claims: Record<string, unknown>, now = NOW) {
  const token = handSignHs256({ role: 'anon', iss: 'supabase', ...claims }, SECRET);
  const { SERVICE_ROLE_KEY } = handKeys(SECRET);
  const result = diagnoseKeys(
    { JWT_SECRET: SECRET, ANON_KEY: token, SERVICE_ROLE_KEY },
    { now: now * 1000 },
  );
  return {
    token,
    errors: result.findings
      .filter((item) => item.variable === 'ANON_KEY' && item.severity === 'error')
      .map((item) => item.code),
  };
}

const around = (spread: number) => fc.integer({ min: -spread, max: spread }).map((k) => NOW + k);
const seconds = fc.oneof(
  around(120),
  around(400 * 86_400),
  around(120).map((value) => value + 0.5),
  fc.constantFrom(2 ** 63, -(2 ** 63), 1e19, -1e19, 2 ** 63 - 1024, 2 ** 62, 0, 1.5e9 + 0.25),
);
const timeClaim = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 6, arbitrary: seconds },
  { weight: 1, arbitrary: fc.constantFrom(null, '2030-01-01', true, [NOW]) },
);
const aud = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(null, 'authenticated', ['authenticated', 'x'], [], [1], 5, {}),
  },
);

describe('diagnoseKeys agrees with GoTrue, PostgREST 13+ and Storage on time and aud claims', () => {
  it('reports an error on the key exactly when one of the services refuses it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ exp: timeClaim, nbf: timeClaim, iat: timeClaim, aud }),
        async (raw) => {
          const claims = Object.fromEntries(
            Object.entries(raw).filter(([, value]) => value !== undefined),
          );
          const { token, errors } = anonErrors(claims);
          const refused = {
            postgrest: postgrestRejects(claims, NOW),
            gotrue: gotrueRejects(claims, NOW),
            storage: await storageRejects(token, NOW),
          };
          const anyRefuses = refused.postgrest || refused.gotrue || refused.storage;
          expect(
            errors.length > 0,
            `${JSON.stringify(claims)} ${JSON.stringify(refused)} ${errors}`,
          ).toBe(anyRefuses);
        },
      ),
      { numRuns: 600 },
    );
  }, 60_000);
});

describe('claims the services refuse, one class at a time', () => {
  it('nbf in the future: GoTrue and Storage refuse it at once, PostgREST after 30 s', async () => {
    const soon = anonErrors({ exp: NOW + 999_999, nbf: NOW + 10 });
    expect(soon.errors).toEqual(['JWT_NBF_FUTURE']);
    expect(gotrueRejects({ nbf: NOW + 10 }, NOW)).toBe(true);
    expect(await storageRejects(soon.token, NOW)).toBe(true);
    expect(postgrestRejects({ nbf: NOW + 10 }, NOW)).toBe(false);
    expect(postgrestRejects({ nbf: NOW + 31 }, NOW)).toBe(true);
    expect(anonErrors({ exp: NOW + 999_999, nbf: NOW }).errors).toEqual([]);
    expect(anonErrors({ exp: NOW + 999_999, nbf: 'tomorrow' }).errors).toEqual([
      'JWT_CLAIM_INVALID',
    ]);
  });

  it('a key made with Date.now()/1000: PostgREST 13+ reads its fractional exp as expired', () => {
    const iat = NOW_MS / 1000 + 0.123;
    const claims = { iat, exp: iat + 5 * 365 * 86_400 };
    expect(postgrestRejects(claims, NOW)).toBe(true);
    expect(gotrueRejects(claims, NOW)).toBe(false);
    expect(anonErrors(claims).errors).toEqual(['JWT_EXP_NOT_INTEGER']);
    // an integer exp written in exponent form is an integer
    expect(anonErrors({ exp: 2e9 }).errors).toEqual([]);
  });

  it('an exp beyond the 64-bit range is refused; one just inside is not', () => {
    for (const exp of [2 ** 63, 1e19, 1e300, -(2 ** 63)]) {
      expect(postgrestRejects({ exp }, NOW) && gotrueRejects({ exp }, NOW)).toBe(true);
      expect(anonErrors({ exp }).errors).toEqual(['JWT_EXP_OUT_OF_RANGE']);
    }
    expect(anonErrors({ exp: 2 ** 63 - 1024 }).errors).toEqual([]);
  });

  it('aud must be a string or an array of strings', () => {
    for (const value of [5, { a: 1 }, [1], ['a', null], true]) {
      expect(anonErrors({ exp: NOW + 999_999, aud: value }).errors).toEqual(['JWT_AUD_INVALID']);
    }
    for (const value of ['authenticated', ['authenticated'], [], null]) {
      expect(anonErrors({ exp: NOW + 999_999, aud: value }).errors).toEqual([]);
    }
  });

  it('an iat only PostgREST checks: in the future beyond 30 s, and only as an integer', () => {
    expect(anonErrors({ exp: NOW + 999_999, iat: NOW + 31 }).errors).toEqual(['JWT_IAT_FUTURE']);
    expect(anonErrors({ exp: NOW + 999_999, iat: NOW + 30 }).errors).toEqual([]);
    expect(postgrestRejects({ iat: NOW + 3600.5 }, NOW)).toBe(false);
    expect(anonErrors({ exp: NOW + 999_999, iat: NOW + 3600.5 }).errors).toEqual([]);
  });
});
