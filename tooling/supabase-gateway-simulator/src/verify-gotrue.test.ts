import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { verifyGoTrueJwt } from './verify-gotrue.js';

// Expected strings are golang-jwt v5.3.1's (errors.go, parser.go, validator.go) behind GoTrue's
// "invalid JWT: unable to parse or verify signature, " (supabase/auth internal/api/auth.go).

const SECRET = 'gotrue-unit-test-secret-with-32-plus-chars';
const NOW = Date.parse('2026-12-01T00:00:00Z');
const S = NOW / 1000;
const PREFIX = 'invalid JWT: unable to parse or verify signature, ';
const enc = (s: string) => new TextEncoder().encode(s);
const b64 = (v: unknown) =>
  Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

function hs(payload: Record<string, unknown>, alg = 'HS256', secret = SECRET, header = {}) {
  return new SignJWT(payload).setProtectedHeader({ alg, ...header }).sign(enc(secret));
}

async function verify(token: string, keys: JWK[] = []) {
  return verifyGoTrueJwt(token, { secret: SECRET, keys }, NOW);
}

describe('verifyGoTrueJwt', () => {
  let ec: { privateJwk: JWK; publicJwk: JWK; sign: (p: object, kid?: string) => Promise<string> };
  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = { ...(await exportJWK(pair.privateKey)), kid: 'ec-1', alg: 'ES256' };
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'ec-1', alg: 'ES256' };
    ec = {
      privateJwk,
      publicJwk,
      sign: (p, kid = 'ec-1') =>
        new SignJWT(p as Record<string, unknown>)
          .setProtectedHeader({ alg: 'ES256', kid })
          .sign(pair.privateKey),
    };
  });

  test('a good token gives its claims', async () => {
    const verdict = await verify(await hs({ role: 'service_role', exp: S + 60 }));
    expect(verdict).toEqual({ ok: true, claims: { role: 'service_role', exp: S + 60 } });
  });

  const malformed: [string, () => string, string][] = [
    [
      'two segments',
      () => 'a.b',
      'token is malformed: token contains an invalid number of segments',
    ],
    [
      'bad header base64',
      () => 'a*b.e30.sig',
      'token is malformed: could not base64 decode header: illegal base64 data at input byte 1',
    ],
    [
      'header of bad length',
      () => 'abcde.e30.sig',
      'token is malformed: could not base64 decode header: illegal base64 data at input byte 4',
    ],
    [
      'header not JSON',
      () => `${b64('nope')}.e30.sig`,
      'token is malformed: could not JSON decode header',
    ],
    [
      'bad claims base64',
      () => `${b64({ alg: 'HS256' })}.%%.sig`,
      'token is malformed: could not base64 decode claim: illegal base64 data at input byte 0',
    ],
    [
      'claims not JSON',
      () => `${b64({ alg: 'HS256' })}.${b64('[1]')}.sig`,
      'token is malformed: could not JSON decode claim',
    ],
    [
      'role a number',
      () => `${b64({ alg: 'HS256' })}.${b64({ role: 5 })}.sig`,
      'token is malformed: could not JSON decode claim: json: cannot unmarshal number into Go struct field AccessTokenClaims.role of type string',
    ],
    [
      'role an array',
      () => `${b64({ alg: 'HS256' })}.${b64({ role: ['a'] })}.sig`,
      'AccessTokenClaims.role of type string',
    ],
    [
      'exp a string',
      () => `${b64({ alg: 'HS256' })}.${b64({ exp: 'soon' })}.sig`,
      'could not parse NumericData: json: cannot unmarshal string into Go value of type json.Number',
    ],
    [
      'no alg',
      () => `${b64({ typ: 'JWT' })}.e30.sig`,
      'token is unverifiable: signing method (alg) is unspecified',
    ],
    [
      'unknown alg',
      () => `${b64({ alg: 'XX1' })}.e30.sig`,
      'token is unverifiable: signing method (alg) is unavailable',
    ],
    [
      'bad signature base64',
      () => `${b64({ alg: 'HS256' })}.e30.s*g`,
      'token is malformed: could not base64 decode signature: illegal base64 data at input byte 1',
    ],
    [
      'alg none',
      () => `${b64({ alg: 'none' })}.e30.`,
      'token signature is invalid: signing method none is invalid',
    ],
  ];
  test.each(malformed)('%s', async (_name, token, message) => {
    const verdict = await verify(token());
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.message.startsWith(PREFIX)).toBe(true);
    expect(!verdict.ok && verdict.message).toContain(message);
  });

  test('HS512 is not a valid method when only JWT_SECRET is configured', async () => {
    expect(await verify(await hs({ role: 'anon' }, 'HS512'))).toEqual({
      ok: false,
      message: `${PREFIX}token signature is invalid: signing method HS512 is invalid`,
    });
  });

  test('a token signed with another secret', async () => {
    expect(
      await verify(await hs({ role: 'anon' }, 'HS256', 'another-secret-that-is-long-enough!!')),
    ).toEqual({
      ok: false,
      message: `${PREFIX}token signature is invalid: signature is invalid`,
    });
  });

  test('expired and not-yet-valid are joined with a comma, with no leeway', async () => {
    expect(await verify(await hs({ exp: S, nbf: S + 1 }))).toEqual({
      ok: false,
      message: `${PREFIX}token has invalid claims: token is expired, token is not valid yet`,
    });
    expect((await verify(await hs({ exp: S + 1, nbf: S }))).ok).toBe(true);
  });

  test('ES256 with GOTRUE_JWT_KEYS: found by kid; HS256 still works through an oct key', async () => {
    const oct: JWK = { kty: 'oct', k: Buffer.from(SECRET).toString('base64url'), alg: 'HS256' };
    const keys = [ec.privateJwk, oct];
    expect((await verify(await ec.sign({ role: 'service_role' }), keys)).ok).toBe(true);
    expect((await verify(await hs({ role: 'anon' }), keys)).ok).toBe(true);
  });

  test('ES256 without JWT_KEYS is not a valid method', async () => {
    expect(await verify(await ec.sign({ role: 'anon' }))).toEqual({
      ok: false,
      message: `${PREFIX}token signature is invalid: signing method ES256 is invalid`,
    });
  });

  test('an unknown kid for an asymmetric algorithm', async () => {
    expect(await verify(await ec.sign({}, 'other-kid'), [ec.publicJwk])).toEqual({
      ok: false,
      message: `${PREFIX}token is unverifiable: error while executing keyfunc: unrecognized JWT kid other-kid for algorithm ES256`,
    });
    const noKid = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .sign((await generateKeyPair('ES256')).privateKey);
    expect(await verify(noKid, [ec.publicJwk])).toMatchObject({
      message: expect.stringContaining('unrecognized JWT kid <nil> for algorithm ES256'),
    });
  });

  test('an ES256 token signed by another key', async () => {
    const stranger = await generateKeyPair('ES256');
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'ec-1' })
      .sign(stranger.privateKey);
    expect(await verify(token, [ec.publicJwk])).toEqual({
      ok: false,
      message: `${PREFIX}token signature is invalid: crypto/ecdsa: verification error`,
    });
  });

  test('a kid naming a key of another type', async () => {
    const token = await hs({}, 'HS256', SECRET, { kid: 'ec-1' });
    const oct: JWK = { kty: 'oct', k: 'AA', alg: 'HS256' };
    expect(await verify(token, [ec.publicJwk, oct])).toEqual({
      ok: false,
      message: `${PREFIX}token signature is invalid: key is of invalid type`,
    });
  });

  test('RSA and EdDSA signature failures name their Go package', async () => {
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const rsaPublic = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa', alg: 'RS256' };
    const wrongRsa = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa' })
      .sign((await generateKeyPair('RS256')).privateKey);
    expect(await verify(wrongRsa, [rsaPublic])).toMatchObject({
      message: expect.stringContaining('crypto/rsa: verification error'),
    });
    const ed = await generateKeyPair('EdDSA', { extractable: true });
    const edPublic = { ...(await exportJWK(ed.publicKey)), kid: 'ed', alg: 'EdDSA' };
    const wrongEd = await new SignJWT({})
      .setProtectedHeader({ alg: 'EdDSA', kid: 'ed' })
      .sign((await generateKeyPair('EdDSA')).privateKey);
    expect(await verify(wrongEd, [edPublic])).toMatchObject({
      message: expect.stringContaining('ed25519: verification error'),
    });
  });
});
