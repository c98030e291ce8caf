import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodePart, NOW, NOW_MS, randomAlnum } from '../test/helpers.js';
import {
  InvalidInputError,
  KeyFormatError,
  SigningError,
  TokenVerificationError,
} from './errors.js';
import { generateNewStyleKeys } from './generate-env.js';
import { parseJwks, parseJwtKeys } from './jwk.js';
import { generateLegacyApiKeys } from './legacy-keys.js';
import {
  generateAsymmetricApiKeys,
  generateSigningKeys,
  signEs256,
  verifyWithJwks,
} from './signing-keys.js';

describe('generateSigningKeys', () => {
  it('produces JWT_KEYS and JWT_JWKS shaped like upstream add-new-auth-keys.sh', async () => {
    const secret = randomAlnum(40);
    const { JWT_KEYS, JWT_JWKS, kid } = await generateSigningKeys({ secret });
    const keys = JSON.parse(JWT_KEYS);
    const jwks = JSON.parse(JWT_JWKS);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatchObject({
      kty: 'EC',
      kid,
      use: 'sig',
      key_ops: ['sign', 'verify'],
      alg: 'ES256',
      ext: true,
      crv: 'P-256',
    });
    expect(keys[0].d).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keys[1]).toEqual({
      kty: 'oct',
      k: Buffer.from(secret).toString('base64url'),
      alg: 'HS256',
    });
    expect(jwks.keys[0]).toEqual({ ...keys[0], key_ops: ['verify'], d: undefined });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(jwks.keys[1]).toEqual(keys[1]);
    expect(kid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('omits the oct key without a secret and honours a kid', async () => {
    const { JWT_KEYS, JWT_JWKS } = await generateSigningKeys({ kid: 'my-kid' });
    expect(JSON.parse(JWT_KEYS)).toHaveLength(1);
    expect(JSON.parse(JWT_JWKS).keys[0].kid).toBe('my-kid');
    await expect(generateSigningKeys({ kid: '' })).rejects.toThrow(InvalidInputError);
  });
});

describe('signEs256 / verifyWithJwks', () => {
  it('round-trips, and the signature verifies with node:crypto against the public JWK', async () => {
    const { JWT_KEYS, JWT_JWKS, kid } = await generateSigningKeys();
    const token = await signEs256({
      jwtKeys: JWT_KEYS,
      payload: { role: 'authenticated', sub: 'u1' },
      now: NOW_MS,
      expiresIn: '1h',
    });
    expect(decodePart(token, 0)).toEqual({ alg: 'ES256', typ: 'JWT', kid });
    expect(decodePart(token, 1)).toEqual({
      role: 'authenticated',
      sub: 'u1',
      iat: NOW,
      exp: NOW + 3600,
    });
    const [h, p, s] = token.split('.') as [string, string, string];
    const publicKey = createPublicKey({ key: JSON.parse(JWT_JWKS).keys[0], format: 'jwk' });
    expect(
      verify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        { key: publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(s, 'base64url'),
      ),
    ).toBe(true);
    const verified = await verifyWithJwks({ token, jwks: JWT_JWKS, now: NOW_MS });
    expect(verified.payload.sub).toBe('u1');
    expect(verified.header.kid).toBe(kid);
    const fromObject = await verifyWithJwks({ token, jwks: JSON.parse(JWT_JWKS), now: NOW_MS });
    expect(fromObject.payload.role).toBe('authenticated');
  });

  it('keeps iat/exp given in the payload and picks a key by kid', async () => {
    const a = await generateSigningKeys({ kid: 'a' });
    const b = await generateSigningKeys({ kid: 'b' });
    const keys = [...JSON.parse(a.JWT_KEYS), ...JSON.parse(b.JWT_KEYS)];
    const token = await signEs256({ jwtKeys: keys, kid: 'b', payload: { iat: 5, exp: NOW + 10 } });
    expect(decodePart(token, 0).kid).toBe('b');
    expect(decodePart(token, 1)).toEqual({ iat: 5, exp: NOW + 10 });
    await expect(verifyWithJwks({ token, jwks: a.JWT_JWKS, now: NOW_MS })).rejects.toThrow(
      TokenVerificationError,
    );
    await expect(verifyWithJwks({ token, jwks: b.JWT_JWKS, now: NOW_MS })).resolves.toBeDefined();
  });

  it('fails with typed errors: wrong key, expired, tampered, bad JWKS, no private key', async () => {
    const a = await generateSigningKeys({ kid: 'same' });
    const b = await generateSigningKeys({ kid: 'same' });
    const token = await signEs256({
      jwtKeys: a.JWT_KEYS,
      payload: { role: 'anon' },
      now: NOW_MS,
      expiresIn: 60,
    });
    const wrong = await verifyWithJwks({ token, jwks: b.JWT_JWKS, now: NOW_MS }).catch(
      (error: unknown) => error,
    );
    expect(TokenVerificationError.isInstance(wrong)).toBe(true);
    expect((wrong as TokenVerificationError).reason).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    expect((wrong as Error).message).not.toContain(token);
    const expired = await verifyWithJwks({
      token,
      jwks: a.JWT_JWKS,
      now: NOW_MS + 3_600_000,
    }).catch((error: unknown) => error);
    expect((expired as TokenVerificationError).reason).toBe('ERR_JWT_EXPIRED');
    const garbage = await verifyWithJwks({ token: 'not.a.jwt', jwks: a.JWT_JWKS }).catch(
      (error: unknown) => error,
    );
    expect(TokenVerificationError.isInstance(garbage)).toBe(true);
    await expect(verifyWithJwks({ token, jwks: '{oops', now: NOW_MS })).rejects.toThrow(
      KeyFormatError,
    );
    await expect(verifyWithJwks({ token, jwks: '{"keys":[{"kty":"RSA"}]}' })).rejects.toThrow(
      KeyFormatError,
    );
    await expect(verifyWithJwks({ token: 5, jwks: a.JWT_JWKS } as never)).rejects.toThrow(
      InvalidInputError,
    );
    await expect(signEs256({ jwtKeys: a.JWT_JWKS, payload: {} })).rejects.toThrow(KeyFormatError);
    await expect(signEs256({ jwtKeys: '[]', payload: {} })).rejects.toThrow(SigningError);
    await expect(signEs256({ jwtKeys: a.JWT_KEYS, kid: 'other', payload: {} })).rejects.toThrow(
      /no EC private key with kid/,
    );
    const badD = JSON.parse(a.JWT_KEYS);
    badD[0].d = 'AAAA';
    await expect(signEs256({ jwtKeys: badD, payload: {} })).rejects.toThrow(SigningError);
  });

  it('rejects a token whose alg is not listed, and verifies legacy HS256 keys with the oct key of the JWKS', async () => {
    const secret = randomAlnum(40);
    const keys = await generateNewStyleKeys({ secret, now: NOW_MS });
    const es = await signEs256({ jwtKeys: keys.JWT_KEYS, payload: {}, now: NOW_MS });
    await expect(
      verifyWithJwks({ token: es, jwks: keys.JWT_JWKS, algorithms: ['HS256'], now: NOW_MS }),
    ).rejects.toThrow(TokenVerificationError);
    const legacy = await generateLegacyApiKeys({ secret, now: NOW_MS });
    const verified = await verifyWithJwks({
      token: legacy.ANON_KEY,
      jwks: keys.JWT_JWKS,
      algorithms: ['ES256', 'HS256'],
      now: NOW_MS,
    });
    expect(verified.payload.role).toBe('anon');
    const other = await generateLegacyApiKeys({ secret: randomAlnum(40), now: NOW_MS });
    await expect(
      verifyWithJwks({
        token: other.ANON_KEY,
        jwks: keys.JWT_JWKS,
        algorithms: ['HS256'],
        now: NOW_MS,
      }),
    ).rejects.toThrow(TokenVerificationError);
  });
});

describe('generateAsymmetricApiKeys / generateNewStyleKeys', () => {
  it('signs anon and service_role ES256 keys that verify against the JWKS', async () => {
    const secret = randomAlnum(40);
    const keys = await generateNewStyleKeys({ secret, now: NOW_MS, expiresIn: '2y' });
    for (const [token, role] of [
      [keys.ANON_KEY_ASYMMETRIC, 'anon'],
      [keys.SERVICE_ROLE_KEY_ASYMMETRIC, 'service_role'],
    ] as const) {
      const { payload } = await verifyWithJwks({ token, jwks: keys.JWT_JWKS, now: NOW_MS });
      expect(payload).toEqual({ role, iss: 'supabase', iat: NOW, exp: NOW + 2 * 365 * 86_400 });
    }
    expect(keys.SUPABASE_PUBLISHABLE_KEY).toMatch(/^sb_publishable_/);
    expect(keys.SUPABASE_SECRET_KEY).toMatch(/^sb_secret_/);
    expect(parseJwtKeys(keys.JWT_KEYS)).toHaveLength(2);
    expect(parseJwks(keys.JWT_JWKS).keys).toHaveLength(2);
    await expect(generateNewStyleKeys({ secret: 'short' })).rejects.toThrow(InvalidInputError);
    await expect(generateAsymmetricApiKeys({ jwtKeys: 7 } as never)).rejects.toThrow(
      InvalidInputError,
    );
  });
});

describe('parseJwtKeys / parseJwks', () => {
  it('reports JSON, shape and size problems as KeyFormatError', () => {
    expect(() => parseJwtKeys('nope')).toThrow(KeyFormatError);
    expect(() => parseJwtKeys('{"keys":[]}')).toThrow(/not an array/);
    expect(() => parseJwtKeys(`[${' '.repeat(300_000)}]`)).toThrow(/characters/);
    expect(() => parseJwks('[]')).toThrow(KeyFormatError);
    expect(parseJwks({ keys: [] })).toEqual({ keys: [] });
    let error: KeyFormatError | undefined;
    try {
      parseJwks('{');
    } catch (caught) {
      error = caught as KeyFormatError;
    }
    expect(error?.variable).toBe('JWT_JWKS');
    expect(error?.cause).toBeInstanceOf(SyntaxError);
  });
});
