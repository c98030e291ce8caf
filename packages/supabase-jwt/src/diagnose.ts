import { createECDH, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { z } from 'zod';
import { type DecodedJwt, decodeCompactJwt, verifyHs256 } from './compact-jwt.js';
import {
  type ApiKeyRole,
  CLOCK_SKEW_SECONDS,
  DAY_SECONDS,
  DOKPLOY_FALLBACK_ISSUER,
  DOKPLOY_FIXED_EXP,
  MAX_SECRET_DECODE_LENGTH,
  MIN_JWT_SECRET_LENGTH,
  SELF_HOSTED_PROJECT_REF,
  SUPABASE_ISSUER,
} from './constants.js';
import { DEMO_API_KEYS, DEMO_ISSUER, DEMO_JWT_SECRETS } from './demo.js';
import { SupabaseJwtError } from './errors.js';
import { type Finding, type FindingCode, finding, type Severity } from './finding-codes.js';
import { type EcJwk, isEc, isOct, parseJwks, parseJwtKeys, type SupabaseJwk } from './jwk.js';
import { parseOpaqueApiKey } from './opaque-keys.js';
import { redactSecret } from './redact.js';
import { type NowInput, nowSchema, toUnixSeconds } from './time.js';
import { parseInput } from './validation.js';

/** An env as read from `.env`, Dokploy or `process.env`. Unknown variables are ignored. */
export type KeyEnv = Readonly<Record<string, string | undefined | null>>;

export interface DiagnoseOptions {
  /** The instant to judge exp/iat against (Date or epoch ms); default now. */
  now?: NowInput;
  /** Project ref of the sb_ key checksum; default `supabase-self-hosted`. */
  projectRef?: string;
}

export interface Diagnosis {
  /** Errors first, then warnings, then info. */
  findings: Finding[];
  /** True when there is no finding of severity `error`. */
  ok: boolean;
  counts: Record<Severity, number>;
}

const envSchema = z.record(z.string(), z.union([z.string(), z.undefined(), z.null()]));
const optionsSchema = z
  .object({ now: nowSchema, projectRef: z.string().min(1).max(200).optional() })
  .strict()
  .optional();

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** A value with surrounding whitespace and one pair of matching quotes removed. */
interface Cleaned {
  value: string;
  untrimmed: boolean;
}

function clean(raw: string | undefined | null): Cleaned | undefined {
  if (raw === undefined || raw === null) return undefined;
  let value = raw.trim();
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) {
    value = value.slice(1, -1).trim();
  }
  if (value === '') return undefined;
  return { value, untrimmed: value !== raw };
}

function quoteClaim(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function isoDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}

class Collector {
  readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();

  add(code: FindingCode, variable: string, message: string, fix?: string): void {
    const key = `${code}|${variable}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push(finding(code, variable, message, fix));
  }

  has(code: FindingCode, variable?: string): boolean {
    return this.findings.some(
      (item) => item.code === code && (variable === undefined || item.variable === variable),
    );
  }
}

interface TokenFacts {
  jwt?: DecodedJwt;
  role?: string;
  iss?: unknown;
  value: string;
}

/** base64/base64url/hex readings of the secret, the ways online generators mistreat it. */
function decodedSecretVariants(secret: string): { label: string; key: Buffer }[] {
  if (secret.length > MAX_SECRET_DECODE_LENGTH) return [];
  const variants: { label: string; key: Buffer }[] = [];
  const push = (label: string, key: Buffer) => {
    if (key.length > 0 && !variants.some((variant) => variant.key.equals(key))) {
      variants.push({ label, key });
    }
  };
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(secret) && secret.length % 4 === 0) {
    push('base64-decoded', Buffer.from(secret, 'base64'));
  }
  if (/^[A-Za-z0-9_-]+$/.test(secret) && secret.length % 4 !== 1) {
    push('base64-decoded', Buffer.from(secret, 'base64url'));
  }
  if (/^(?:[0-9a-fA-F]{2})+$/.test(secret)) push('hex-decoded', Buffer.from(secret, 'hex'));
  return variants;
}

function checkDecoding(out: Collector, variable: string, token: string): DecodedJwt | undefined {
  const result = decodeCompactJwt(token);
  if (result.ok) return result.jwt;
  const { failure } = result;
  switch (failure.kind) {
    case 'too-long':
      out.add(
        'JWT_MALFORMED_TOO_LONG',
        variable,
        `${variable} is ${token.length} characters long; a Supabase key is a few hundred. It was not parsed.`,
      );
      break;
    case 'parts':
      out.add(
        'JWT_MALFORMED_PARTS',
        variable,
        `${variable} has ${failure.count} dot-separated part${failure.count === 1 ? '' : 's'}; a JWT has exactly 3 (header.payload.signature).`,
      );
      break;
    case 'base64':
      out.add(
        'JWT_MALFORMED_BASE64',
        variable,
        `The ${failure.part} of ${variable} is not valid unpadded base64url.`,
      );
      break;
    case 'json':
      out.add(
        'JWT_MALFORMED_JSON',
        variable,
        `The ${failure.part} of ${variable} is not a JSON object.`,
      );
      break;
  }
  return undefined;
}

function checkTimes(
  out: Collector,
  variable: string,
  payload: Record<string, unknown>,
  now: number,
): void {
  const { exp, iat } = payload;
  if (exp === undefined) {
    out.add('JWT_EXP_MISSING', variable, `${variable} has no exp claim, so it never expires.`);
  } else if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    out.add(
      'JWT_CLAIM_INVALID',
      variable,
      `The exp claim of ${variable} is ${quoteClaim(exp)}, not a number of seconds.`,
    );
  } else {
    if (exp === DOKPLOY_FIXED_EXP) {
      out.add(
        'JWT_EXP_DOKPLOY_FIXED_DATE',
        variable,
        `${variable} expires at Dokploy’s fixed date 2030-01-01T00:00:00Z (the \${jwt:…} helper and the template’s \${timestamps:2030-01-01T00:00:00Z}), not at a date relative to when it was issued.`,
      );
    }
    if (exp <= now) {
      out.add(
        'JWT_EXPIRED',
        variable,
        `${variable} expired at ${isoDate(exp)}; services refuse it.`,
      );
    } else if (exp <= now + 30 * DAY_SECONDS) {
      out.add(
        'JWT_EXPIRES_WITHIN_30_DAYS',
        variable,
        `${variable} expires at ${isoDate(exp)}, within 30 days.`,
      );
    } else if (exp <= now + 90 * DAY_SECONDS) {
      out.add(
        'JWT_EXPIRES_WITHIN_90_DAYS',
        variable,
        `${variable} expires at ${isoDate(exp)}, within 90 days.`,
      );
    }
  }
  if (iat !== undefined) {
    if (typeof iat !== 'number' || !Number.isFinite(iat)) {
      out.add(
        'JWT_CLAIM_INVALID',
        variable,
        `The iat claim of ${variable} is ${quoteClaim(iat)}, not a number of seconds.`,
      );
    } else if (iat > now + CLOCK_SKEW_SECONDS) {
      out.add(
        'JWT_IAT_FUTURE',
        variable,
        `${variable} says it was issued at ${isoDate(iat)}, in the future.`,
      );
    }
  }
}

function checkClaims(
  out: Collector,
  variable: string,
  jwt: DecodedJwt,
  demo: boolean,
): TokenFacts['role'] {
  const { role, iss } = jwt.payload;
  let roleText: string | undefined;
  if (role === undefined) {
    out.add(
      'JWT_ROLE_MISSING',
      variable,
      iss === DOKPLOY_FALLBACK_ISSUER
        ? `${variable} has no role claim and iss "dokploy": Dokploy template bug A (Dokploy < v0.25.6, or a template payload with trailing commas, could not parse the payload and signed its fallback {iat, exp, iss: "dokploy"}; dokploy#2867, templates#317). GoTrue answers 403 not_admin.`
        : `${variable} has no role claim, so PostgREST, GoTrue and Storage cannot tell anon from service_role.`,
    );
  } else if (typeof role !== 'string') {
    out.add(
      'JWT_CLAIM_INVALID',
      variable,
      `The role claim of ${variable} is ${quoteClaim(role)}, not a string.`,
    );
  } else {
    roleText = role;
  }
  if (iss === DOKPLOY_FALLBACK_ISSUER) {
    out.add(
      'JWT_ISS_DOKPLOY',
      variable,
      `${variable} has iss "dokploy": it is Dokploy’s fallback payload from template bug A, not the template’s intended {role, iss: "supabase"} payload.`,
    );
  } else if (iss !== SUPABASE_ISSUER && !(demo && iss === DEMO_ISSUER)) {
    out.add(
      'JWT_ISS_UNEXPECTED',
      variable,
      iss === undefined
        ? `${variable} has no iss claim; "supabase" is expected.`
        : `${variable} has iss ${quoteClaim(iss)}; "supabase" is expected.`,
    );
  }
  return roleText;
}

function verifiesWithDemoSecret(jwt: DecodedJwt): boolean {
  return DEMO_JWT_SECRETS.some((demoSecret) => verifyHs256(jwt, demoSecret));
}

function analyzeLegacyKey(
  out: Collector,
  variable: string,
  raw: string | undefined | null,
  secret: string | undefined,
  now: number,
): TokenFacts | undefined {
  const cleaned = clean(raw);
  if (!cleaned) {
    out.add('JWT_KEY_MISSING', variable, `${variable} is not set.`);
    return undefined;
  }
  const token = cleaned.value;
  if (cleaned.untrimmed) {
    out.add(
      'JWT_KEY_UNTRIMMED',
      variable,
      `${variable} has whitespace or quotes around it; Kong compares the apikey header with it as a plain string.`,
    );
  }
  const exactDemo = DEMO_API_KEYS.includes(token);
  const jwt = checkDecoding(out, variable, token);
  if (!jwt) return { value: token };
  const alg = jwt.header.alg;
  const algIsHs256 = alg === 'HS256';
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
    out.add('JWT_ALG_NONE', variable, `${variable} has alg "none": it is not signed at all.`);
  } else if (!algIsHs256) {
    out.add(
      'JWT_ALG_UNEXPECTED',
      variable,
      `${variable} has alg ${quoteClaim(alg)}; legacy API keys are HS256 signed with JWT_SECRET.`,
    );
  }
  const demo = exactDemo || (algIsHs256 && verifiesWithDemoSecret(jwt));
  if (demo) {
    out.add(
      'JWT_DEMO_KEY',
      variable,
      exactDemo
        ? `${variable} is the public demo key from Supabase’s .env.example (Dokploy pre-0.22.5 template bug C); anyone can forge such tokens.`
        : `${variable} is signed with a public Supabase demo secret (Dokploy pre-0.22.5 template bug C / .env.example defaults); anyone can forge such tokens.`,
    );
  }
  const role = checkClaims(out, variable, jwt, demo);
  checkTimes(out, variable, jwt.payload, now);
  if (algIsHs256 && secret !== undefined && !verifyHs256(jwt, secret)) {
    const decoded = decodedSecretVariants(secret).find((variant) => verifyHs256(jwt, variant.key));
    if (decoded) {
      out.add(
        'JWT_SIGNATURE_DECODED_SECRET',
        variable,
        `${variable} verifies only with JWT_SECRET ${decoded.label}; Supabase services use JWT_SECRET as a raw UTF-8 string, so they reject it (PGRST301 JWSInvalidSignature).`,
      );
    } else {
      out.add(
        'JWT_SIGNATURE_INVALID',
        variable,
        demo
          ? `${variable} is signed with a public demo secret, not with this deployment’s JWT_SECRET; services answer "invalid signature".`
          : `${variable} does not verify with JWT_SECRET: it was signed with an unknown secret (Dokploy template bug B, the hard-coded keys of March-May 2025, or keys copied from another deployment); services answer "invalid signature".`,
      );
    }
  }
  return { jwt, value: token, iss: jwt.payload.iss, ...(role === undefined ? {} : { role }) };
}

function checkPair(
  out: Collector,
  names: [string, string],
  anon: TokenFacts | undefined,
  service: TokenFacts | undefined,
): void {
  const [anonName, serviceName] = names;
  const roles: [string, ApiKeyRole, TokenFacts | undefined][] = [
    [anonName, 'anon', anon],
    [serviceName, 'service_role', service],
  ];
  if (anon && service && anon.value === service.value) {
    const bugA =
      anon.jwt !== undefined && anon.role === undefined && anon.iss === DOKPLOY_FALLBACK_ISSUER;
    out.add(
      'JWT_IDENTICAL_KEYS',
      anonName,
      bugA
        ? `${anonName} and ${serviceName} are byte-identical role-less tokens with iss "dokploy": Dokploy template bug A (dokploy#2867, templates#317; fixed in Dokploy v0.25.6 with templates#466). The "service" key has no more rights than the anon key.`
        : `${anonName} and ${serviceName} are the same string, so Kong cannot tell the anon consumer from service_role.`,
    );
  }
  if (anon?.role === 'service_role' && service?.role === 'anon') {
    out.add(
      'JWT_ROLES_SWAPPED',
      anonName,
      `${anonName} carries role service_role and ${serviceName} carries anon: the values are swapped, and the public key grants admin rights.`,
    );
    return;
  }
  for (const [name, expected, facts] of roles) {
    if (facts?.role !== undefined && facts.role !== expected) {
      out.add(
        'JWT_ROLE_WRONG',
        name,
        expected === 'anon' && facts.role === 'service_role'
          ? `${name} carries role service_role: anyone holding the public anon key has full admin access.`
          : `${name} carries role ${quoteClaim(facts.role)}; it must be "${expected}".`,
      );
    }
  }
}

interface KeyMaterial {
  /** Public keys imported once per diagnosis (importing validates the point and is slow). */
  publicKeys: Map<EcJwk, KeyObject | undefined>;
  jwtKeys: SupabaseJwk[];
  jwks: SupabaseJwk[];
  jwksPresent: boolean;
  jwksValid: boolean;
}

function readKeySet(out: Collector, env: KeyEnv): KeyMaterial {
  const material: KeyMaterial = {
    publicKeys: new Map(),
    jwtKeys: [],
    jwks: [],
    jwksPresent: false,
    jwksValid: false,
  };
  const keysRaw = clean(env.JWT_KEYS);
  const jwksRaw = clean(env.JWT_JWKS);
  if (keysRaw) {
    try {
      material.jwtKeys = parseJwtKeys(keysRaw.value);
    } catch (error) {
      out.add('JWT_KEYS_MALFORMED', 'JWT_KEYS', describeKeyError(error, 'JWT_KEYS'));
    }
  }
  if (jwksRaw) {
    material.jwksPresent = true;
    try {
      material.jwks = parseJwks(jwksRaw.value).keys;
      material.jwksValid = true;
    } catch (error) {
      out.add('JWT_JWKS_MALFORMED', 'JWT_JWKS', describeKeyError(error, 'JWT_JWKS'));
    }
  }
  return material;
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

function checkKeySet(out: Collector, material: KeyMaterial, secret: string | undefined): void {
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

function analyzeAsymmetricKey(
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
          : `${variable} names kid ${redactSecret(String(kid))}, which JWT_JWKS does not hold.`,
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

function analyzeOpaqueKeys(out: Collector, env: KeyEnv, projectRef: string): void {
  const slots = [
    ['SUPABASE_PUBLISHABLE_KEY', 'publishable', 'ANON_KEY_ASYMMETRIC'],
    ['SUPABASE_SECRET_KEY', 'secret', 'SERVICE_ROLE_KEY_ASYMMETRIC'],
  ] as const;
  const values: (string | undefined)[] = [];
  for (const [variable, type, asymmetric] of slots) {
    const cleaned = clean(env[variable]);
    values.push(cleaned?.value);
    if (!cleaned) continue;
    if (cleaned.untrimmed) {
      out.add('JWT_KEY_UNTRIMMED', variable, `${variable} has whitespace or quotes around it.`);
    }
    const parsed = parseOpaqueApiKey(cleaned.value, projectRef);
    if (!parsed) {
      out.add(
        'API_KEY_PREFIX_INVALID',
        variable,
        `${variable} does not start with sb_${type}_${cleaned.value.startsWith('eyJ') ? ' (it looks like a JWT: legacy keys belong in ANON_KEY/SERVICE_ROLE_KEY)' : ''}.`,
      );
    } else if (parsed.type !== type) {
      out.add(
        'API_KEY_PREFIX_SWAPPED',
        variable,
        `${variable} holds an sb_${parsed.type}_ key; it needs an sb_${type}_ key.`,
      );
    } else if (!parsed.wellFormed) {
      out.add(
        'API_KEY_FORMAT_INVALID',
        variable,
        `${variable} is not sb_${type}_ + 22 base64url characters + "_" + 8-character checksum.`,
      );
    } else if (!parsed.checksumValid) {
      out.add(
        'API_KEY_CHECKSUM_MISMATCH',
        variable,
        `The checksum of ${variable} does not match for project ref ${quoteClaim(projectRef)}.`,
      );
    }
    if (!clean(env[asymmetric])) {
      out.add(
        'API_KEY_ASYMMETRIC_MISSING',
        asymmetric,
        `${variable} is set but ${asymmetric} is not: the gateway has no JWT to forward for "Bearer sb_${type}_…" requests.`,
      );
    }
  }
  const [publishable, secret] = values;
  if ((publishable === undefined) !== (secret === undefined)) {
    out.add(
      'API_KEY_PAIR_INCOMPLETE',
      publishable === undefined ? 'SUPABASE_PUBLISHABLE_KEY' : 'SUPABASE_SECRET_KEY',
      `Only ${publishable === undefined ? 'SUPABASE_SECRET_KEY' : 'SUPABASE_PUBLISHABLE_KEY'} is set; set both sb_ keys or neither.`,
    );
  } else if (publishable !== undefined && publishable === secret) {
    out.add(
      'API_KEYS_IDENTICAL',
      'SUPABASE_SECRET_KEY',
      'SUPABASE_PUBLISHABLE_KEY and SUPABASE_SECRET_KEY are the same string.',
    );
  }
}

function analyzeSecret(out: Collector, raw: string | undefined | null): string | undefined {
  const cleaned = clean(raw);
  if (!cleaned) {
    out.add(
      'JWT_SECRET_MISSING',
      'JWT_SECRET',
      'JWT_SECRET is not set, so no key can be checked against it.',
    );
    return undefined;
  }
  const secret = cleaned.value;
  if (cleaned.untrimmed) {
    out.add('JWT_SECRET_UNTRIMMED', 'JWT_SECRET', 'JWT_SECRET has whitespace or quotes around it.');
  }
  if (DEMO_JWT_SECRETS.includes(secret)) {
    out.add(
      'JWT_SECRET_DEMO',
      'JWT_SECRET',
      'JWT_SECRET is the public demo secret from Supabase’s .env.example / CLI (Dokploy pre-0.22.5 template bug C): anyone can sign service_role tokens.',
    );
  } else if (secret.length < MIN_JWT_SECRET_LENGTH) {
    out.add(
      'JWT_SECRET_TOO_SHORT',
      'JWT_SECRET',
      `JWT_SECRET is ${secret.length} characters; at least ${MIN_JWT_SECRET_LENGTH} are required.`,
    );
  }
  return secret;
}

/**
 * Judges the key set of an env at `now`: JWT_SECRET, ANON_KEY, SERVICE_ROLE_KEY and, when
 * present, JWT_KEYS, JWT_JWKS, ANON_KEY_ASYMMETRIC, SERVICE_ROLE_KEY_ASYMMETRIC,
 * SUPABASE_PUBLISHABLE_KEY, SUPABASE_SECRET_KEY. Any string content gives findings; only a
 * non-object env or non-string values throw (InvalidInputError).
 */
export function diagnoseKeys(env: KeyEnv, options?: DiagnoseOptions): Diagnosis {
  const values = parseInput(
    'diagnoseKeys',
    envSchema,
    env,
    'pass an object of env variable names to string values (undefined/null for unset)',
  );
  const parsedOptions = parseInput('diagnoseKeys', optionsSchema, options);
  const now = toUnixSeconds(parsedOptions?.now);
  const out = new Collector();
  const secret = analyzeSecret(out, values.JWT_SECRET);
  const anon = analyzeLegacyKey(out, 'ANON_KEY', values.ANON_KEY, secret, now);
  const service = analyzeLegacyKey(out, 'SERVICE_ROLE_KEY', values.SERVICE_ROLE_KEY, secret, now);
  checkPair(out, ['ANON_KEY', 'SERVICE_ROLE_KEY'], anon, service);
  const material = readKeySet(out, values);
  checkKeySet(out, material, secret);
  const anonAsym = analyzeAsymmetricKey(
    out,
    'ANON_KEY_ASYMMETRIC',
    values.ANON_KEY_ASYMMETRIC,
    material,
    now,
  );
  const serviceAsym = analyzeAsymmetricKey(
    out,
    'SERVICE_ROLE_KEY_ASYMMETRIC',
    values.SERVICE_ROLE_KEY_ASYMMETRIC,
    material,
    now,
  );
  if (anonAsym || serviceAsym) {
    checkPair(out, ['ANON_KEY_ASYMMETRIC', 'SERVICE_ROLE_KEY_ASYMMETRIC'], anonAsym, serviceAsym);
  }
  analyzeOpaqueKeys(out, values, parsedOptions?.projectRef ?? SELF_HOSTED_PROJECT_REF);
  const findings = out.findings
    .map((item, index) => ({ item, index }))
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.item.severity] - SEVERITY_RANK[b.item.severity] || a.index - b.index,
    )
    .map(({ item }) => item);
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const item of findings) counts[item.severity] += 1;
  return { findings, ok: counts.error === 0, counts };
}
