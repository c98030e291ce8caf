import {
  compactVerify,
  importJWK,
  type CryptoKey as JoseCryptoKey,
  type JWK,
  type KeyObject,
} from 'jose';

/** The three segments of a compact JWS, decoded as far as they go. */
export interface JwtSegments {
  header: string;
  payload: string;
  signature: string;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; at: number };

/**
 * Strict unpadded base64url, as Go's `base64.RawURLEncoding` reads it: the failure carries the
 * offset Go reports ("illegal base64 data at input byte N").
 */
export function decodeRawBase64Url(segment: string): Decoded<Buffer> {
  const bad = segment.search(/[^A-Za-z0-9_-]/);
  if (bad !== -1) return { ok: false, at: bad };
  if (segment.length % 4 === 1) return { ok: false, at: segment.length - 1 };
  return { ok: true, value: Buffer.from(segment, 'base64url') };
}

/** A JSON object, or undefined when the bytes are not one. */
export function jsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function splitCompact(token: string): JwtSegments | number {
  const parts = token.split('.');
  if (parts.length !== 3) return parts.length;
  const [header, payload, signature] = parts as [string, string, string];
  return { header, payload, signature };
}

export type VerifyKey = Uint8Array | JoseCryptoKey | KeyObject;

const FAMILY: Record<string, string> = { HS: 'oct', RS: 'RSA', PS: 'RSA', ES: 'EC', Ed: 'OKP' };

/** The JWK key type an algorithm needs (`HS256` → `oct`). */
export function keyTypeOf(alg: string): string | undefined {
  return FAMILY[alg.slice(0, 2)];
}

/** A verification key from a JWK, private parts dropped; undefined when jose cannot use it. */
export async function publicKeyOf(jwk: JWK, alg: string): Promise<VerifyKey | undefined> {
  try {
    if (jwk.kty === 'oct') {
      return typeof jwk.k === 'string' ? Buffer.from(jwk.k, 'base64url') : undefined;
    }
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, key_ops: _ops, ...pub } = jwk;
    return (await importJWK({ ...pub, ext: true }, alg)) as VerifyKey;
  } catch {
    return undefined;
  }
}

/** Checks the signature only; claims are each service's business. */
export async function signatureValid(token: string, key: VerifyKey, alg: string): Promise<boolean> {
  try {
    await compactVerify(token, key, { algorithms: [alg] });
    return true;
  } catch {
    return false;
  }
}

/** The algorithm a JWK signs with, as GoTrue's GetSigningAlg picks it. */
export function algOfJwk(jwk: JWK): string | undefined {
  if (typeof jwk.alg === 'string') return jwk.alg;
  if (jwk.kty === 'oct') return 'HS256';
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC') {
    return ({ 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' } as Record<string, string>)[
      jwk.crv ?? ''
    ];
  }
  if (jwk.kty === 'OKP') return 'EdDSA';
  return undefined;
}
