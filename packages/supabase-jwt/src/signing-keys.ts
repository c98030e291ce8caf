import { randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { z } from 'zod';
import { decodeCompactJwt } from './compact-jwt.js';
import { API_KEY_ROLES, DEFAULT_API_KEY_LIFETIME_SECONDS, SUPABASE_ISSUER } from './constants.js';
import { SigningError, SupabaseJwtError, TokenVerificationError } from './errors.js';
import { loadJose } from './jose.js';
import {
  type EcJwk,
  isEc,
  isOct,
  type JwksDocument,
  type OctJwk,
  parseJwks,
  parseJwtKeys,
  type SupabaseJwk,
} from './jwk.js';
import { lazy } from './lazy.js';
import { redactSecret } from './redact.js';
import {
  lifetimeSchema,
  lifetimeToSeconds,
  type NowInput,
  nowSchema,
  toUnixSeconds,
} from './time.js';
import { parseInput } from './validation.js';

export interface SigningKeys {
  /** JSON array of private JWKs (EC P-256 signing key, plus the oct key of JWT_SECRET when given). For GoTrue's GOTRUE_JWT_KEYS. */
  JWT_KEYS: string;
  /** JSON `{"keys": [...]}` of public JWKs for PostgREST, Realtime and Storage. */
  JWT_JWKS: string;
  /** kid of the EC key. */
  kid: string;
}

export interface GenerateSigningKeysOptions {
  /** JWT_SECRET: added as oct key so JWKS verifiers still accept the HS256 keys (upstream does this). */
  secret?: string;
  /** kid of the new EC key; default a random UUID. */
  kid?: string;
}

const generateSchema = lazy(() =>
  z
    .object({
      secret: z.string().min(1).max(4096).optional(),
      kid: z.string().min(1).max(200).optional(),
    })
    .strict()
    .optional(),
);

/**
 * Generates an EC P-256 signing key pair as upstream's `utils/add-new-auth-keys.sh` does:
 * JWT_KEYS = [EC private JWK (key_ops sign+verify), oct JWK of JWT_SECRET], and
 * JWT_JWKS = {keys: [EC public JWK (key_ops verify), oct JWK of JWT_SECRET]}.
 */
export async function generateSigningKeys(
  options?: GenerateSigningKeysOptions,
): Promise<SigningKeys> {
  const parsed = parseInput('generateSigningKeys', generateSchema(), options);
  const kid = parsed?.kid ?? randomUUID();
  const { exportJWK, generateKeyPair } = await loadJose();
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const common = {
    kty: 'EC',
    kid,
    use: 'sig',
    alg: 'ES256',
    ext: true,
    crv: jwk.crv,
    x: jwk.x,
    y: jwk.y,
  };
  const oct =
    parsed?.secret === undefined
      ? []
      : [{ kty: 'oct', k: Buffer.from(parsed.secret, 'utf8').toString('base64url'), alg: 'HS256' }];
  const privateJwk = { ...common, key_ops: ['sign', 'verify'], d: jwk.d };
  const publicJwk = { ...common, key_ops: ['verify'] };
  return {
    JWT_KEYS: JSON.stringify([privateJwk, ...oct]),
    JWT_JWKS: JSON.stringify({ keys: [publicJwk, ...oct] }),
    kid,
  };
}

const jwkInput = () => z.union([z.string(), z.array(z.unknown())]);

export interface SignEs256Input {
  /** JWT_KEYS (string or parsed array) holding an EC private key. */
  jwtKeys: string | readonly unknown[];
  /** Claims; `iat` and `exp` are added unless present. */
  payload: Record<string, unknown>;
  /** Which EC key to use; default the first EC private key. */
  kid?: string;
  /** Lifetime for `exp` when the payload has none; default 5 years. */
  expiresIn?: number | string;
  now?: NowInput;
}

const signSchema = lazy(() =>
  z
    .object({
      jwtKeys: jwkInput(),
      payload: z.record(z.string(), z.unknown()),
      kid: z.string().optional(),
      expiresIn: lifetimeSchema().optional(),
      now: nowSchema(),
    })
    .strict(),
);

function pickSigningKey(keys: SupabaseJwk[], kid: string | undefined): EcJwk {
  const candidates = keys.filter(isEc).filter((key) => key.d !== undefined);
  const key =
    kid === undefined ? candidates[0] : candidates.find((candidate) => candidate.kid === kid);
  if (!key) {
    throw new SigningError(
      kid === undefined
        ? 'JWT_KEYS holds no EC P-256 private key (with "d"). Fix: generate one with generateSigningKeys().'
        : `JWT_KEYS holds no EC private key with kid ${redactSecret(kid)}. Fix: pass a kid present in JWT_KEYS, or omit kid.`,
    );
  }
  return key;
}

/** Signs an ES256 JWT with the EC private key from JWT_KEYS; the header carries its kid. */
export async function signEs256(input: SignEs256Input): Promise<string> {
  const parsed = parseInput('signEs256', signSchema(), input);
  const key = pickSigningKey(parseJwtKeys(parsed.jwtKeys), parsed.kid);
  const iat = toUnixSeconds(parsed.now);
  const claims: JWTPayload = { ...parsed.payload };
  if (claims.iat === undefined) claims.iat = iat;
  if (claims.exp === undefined) {
    claims.exp = iat + lifetimeToSeconds(parsed.expiresIn ?? DEFAULT_API_KEY_LIFETIME_SECONDS);
  }
  const { importJWK, SignJWT } = await loadJose();
  try {
    const privateKey = await importJWK(
      { kty: 'EC', crv: 'P-256', x: key.x, y: key.y, d: key.d },
      'ES256',
    );
    return await new SignJWT(claims)
      .setProtectedHeader({
        alg: 'ES256',
        typ: 'JWT',
        ...(key.kid === undefined ? {} : { kid: key.kid }),
      })
      .sign(privateKey);
  } catch (cause) {
    throw new SigningError(
      'ES256 signing failed: the EC key in JWT_KEYS is not a valid P-256 private key. Fix: regenerate it with generateSigningKeys().',
      { cause },
    );
  }
}

const asymmetricSchema = lazy(() =>
  z
    .object({ jwtKeys: jwkInput(), expiresIn: lifetimeSchema().optional(), now: nowSchema() })
    .strict(),
);

export type AsymmetricApiKeys = {
  ANON_KEY_ASYMMETRIC: string;
  SERVICE_ROLE_KEY_ASYMMETRIC: string;
};

/**
 * Signs the ES256 API keys the gateway substitutes for `Bearer sb_…` requests:
 * `{role, iss: "supabase", iat, exp}` for anon and service_role.
 */
export async function generateAsymmetricApiKeys(input: {
  jwtKeys: string | readonly unknown[];
  expiresIn?: number | string;
  now?: NowInput;
}): Promise<AsymmetricApiKeys> {
  const parsed = parseInput('generateAsymmetricApiKeys', asymmetricSchema(), input);
  const iat = toUnixSeconds(parsed.now);
  const exp = iat + lifetimeToSeconds(parsed.expiresIn ?? DEFAULT_API_KEY_LIFETIME_SECONDS);
  const [anon, service] = await Promise.all(
    API_KEY_ROLES.map((role) =>
      signEs256({ jwtKeys: parsed.jwtKeys, payload: { role, iss: SUPABASE_ISSUER, iat, exp } }),
    ),
  );
  return { ANON_KEY_ASYMMETRIC: anon as string, SERVICE_ROLE_KEY_ASYMMETRIC: service as string };
}

export interface VerifyWithJwksInput {
  token: string;
  /** JWT_JWKS (string or object). */
  jwks: string | object;
  /** Verification time; default now. */
  now?: NowInput;
  /** Accepted algorithms; default ["ES256"]. */
  algorithms?: string[];
}

export interface VerifiedToken {
  payload: JWTPayload;
  header: { alg: string; kid?: string; typ?: string };
}

const verifySchema = lazy(() =>
  z
    .object({
      token: z.string().max(16 * 1024, 'token longer than 16 KiB'),
      jwks: z.union([z.string(), z.object({}).loose()]),
      now: nowSchema(),
      algorithms: z.array(z.string()).min(1).optional(),
    })
    .strict(),
);

async function verifyWithOctKeys(token: string, keys: OctJwk[], currentDate: Date) {
  const { jwtVerify } = await loadJose();
  let last: unknown;
  for (const key of keys) {
    try {
      return await jwtVerify(token, Buffer.from(key.k, 'base64url'), {
        algorithms: ['HS256'],
        currentDate,
      });
    } catch (error) {
      last = error;
    }
  }
  throw last;
}

/**
 * Verifies a token against a JWKS (EC keys by kid; HS256 tokens against the JWKS's oct keys
 * when `algorithms` includes HS256), checking exp/nbf at `now`. Throws TokenVerificationError.
 */
export async function verifyWithJwks(input: VerifyWithJwksInput): Promise<VerifiedToken> {
  const parsed = parseInput('verifyWithJwks', verifySchema(), input);
  const jwks: JwksDocument = parseJwks(parsed.jwks);
  const algorithms = parsed.algorithms ?? ['ES256'];
  const currentDate = new Date(toUnixSeconds(parsed.now) * 1000);
  const decoded = decodeCompactJwt(parsed.token);
  const tokenKid = decoded.ok ? decoded.jwt.header.kid : undefined;
  const hs256 = decoded.ok && decoded.jwt.header.alg === 'HS256' && algorithms.includes('HS256');
  const allOct = jwks.keys.filter(isOct);
  // A token that names a kid is checked only against keys with that kid, as PostgREST does
  // (jose-jwt's keyIdCompatible): a key without kid does not match a token with one.
  const octKeys =
    tokenKid === undefined || tokenKid === null
      ? allOct
      : allOct.filter((key) => key.kid === tokenKid);
  if (hs256 && allOct.length > 0 && octKeys.length === 0) {
    throw new TokenVerificationError(
      'ERR_JWKS_NO_MATCHING_KEY',
      `The token (${redactSecret(parsed.token)}) names a kid that no oct key of the JWKS has (ERR_JWKS_NO_MATCHING_KEY). Fix: sign it without a kid (generateLegacyApiKeys()), or give the JWKS oct key that kid.`,
    );
  }
  const { createLocalJWKSet, jwtVerify } = await loadJose();
  try {
    // jose's local JWKS has no oct support: HS256 tokens are checked against the oct keys here.
    const result =
      hs256 && octKeys.length > 0
        ? await verifyWithOctKeys(parsed.token, octKeys, currentDate)
        : await jwtVerify(
            parsed.token,
            createLocalJWKSet(jwks as unknown as Parameters<typeof createLocalJWKSet>[0]),
            { algorithms, currentDate },
          );
    return { payload: result.payload, header: result.protectedHeader as VerifiedToken['header'] };
  } catch (cause) {
    if (SupabaseJwtError.isInstance(cause)) throw cause;
    const code = (cause as { code?: unknown }).code;
    const reason = typeof code === 'string' ? code : 'ERR_UNKNOWN';
    throw new TokenVerificationError(
      reason,
      `The token (${redactSecret(parsed.token)}) did not verify against the JWKS (${reason}). Fix: check that it was signed by a key of JWT_KEYS whose public key and kid are in JWT_JWKS, and that it has not expired.`,
      { cause },
    );
  }
}
