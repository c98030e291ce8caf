import { describe, expect, it } from 'vitest';
import {
  DAY,
  handKeys,
  handSignHs256,
  handVerifyHs256,
  NOW,
  NOW_MS,
  randomAlnum,
} from '../test/helpers.js';
import { diagnoseKeys } from './diagnose.js';
import { TokenVerificationError } from './errors.js';
import { generateNewStyleKeys } from './generate-env.js';
import { planKeyRepair } from './repair.js';
import { signEs256, verifyWithJwks } from './signing-keys.js';

const SECRET = randomAlnum(40);
const CLAIMS = { role: 'anon', iss: 'supabase', iat: NOW - DAY, exp: NOW + 400 * DAY };

function withKid(kid: unknown, secret = SECRET): string {
  return handSignHs256(CLAIMS, secret, { alg: 'HS256', typ: 'JWT', kid });
}

/** The JWKS of generateNewStyleKeys with its oct key (no kid by default) given `kid`. */
function jwksWithOctKid(jwks: string, kid: string | undefined): string {
  const doc = JSON.parse(jwks) as { keys: Record<string, unknown>[] };
  for (const key of doc.keys) if (key.kty === 'oct') key.kid = kid;
  return JSON.stringify(doc);
}

function kidFindings(env: Record<string, string | undefined>) {
  return diagnoseKeys(env, { now: NOW_MS })
    .findings.filter((item) => item.code === 'JWT_HS256_KID_UNKNOWN')
    .map((item) => item.variable);
}

describe('an HS256 key with a kid header (PostgREST matches kids strictly)', () => {
  const { SERVICE_ROLE_KEY } = handKeys(SECRET);

  it('is refused when the secret is a plain string: it has no kid', () => {
    const token = withKid('my-kid');
    expect(handVerifyHs256(token, SECRET)).toBe(true); // the signature itself is right
    const result = diagnoseKeys(
      { JWT_SECRET: SECRET, ANON_KEY: token, SERVICE_ROLE_KEY },
      { now: NOW_MS },
    );
    expect(result.ok).toBe(false);
    expect(result.findings.map((item) => item.code)).toEqual(['JWT_HS256_KID_UNKNOWN']);
    expect(result.findings[0]?.message).toContain('"my-kid"');
    expect(result.findings[0]?.message).toContain('PGRST301');
  });

  it('is refused when JWT_JWKS has the secret as oct key without that kid, accepted when it has it', async () => {
    const keys = await generateNewStyleKeys({ secret: SECRET, now: NOW_MS });
    const env = { JWT_SECRET: SECRET, ANON_KEY: withKid('my-kid'), SERVICE_ROLE_KEY, ...keys };
    expect(kidFindings(env)).toEqual(['ANON_KEY']);
    expect(kidFindings({ ...env, JWT_JWKS: jwksWithOctKid(keys.JWT_JWKS, 'other') })).toEqual([
      'ANON_KEY',
    ]);
    expect(kidFindings({ ...env, JWT_JWKS: jwksWithOctKid(keys.JWT_JWKS, 'my-kid') })).toEqual([]);
  });

  it('treats a non-string kid as unknown and a null kid as none', () => {
    expect(kidFindings({ JWT_SECRET: SECRET, ANON_KEY: withKid(7), SERVICE_ROLE_KEY })).toEqual([
      'ANON_KEY',
    ]);
    expect(kidFindings({ JWT_SECRET: SECRET, ANON_KEY: withKid(null), SERVICE_ROLE_KEY })).toEqual(
      [],
    );
  });

  it('is repaired by re-signing without a kid', async () => {
    const plan = await planKeyRepair(
      { JWT_SECRET: SECRET, ANON_KEY: withKid('my-kid'), SERVICE_ROLE_KEY },
      { now: NOW_MS },
    );
    expect(Object.keys(plan.changes)).toEqual(['ANON_KEY']);
    const header = JSON.parse(
      Buffer.from(
        (plan.changes.ANON_KEY as string).split('.')[0] as string,
        'base64url',
      ).toString(),
    );
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(plan.after.findings).toEqual([]);
  });
});

describe('verifyWithJwks accepts a kid only when a key has it', () => {
  it('HS256: a token kid must match the oct key kid; a token without kid takes any oct key', async () => {
    const keys = await generateNewStyleKeys({ secret: SECRET, now: NOW_MS });
    const options = { algorithms: ['HS256'], now: NOW_MS };
    const error = await verifyWithJwks({
      token: withKid('x'),
      jwks: keys.JWT_JWKS,
      ...options,
    }).catch((caught: unknown) => caught);
    expect(TokenVerificationError.isInstance(error)).toBe(true);
    expect((error as TokenVerificationError).reason).toBe('ERR_JWKS_NO_MATCHING_KEY');
    const named = jwksWithOctKid(keys.JWT_JWKS, 'x');
    expect(
      (await verifyWithJwks({ token: withKid('x'), jwks: named, ...options })).payload.role,
    ).toBe('anon');
    await expect(verifyWithJwks({ token: withKid('y'), jwks: named, ...options })).rejects.toThrow(
      TokenVerificationError,
    );
    const plain = handSignHs256(CLAIMS, SECRET);
    expect((await verifyWithJwks({ token: plain, jwks: named, ...options })).payload.role).toBe(
      'anon',
    );
  });

  it('ES256: a kid that no key has is refused', async () => {
    const keys = await generateNewStyleKeys({ secret: SECRET, now: NOW_MS });
    const kid = (JSON.parse(keys.JWT_KEYS) as { kid: string }[])[0]?.kid as string;
    const token = await signEs256({ jwtKeys: keys.JWT_KEYS, payload: CLAIMS, now: NOW_MS });
    expect((await verifyWithJwks({ token, jwks: keys.JWT_JWKS, now: NOW_MS })).header.kid).toBe(
      kid,
    );
    const renamed = keys.JWT_JWKS.replaceAll(kid, 'renamed-kid');
    const error = await verifyWithJwks({ token, jwks: renamed, now: NOW_MS }).catch(
      (caught: unknown) => caught,
    );
    expect((error as TokenVerificationError).reason).toBe('ERR_JWKS_NO_MATCHING_KEY');
  });
});
