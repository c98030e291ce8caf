import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { describe, expect, test } from 'vitest';
import { verifyStorageJwt } from './verify-storage.js';

// Storage v1.60.4 passes jose's own messages through; these are jose 6's.

const SECRET = 'storage-unit-test-secret-32-characters++';
const NOW = Date.parse('2026-12-01T00:00:00Z');
const S = NOW / 1000;
const enc = (s: string) => new TextEncoder().encode(s);
const hs = (
  payload: Record<string, unknown>,
  alg = 'HS256',
  key: Uint8Array = enc(SECRET),
  kid?: string,
) => new SignJWT(payload).setProtectedHeader({ alg, ...(kid ? { kid } : {}) }).sign(key);

describe('verifyStorageJwt', () => {
  test('the static secret, and the messages of the common failures', async () => {
    expect(await verifyStorageJwt(await hs({ role: 'anon' }), SECRET, null, NOW)).toEqual({
      ok: true,
      payload: { role: 'anon' },
    });
    expect(await verifyStorageJwt('', SECRET, null, NOW)).toEqual({
      ok: false,
      message: 'Invalid Compact JWS',
    });
    expect(await verifyStorageJwt(await hs({ exp: S - 1 }), SECRET, null, NOW)).toEqual({
      ok: false,
      message: '"exp" claim timestamp check failed',
    });
    expect(await verifyStorageJwt(await hs({ nbf: S + 10 }), SECRET, null, NOW)).toEqual({
      ok: false,
      message: '"nbf" claim timestamp check failed',
    });
    expect(
      await verifyStorageJwt(
        await hs({}, 'HS256', enc('another-secret-entirely-of-32-chars!')),
        SECRET,
        null,
        NOW,
      ),
    ).toEqual({ ok: false, message: 'signature verification failed' });
    expect(await verifyStorageJwt(await hs({}, 'HS512'), SECRET, null, NOW)).toEqual({
      ok: false,
      message: '"alg" (Algorithm) Header Parameter value not allowed',
    });
  });

  test('with JWT_JWKS: an EC key by kid, an oct key by kid, HS256 without kid on the secret', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const ecPublic: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'ec', alg: 'ES256' };
    const octBytes = enc('an-oct-key-from-the-jwks-32-chars-long');
    const oct: JWK = { kty: 'oct', kid: 'oct', k: Buffer.from(octBytes).toString('base64url') };
    const jwks = [ecPublic, oct];
    const es = await new SignJWT({ role: 'service_role' })
      .setProtectedHeader({ alg: 'ES256', kid: 'ec' })
      .sign(pair.privateKey);
    expect(await verifyStorageJwt(es, SECRET, jwks, NOW)).toMatchObject({ ok: true });
    expect(
      await verifyStorageJwt(await hs({}, 'HS512', octBytes, 'oct'), SECRET, jwks, NOW),
    ).toMatchObject({
      ok: true,
    });
    expect(await verifyStorageJwt(await hs({}), SECRET, jwks, NOW)).toMatchObject({ ok: true });
    // an unknown kid falls back to the secret, which cannot verify an ES256 signature
    const unknown = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'nope' })
      .sign(pair.privateKey);
    expect(await verifyStorageJwt(unknown, SECRET, jwks, NOW)).toMatchObject({ ok: false });
    // an HS384 token with an unknown kid and no oct key without kid: the secret again
    expect(
      await verifyStorageJwt(
        await hs({}, 'HS384', enc(SECRET), 'zzz'),
        SECRET,
        [ecPublic, { kty: 'oct', k: '' }],
        NOW,
      ),
    ).toMatchObject({
      ok: false,
    });
  });

  test('RSA and EdDSA families are allowed only when the JWKS has such keys', async () => {
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const ed = await generateKeyPair('EdDSA', { extractable: true, crv: 'Ed25519' });
    const jwks: JWK[] = [
      { ...(await exportJWK(rsa.publicKey)), alg: 'RS256' },
      { ...(await exportJWK(ed.publicKey)), alg: 'EdDSA' },
    ];
    const rs = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey);
    const eddsa = await new SignJWT({}).setProtectedHeader({ alg: 'EdDSA' }).sign(ed.privateKey);
    expect(await verifyStorageJwt(rs, SECRET, jwks, NOW)).toMatchObject({ ok: true });
    expect(await verifyStorageJwt(eddsa, SECRET, jwks, NOW)).toMatchObject({ ok: true });
    expect(await verifyStorageJwt(rs, SECRET, null, NOW)).toMatchObject({ ok: false });
  });
});
