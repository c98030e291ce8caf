import { importJWK, type JWK, type JWTHeaderParameters, jwtVerify } from 'jose';

// Storage API v1.60.4 verifies with jose itself (src/internal/auth/jwt.ts: findJWKFromHeader,
// getJWTAlgorithms, verifyJWT), so the same jose calls give its messages byte for byte.

const HMAC = ['HS256', 'HS384', 'HS512'];
const RSA = ['RS256', 'RS384', 'RS512'];
const ECC = ['ES256', 'ES384', 'ES512'];
const ED = ['EdDSA'];

export type StorageVerdict =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; message: string };

function algorithms(jwks: JWK[] | null): string[] {
  if (!jwks || jwks.length === 0) return ['HS256'];
  return [
    'HS256',
    ...(jwks.some((k) => k.kty === 'RSA') ? RSA : []),
    ...(jwks.some((k) => k.kty === 'EC') ? ECC : []),
    ...(jwks.some((k) => k.kty === 'OKP' && (k.crv === 'Ed25519' || k.crv === 'Ed448')) ? ED : []),
    ...(jwks.some((k) => k.kty === 'oct' && k.k) ? HMAC : []),
  ];
}

async function findKey(header: JWTHeaderParameters, secret: string, jwks: JWK[] | null) {
  const encoded = new TextEncoder().encode(secret);
  if (!jwks) return encoded;
  if (HMAC.includes(header.alg)) {
    if (!header.kid && header.alg === 'HS256') return encoded;
    const jwk = jwks.find((k) => (!k.kid || k.kid === header.kid) && k.kty === 'oct' && k.k);
    return jwk?.k ? Buffer.from(jwk.k, 'base64') : encoded;
  }
  const kty = ECC.includes(header.alg) ? 'EC' : ED.includes(header.alg) ? 'OKP' : 'RSA';
  const jwk = jwks.find((k) => ((!k.kid && !header.kid) || k.kid === header.kid) && k.kty === kty);
  return jwk ? importJWK(jwk) : encoded;
}

/** Storage's verifyJWT: the payload, or jose's error message (Storage puts it in AccessDenied). */
export async function verifyStorageJwt(
  token: string,
  secret: string,
  jwks: JWK[] | null,
  nowMs: number,
): Promise<StorageVerdict> {
  try {
    const { payload } = await jwtVerify(token, (header) => findKey(header, secret, jwks), {
      algorithms: algorithms(jwks),
      currentDate: new Date(nowMs),
    });
    return { ok: true, payload: payload as Record<string, unknown> };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
