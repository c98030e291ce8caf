import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, test } from 'vitest';
import { authenticatePostgrest, bearerToken, parsePostgrestSecret } from './verify-postgrest.js';

// Expected bodies are PostgREST v14.12's (src/PostgREST/Error.hs; test/spec/Feature/Auth/AuthSpec.hs
// and test/io/test_auth.py give the same messages for the same tokens).

const SECRET = 'postgrest-unit-test-secret-32-characters+';
const NOW = Date.parse('2026-12-01T00:00:00Z');
const S = NOW / 1000;
const enc = (s: string) => new TextEncoder().encode(s);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const secret = parsePostgrestSecret(SECRET);

const hs = (payload: Record<string, unknown>, alg = 'HS256', key = SECRET) =>
  new SignJWT(payload).setProtectedHeader({ alg }).sign(enc(key));

const auth = (token: string | undefined, s = secret) =>
  authenticatePostgrest(token === undefined ? undefined : `Bearer ${token}`, s, 'anon', NOW);

describe('bearerToken (Wai extractBearerAuth)', () => {
  test.each([
    [undefined, undefined],
    ['Bearer abc', 'abc'],
    ['bearer   abc', 'abc'],
    ['BEARER\tabc', 'abc'],
    ['Bearer', ''],
    ['Bearer ', ''],
    ['eyJraw.token.only', undefined],
    ['Basic abc', undefined],
    ['', undefined],
  ])('%j → %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});

describe('parsePostgrestSecret (Config.hs parseSecret)', () => {
  test('a plain secret of 32+ bytes, a short one, none, a JWK and a JWK set', () => {
    expect(parsePostgrestSecret(SECRET)).toMatchObject({
      kind: 'keys',
      keys: [{ kty: 'oct', alg: 'HS256' }],
    });
    expect(parsePostgrestSecret('too-short')).toEqual({ kind: 'too-short' });
    expect(parsePostgrestSecret('')).toEqual({ kind: 'none' });
    expect(parsePostgrestSecret('{"kty":"oct","k":"AA"}')).toEqual({
      kind: 'keys',
      keys: [{ kty: 'oct', k: 'AA' }],
    });
    expect(parsePostgrestSecret('{"keys":[]}')).toEqual({ kind: 'keys', keys: [] });
    // JSON that is no JWK is just a (long enough) string secret
    expect(parsePostgrestSecret('{"not":"a key at all, but 32+ chars"}')).toMatchObject({
      kind: 'keys',
    });
    expect(parsePostgrestSecret('[1]')).toEqual({ kind: 'too-short' });
  });
});

describe('authenticatePostgrest', () => {
  test('no Authorization, or not a Bearer one: the anon role', async () => {
    expect(await authenticatePostgrest(undefined, secret, 'anon', NOW)).toEqual({
      ok: true,
      role: 'anon',
      claims: {},
      authenticated: false,
    });
    expect(await authenticatePostgrest('eyJ.raw.apikey', secret, 'anon', NOW)).toMatchObject({
      role: 'anon',
      authenticated: false,
    });
  });

  test('the role claim; none means anon, null means the role "null", others are JSON', async () => {
    expect(await auth(await hs({ role: 'service_role' }))).toMatchObject({ role: 'service_role' });
    expect(await auth(await hs({ iss: 'dokploy' }))).toMatchObject({
      role: 'anon',
      authenticated: true,
    });
    expect(await auth(await hs({ role: null }))).toMatchObject({ role: 'null' });
    expect(await auth(await hs({ role: 5 }))).toMatchObject({ role: '5' });
  });

  test('jose-jwt ignores the alg of the secret: HS512 with the same secret verifies', async () => {
    expect(await auth(await hs({ role: 'anon' }, 'HS512'))).toMatchObject({ ok: true });
  });

  const err = (code: string, message: string, details: string | null = null) => ({
    ok: false,
    error: expect.objectContaining({ code, message, details, hint: null }),
  });

  test('PGRST301: empty, wrong number of parts, undecodable header, wrong key', async () => {
    expect(await authenticatePostgrest('Bearer ', secret, 'anon', NOW)).toEqual(
      err('PGRST301', 'Empty JWT is sent in Authorization header'),
    );
    expect(await auth('a.b')).toEqual(err('PGRST301', 'Expected 3 parts in JWT; got 2'));
    expect(await auth('a.b.c.d')).toEqual(err('PGRST301', 'Expected 3 parts in JWT; got 4'));
    expect(await auth('%%.e30.x')).toEqual(err('PGRST301', "JWT couldn't be decoded"));
    expect(await auth(`${b64({ typ: 'JWT' })}.e30.x`)).toEqual(
      err('PGRST301', "JWT couldn't be decoded"),
    );
    const wrong = await hs({ role: 'anon' }, 'HS256', 'some-other-secret-of-32-characters!!');
    const refused = await auth(wrong);
    expect(refused).toEqual(
      err(
        'PGRST301',
        'No suitable key or wrong key type',
        'None of the keys was able to decode the JWT',
      ),
    );
    expect(!refused.ok && refused.error).toMatchObject({
      status: 401,
      challenge:
        'Bearer error="invalid_token", error_description="No suitable key or wrong key type"',
    });
  });

  test('an ES256 token against an HMAC-only key set', async () => {
    const pair = await generateKeyPair('ES256');
    const token = await new SignJWT({ role: 'anon' })
      .setProtectedHeader({ alg: 'ES256' })
      .sign(pair.privateKey);
    expect(await auth(token)).toEqual(
      err(
        'PGRST301',
        'No suitable key or wrong key type',
        'None of the keys was able to decode the JWT',
      ),
    );
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1' };
    expect(await auth(token, { kind: 'keys', keys: [jwk] })).toMatchObject({
      ok: true,
      role: 'anon',
    });
    const other = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k2' })
      .sign(pair.privateKey);
    expect(await auth(other, { kind: 'keys', keys: [jwk] })).toMatchObject({ ok: false });
  });

  test('PGRST300 when PGRST_JWT_SECRET is empty and a JWT is sent', async () => {
    const result = await auth(await hs({}), { kind: 'none' });
    expect(result).toEqual(err('PGRST300', 'Server lacks JWT secret'));
    expect(!result.ok && result.error.status).toBe(500);
  });

  test('PGRST303: claims checked with 30 seconds of skew, in exp, nbf, iat, aud order', async () => {
    expect(await auth(await hs({ exp: S - 31 }))).toEqual(err('PGRST303', 'JWT expired'));
    expect((await auth(await hs({ exp: S - 29 }))).ok).toBe(true);
    expect(await auth(await hs({ nbf: S + 31 }))).toEqual(err('PGRST303', 'JWT not yet valid'));
    expect(await auth(await hs({ iat: S + 31 }))).toEqual(err('PGRST303', 'JWT issued at future'));
    expect(await auth(await hs({ exp: S - 100, nbf: S + 100 }))).toEqual(
      err('PGRST303', 'JWT expired'),
    );
    expect(await auth(await hs({ exp: 'later' }))).toEqual(
      err('PGRST303', "The JWT 'exp' claim must be a number"),
    );
    expect(await auth(await hs({ nbf: true }))).toEqual(
      err('PGRST303', "The JWT 'nbf' claim must be a number"),
    );
    expect(await auth(await hs({ iat: {} }))).toEqual(
      err('PGRST303', "The JWT 'iat' claim must be a number"),
    );
    expect(await auth(await hs({ aud: 5 }))).toEqual(
      err('PGRST303', "The JWT 'aud' claim must be a string or an array of strings"),
    );
    expect((await auth(await hs({ aud: ['a', 'b'] }))).ok).toBe(true);
  });

  test('claims that are not a JSON object', async () => {
    const header = b64({ alg: 'HS256' });
    const payload = Buffer.from('[1,2]').toString('base64url');
    const { createHmac } = await import('node:crypto');
    const sig = createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url');
    expect(await auth(`${header}.${payload}.${sig}`)).toEqual(
      err('PGRST303', 'Parsing claims failed'),
    );
  });
});
