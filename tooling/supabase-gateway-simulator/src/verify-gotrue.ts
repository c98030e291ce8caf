import type { JWK } from 'jose';
import {
  algOfJwk,
  decodeRawBase64Url,
  jsonObject,
  keyTypeOf,
  publicKeyOf,
  signatureValid,
  splitCompact,
  type VerifyKey,
} from './jwt-parts.js';

// GoTrue's parseJWTClaims (supabase/auth internal/api/auth.go at v2.189.0) on top of
// golang-jwt v5.3.1's Parser: error strings are golang-jwt's, prefixed with GoTrue's
// "invalid JWT: unable to parse or verify signature, ". Claims are checked with no leeway.

export type GoTrueVerdict =
  | { ok: true; claims: Record<string, unknown> }
  | { ok: false; message: string };

const GO_METHODS = new Set([
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'none',
]);

const GO_TYPES: Record<string, string> = {
  string: 'string',
  number: 'number',
  boolean: 'bool',
  object: 'object',
};

function goType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return GO_TYPES[typeof value] ?? 'object';
}

/** AccessTokenClaims fields whose JSON type golang's decoder enforces. */
function claimTypeError(claims: Record<string, unknown>): string | undefined {
  for (const field of ['role', 'sub', 'session_id', 'email', 'phone', 'iss', 'jti']) {
    const value = claims[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      return `json: cannot unmarshal ${goType(value)} into Go struct field AccessTokenClaims.${field} of type string`;
    }
  }
  for (const field of ['exp', 'nbf', 'iat']) {
    const value = claims[field];
    if (value !== undefined && value !== null && typeof value !== 'number') {
      return `could not parse NumericData: json: cannot unmarshal ${goType(value)} into Go value of type json.Number`;
    }
  }
  return undefined;
}

const fail = (message: string): GoTrueVerdict => ({
  ok: false,
  message: `invalid JWT: unable to parse or verify signature, ${message}`,
});

export interface GoTrueKeys {
  /** GOTRUE_JWT_SECRET, a raw string used as the HMAC key. */
  secret: string;
  /** GOTRUE_JWT_KEYS (JWT_KEYS), looked up by kid. */
  keys: JWK[];
}

export async function verifyGoTrueJwt(
  token: string,
  keys: GoTrueKeys,
  nowMs: number,
): Promise<GoTrueVerdict> {
  const parts = splitCompact(token);
  if (typeof parts === 'number') {
    return fail('token is malformed: token contains an invalid number of segments');
  }
  const headerBytes = decodeRawBase64Url(parts.header);
  if (!headerBytes.ok) {
    return fail(
      `token is malformed: could not base64 decode header: illegal base64 data at input byte ${headerBytes.at}`,
    );
  }
  const header = jsonObject(headerBytes.value);
  if (!header) return fail('token is malformed: could not JSON decode header');
  const claimBytes = decodeRawBase64Url(parts.payload);
  if (!claimBytes.ok) {
    return fail(
      `token is malformed: could not base64 decode claim: illegal base64 data at input byte ${claimBytes.at}`,
    );
  }
  const claims = jsonObject(claimBytes.value);
  if (!claims) return fail('token is malformed: could not JSON decode claim');
  const typeError = claimTypeError(claims);
  if (typeError) return fail(`token is malformed: could not JSON decode claim: ${typeError}`);
  const alg = header.alg;
  if (typeof alg !== 'string')
    return fail('token is unverifiable: signing method (alg) is unspecified');
  if (!GO_METHODS.has(alg))
    return fail('token is unverifiable: signing method (alg) is unavailable');
  const signature = decodeRawBase64Url(parts.signature);
  if (!signature.ok) {
    return fail(
      `token is malformed: could not base64 decode signature: illegal base64 data at input byte ${signature.at}`,
    );
  }

  // config.JWT.ValidMethods: the algorithms of GOTRUE_JWT_KEYS, or HS256 from the secret
  const validMethods =
    keys.keys.length > 0
      ? keys.keys.map(algOfJwk).filter((a): a is string => a !== undefined)
      : ['HS256'];
  if (!validMethods.includes(alg)) {
    return fail(`token signature is invalid: signing method ${alg} is invalid`);
  }

  // keyfunc: a kid found in GOTRUE_JWT_KEYS wins, else HS256 falls back to the secret
  let key: VerifyKey | undefined;
  let keyType = 'oct';
  const kid = header.kid;
  const jwk = typeof kid === 'string' ? keys.keys.find((k) => k.kid === kid) : undefined;
  if (jwk) {
    // Go hands the key to the method, which refuses a key of the wrong kind
    key = keyTypeOf(alg) === jwk.kty ? await publicKeyOf(jwk, alg) : undefined;
    if (!key) return fail('token signature is invalid: key is of invalid type');
    keyType = jwk.kty as string;
  } else if (alg === 'HS256') {
    key = Buffer.from(keys.secret, 'utf8');
  } else {
    const shownKid = typeof kid === 'string' ? kid : kid === undefined ? '<nil>' : String(kid);
    return fail(
      `token is unverifiable: error while executing keyfunc: unrecognized JWT kid ${shownKid} for algorithm ${alg}`,
    );
  }
  if (!(await signatureValid(token, key, alg))) {
    const detail =
      keyType === 'EC'
        ? 'crypto/ecdsa: verification error'
        : keyType === 'RSA'
          ? 'crypto/rsa: verification error'
          : keyType === 'OKP'
            ? 'ed25519: verification error'
            : 'signature is invalid';
    return fail(`token signature is invalid: ${detail}`);
  }

  const now = nowMs / 1000;
  const problems: string[] = [];
  if (typeof claims.exp === 'number' && !(now < claims.exp)) problems.push('token is expired');
  if (typeof claims.nbf === 'number' && now < claims.nbf) problems.push('token is not valid yet');
  if (problems.length > 0) return fail(`token has invalid claims: ${problems.join(', ')}`);
  return { ok: true, claims };
}
