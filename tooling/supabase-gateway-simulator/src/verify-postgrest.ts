import type { JWK } from 'jose';
import {
  decodeRawBase64Url,
  jsonObject,
  keyTypeOf,
  publicKeyOf,
  signatureValid,
  splitCompact,
} from './jwt-parts.js';

// PostgREST v14.12: Auth.hs (Wai.extractBearerAuth), Auth/Jwt.hs (parseToken, checkForErrors
// with 30 s of skew, "role defaults to anon if not specified in jwt") and Error.hs (PGRST3xx).

export interface PgrstError {
  status: number;
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
  /** WWW-Authenticate, set on 401s. */
  challenge?: string;
}

export type PostgrestAuth =
  | { ok: true; role: string; claims: Record<string, unknown>; authenticated: boolean }
  | { ok: false; error: PgrstError };

/** What PGRST_JWT_SECRET parses to (Config.hs parseSecret). */
export type PostgrestSecret =
  | { kind: 'none' }
  | { kind: 'keys'; keys: JWK[] }
  | { kind: 'too-short' };

export function parsePostgrestSecret(text: string): PostgrestSecret {
  if (text === '') return { kind: 'none' };
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') {
      const set = (parsed as { keys?: unknown }).keys;
      if (Array.isArray(set)) return { kind: 'keys', keys: set as JWK[] };
      if (typeof (parsed as { kty?: unknown }).kty === 'string') {
        return { kind: 'keys', keys: [parsed as JWK] };
      }
    }
  } catch {
    // not JSON: a plain secret
  }
  if (Buffer.byteLength(text, 'utf8') < 32) return { kind: 'too-short' };
  return {
    kind: 'keys',
    keys: [{ kty: 'oct', k: Buffer.from(text, 'utf8').toString('base64url'), alg: 'HS256' }],
  };
}

const jwtError = (code: string, message: string, details: string | null = null): PgrstError => ({
  status: code === 'PGRST300' ? 500 : 401,
  code,
  message,
  details,
  hint: null,
  challenge:
    code === 'PGRST300'
      ? undefined
      : `Bearer error="invalid_token", error_description=${JSON.stringify(message)}`,
});

const isHsSpace = (c: string): boolean => /\s/.test(c);

/** Wai's extractBearerAuth: "bearer" (any case), whitespace, the token; anything else is no token. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  let cut = 0;
  while (cut < authorization.length && !isHsSpace(authorization[cut] as string)) cut++;
  if (authorization.slice(0, cut).toLowerCase() !== 'bearer') return undefined;
  let start = cut;
  while (start < authorization.length && isHsSpace(authorization[start] as string)) start++;
  return authorization.slice(start);
}

const SKEW = 30;

function claimsError(claims: Record<string, unknown>, now: number): PgrstError | undefined {
  const checks: [string, string, (n: number) => boolean, string][] = [
    ['exp', "The JWT 'exp' claim must be a number", (n) => now - SKEW > n, 'JWT expired'],
    ['nbf', "The JWT 'nbf' claim must be a number", (n) => now + SKEW < n, 'JWT not yet valid'],
    ['iat', "The JWT 'iat' claim must be a number", (n) => now + SKEW < n, 'JWT issued at future'],
  ];
  for (const [name, notNumber, bad, message] of checks) {
    const value = claims[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number') return jwtError('PGRST303', notNumber);
    if (bad(Math.trunc(value))) return jwtError('PGRST303', message);
  }
  const aud = claims.aud;
  const audOk =
    aud === undefined ||
    aud === null ||
    typeof aud === 'string' ||
    (Array.isArray(aud) && aud.every((a) => typeof a === 'string'));
  if (!audOk) {
    return jwtError('PGRST303', "The JWT 'aud' claim must be a string or an array of strings");
  }
  return undefined;
}

/** The role PostgREST runs a request as, or the JWT error it answers with. */
export async function authenticatePostgrest(
  authorization: string | undefined,
  secret: PostgrestSecret,
  anonRole: string,
  nowMs: number,
): Promise<PostgrestAuth> {
  const token = bearerToken(authorization);
  if (token === undefined) return { ok: true, role: anonRole, claims: {}, authenticated: false };
  if (token === '')
    return { ok: false, error: jwtError('PGRST301', 'Empty JWT is sent in Authorization header') };
  const parts = splitCompact(token);
  if (typeof parts === 'number') {
    return { ok: false, error: jwtError('PGRST301', `Expected 3 parts in JWT; got ${parts}`) };
  }
  if (secret.kind === 'none')
    return { ok: false, error: jwtError('PGRST300', 'Server lacks JWT secret') };
  const headerBytes = decodeRawBase64Url(parts.header);
  const header = headerBytes.ok ? jsonObject(headerBytes.value) : undefined;
  if (!header || typeof header.alg !== 'string') {
    return { ok: false, error: jwtError('PGRST301', "JWT couldn't be decoded") };
  }
  const alg = header.alg;
  const kid = header.kid;
  let verified = false;
  if (secret.kind === 'keys') {
    for (const jwk of secret.keys) {
      if (keyTypeOf(alg) !== jwk.kty) continue;
      if (typeof kid === 'string' && jwk.kid !== undefined && jwk.kid !== kid) continue;
      // jose-jwt ignores a JWK's alg and use: an HS512 token verifies with the HS256 secret
      const key = await publicKeyOf(jwk, alg);
      if (key && (await signatureValid(token, key, alg))) {
        verified = true;
        break;
      }
    }
  }
  if (!verified) {
    return {
      ok: false,
      error: jwtError(
        'PGRST301',
        'No suitable key or wrong key type',
        'None of the keys was able to decode the JWT',
      ),
    };
  }
  const payloadBytes = decodeRawBase64Url(parts.payload);
  const claims = payloadBytes.ok ? jsonObject(payloadBytes.value) : undefined;
  if (!claims) return { ok: false, error: jwtError('PGRST303', 'Parsing claims failed') };
  const problem = claimsError(claims, nowMs / 1000);
  if (problem) return { ok: false, error: problem };
  const roleClaim = claims.role;
  // walkJSPath finds a JSON null too, which then becomes the role "null"
  const role =
    roleClaim === undefined
      ? anonRole
      : typeof roleClaim === 'string'
        ? roleClaim
        : JSON.stringify(roleClaim);
  return { ok: true, role, claims, authenticated: true };
}
