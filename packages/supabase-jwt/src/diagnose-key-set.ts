import { createECDH, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { checkClaims, checkDecoding, checkTimes } from './diagnose-claims.js';
import {
  type Collector,
  clean,
  type KeyEnv,
  quoteClaim,
  type TokenFacts,
} from './diagnose-support.js';
import { SupabaseJwtError } from './errors.js';
import { type EcJwk, isEc, isOct, parseJwks, parseJwtKeys, type SupabaseJwk } from './jwk.js';
import { redactSecret } from './redact.js';

export interface KeyMaterial {
  /** Public keys imported once per diagnosis (importing validates the point and is slow). */
  publicKeys: Map<EcJwk, KeyObject | undefined>;
  jwtKeys: SupabaseJwk[];
  jwks: SupabaseJwk[];
  jwksPresent: boolean;
  jwksValid: boolean;
  /** Parse failures, reported by reportKeySetProblems() after the legacy keys. */
  problems: { code: 'JWT_KEYS_MALFORMED' | 'JWT_JWKS_MALFORMED'; message: string }[];
}

/** Parses JWT_KEYS and JWT_JWKS first: the legacy keys are judged against JWT_JWKS too. */
export function readKeySet(env: KeyEnv): KeyMaterial {
  const material: KeyMaterial = {
    publicKeys: new Map(),
    jwtKeys: [],
    jwks: [],
    jwksPresent: false,
    jwksValid: false,
    problems: [],
  };
  const keysRaw = clean(env.JWT_KEYS);
  const jwksRaw = clean(env.JWT_JWKS);
  if (keysRaw) {
    try {
      material.jwtKeys = parseJwtKeys(keysRaw.value);
    } catch (error) {
      material.problems.push({
        code: 'JWT_KEYS_MALFORMED',
        message: describeKeyError(error, 'JWT_KEYS'),
      });
    }
  }
  if (jwksRaw) {
    material.jwksPresent = true;
    try {
      material.jwks = parseJwks(jwksRaw.value).keys;
      material.jwksValid = true;
    } catch (error) {
      material.problems.push({
        code: 'JWT_JWKS_MALFORMED',
        message: describeKeyError(error, 'JWT_JWKS'),
      });
    }
  }
  return material;
}

export function reportKeySetProblems(out: Collector, material: KeyMaterial): void {
  for (const { code, message } of material.problems) {
    out.add(code, code === 'JWT_KEYS_MALFORMED' ? 'JWT_KEYS' : 'JWT_JWKS', message);
  }
}

/** The kids of the oct keys in JWT_JWKS: where PostgREST finds the key of an HS256 token with a kid. */
export function octKidsOf(material: KeyMaterial): Set<string> {
  const kids = new Set<string>();
  for (const key of material.jwks) if (isOct(key) && key.kid !== undefined) kids.add(key.kid);
  return kids;
}

function describeKeyError(error: unknown, variable: string): string {
  return SupabaseJwtError.isInstance(error) ? error.message : `${variable} could not be read.`;
}

function publicKeyOf(jwk: EcJwk): KeyObject | undefined {
  try {
    return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/** Whether `d` of a P-256 JWK yields its `x`/`y` (the public point is recomputed from `d`). */
function privateKeyPairWorks(jwk: EcJwk): boolean {
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(jwk.d as string, 'base64url'));
    const point = ecdh.getPublicKey(); // 0x04 || X || Y
    return (
      point.subarray(1, 33).toString('base64url') === jwk.x &&
      point.subarray(33).toString('base64url') === jwk.y
    );
  } catch {
    return false;
  }
}

export function checkKeySet(
  out: Collector,
  material: KeyMaterial,
  secret: string | undefined,
): void {
  const ecPrivate = material.jwtKeys.filter(isEc);
  const ecPublic = material.jwks.filter(isEc);
  for (const key of ecPrivate) {
    if (key.d === undefined) {
      out.add(
        'JWT_KEYS_MALFORMED',
        'JWT_KEYS',
        `The EC key ${redactSecret(key.kid)} in JWT_KEYS has no private part "d", so Auth cannot sign with it.`,
      );
    } else if (!privateKeyPairWorks(key)) {
      out.add(
        'JWT_KEYS_MALFORMED',
        'JWT_KEYS',
        `The EC key ${redactSecret(key.kid)} in JWT_KEYS is not a valid P-256 key pair (its "d" does not match x/y).`,
      );
    }
  }
  if (ecPrivate.length > 0 && ecPublic.length === 0 && !out.has('JWT_JWKS_MALFORMED')) {
    out.add(
      'JWT_KEYS_WITHOUT_JWKS',
      'JWT_JWKS',
      material.jwksPresent
        ? 'JWT_KEYS holds an EC signing key but JWT_JWKS holds no EC public key: Auth signs ES256 tokens nobody can verify.'
        : 'JWT_KEYS holds an EC signing key but JWT_JWKS is not set: Auth signs ES256 tokens nobody can verify.',
    );
  }
  if (ecPublic.length > 0 && ecPrivate.length === 0 && !out.has('JWT_KEYS_MALFORMED')) {
    out.add(
      'JWT_JWKS_WITHOUT_KEYS',
      'JWT_KEYS',
      'JWT_JWKS lists EC public keys but JWT_KEYS holds no EC private key, so Auth never signs with them.',
    );
  }
  for (const key of ecPublic) {
    if (key.d !== undefined) {
      out.add(
        'JWT_JWKS_PRIVATE_KEY_EXPOSED',
        'JWT_JWKS',
        `The key ${redactSecret(key.kid)} in JWT_JWKS includes its private part "d"; JWT_JWKS is served publicly.`,
      );
    }
  }
  if (ecPublic.length > 0) {
    for (const key of ecPrivate) {
      const byKid = ecPublic.find((candidate) => candidate.kid === key.kid);
      const samePoint = ecPublic.find(
        (candidate) => candidate.x === key.x && candidate.y === key.y,
      );
      if (byKid && (byKid.x !== key.x || byKid.y !== key.y)) {
        out.add(
          'JWT_JWKS_MISMATCH',
          'JWT_JWKS',
          `JWT_JWKS has kid ${redactSecret(key.kid)} with another public key than the private key in JWT_KEYS.`,
        );
      } else if (!byKid && samePoint) {
        out.add(
          'JWT_KID_MISMATCH',
          'JWT_JWKS',
          `The signing key of JWT_KEYS (kid ${redactSecret(key.kid)}) is in JWT_JWKS under kid ${redactSecret(samePoint.kid)}; verifiers look keys up by kid.`,
        );
      } else if (!byKid) {
        out.add(
          'JWT_JWKS_MISMATCH',
          'JWT_JWKS',
          `The public key of the JWT_KEYS key ${redactSecret(key.kid)} is not in JWT_JWKS.`,
        );
      }
    }
  }
  if (secret === undefined) return;
  const secretB64 = Buffer.from(secret, 'utf8').toString('base64url');
  if (material.jwtKeys.filter(isOct).some((key) => key.k !== secretB64)) {
    out.add(
      'JWT_KEYS_SECRET_MISMATCH',
      'JWT_KEYS',
      'The oct key in JWT_KEYS is not JWT_SECRET; Auth and the other services would disagree on HS256 tokens.',
    );
  }
  const jwksOct = material.jwks.filter(isOct);
  if (jwksOct.some((key) => key.k !== secretB64)) {
    out.add(
      'JWT_KEYS_SECRET_MISMATCH',
      'JWT_JWKS',
      'The oct key in JWT_JWKS is not JWT_SECRET, so services verifying with the JWKS reject ANON_KEY and SERVICE_ROLE_KEY.',
    );
  } else if (ecPublic.length > 0 && jwksOct.length === 0) {
    out.add(
      'JWT_KEYS_SECRET_MISMATCH',
      'JWT_JWKS',
      'JWT_JWKS has no oct key for JWT_SECRET, so services verifying with the JWKS (PGRST_JWT_SECRET set from JWT_JWKS) reject the HS256 ANON_KEY and SERVICE_ROLE_KEY.',
    );
  }
}

export function analyzeAsymmetricKey(
  out: Collector,
  variable: string,
  raw: string | undefined | null,
  material: KeyMaterial,
  now: number,
): TokenFacts | undefined {
  const cleaned = clean(raw);
  if (!cleaned) return undefined;
  if (cleaned.untrimmed) {
    out.add('JWT_KEY_UNTRIMMED', variable, `${variable} has whitespace or quotes around it.`);
  }
  const jwt = checkDecoding(out, variable, cleaned.value);
  if (!jwt) return { value: cleaned.value };
  const { alg, kid } = jwt.header;
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
    out.add('JWT_ALG_NONE', variable, `${variable} has alg "none": it is not signed at all.`);
  } else if (alg !== 'ES256') {
    out.add(
      'JWT_ALG_UNEXPECTED',
      variable,
      `${variable} has alg ${quoteClaim(alg)}; asymmetric API keys are ES256.`,
    );
  }
  const role = checkClaims(out, variable, jwt, false);
  checkTimes(out, variable, jwt.payload, now);
  if (alg === 'ES256') {
    const ecPublic = material.jwks.filter(isEc);
    const key = ecPublic.find((candidate) => candidate.kid === kid);
    if (ecPublic.length === 0) {
      out.add(
        'JWT_ASYMMETRIC_SIGNATURE_INVALID',
        variable,
        `${variable} cannot be verified: JWT_JWKS holds no EC public key.`,
      );
    } else if (!key) {
      out.add(
        'JWT_KID_MISMATCH',
        variable,
        kid === undefined
          ? `${variable} has no kid header, so verifiers cannot pick its key from JWT_JWKS.`
          : `${variable} names kid ${redactSecret(kid)}, which JWT_JWKS does not hold.`,
      );
    } else {
      if (!material.publicKeys.has(key)) material.publicKeys.set(key, publicKeyOf(key));
      const publicKey = material.publicKeys.get(key);
      const valid =
        publicKey !== undefined &&
        verify(
          'sha256',
          Buffer.from(jwt.signingInput),
          { key: publicKey, dsaEncoding: 'ieee-p1363' },
          Buffer.from(jwt.signature, 'base64url'),
        );
      if (!valid) {
        out.add(
          'JWT_ASYMMETRIC_SIGNATURE_INVALID',
          variable,
          `${variable} does not verify with the JWT_JWKS key of its kid.`,
        );
      }
    }
  }
  return {
    jwt,
    value: cleaned.value,
    iss: jwt.payload.iss,
    ...(role === undefined ? {} : { role }),
  };
}
