import { type DecodedJwt, decodeCompactJwt } from './compact-jwt.js';
import {
  CLOCK_SKEW_SECONDS,
  DAY_SECONDS,
  DOKPLOY_FALLBACK_ISSUER,
  DOKPLOY_FIXED_EXP,
  SUPABASE_ISSUER,
} from './constants.js';
import { DEMO_ISSUER } from './demo.js';
import { type Collector, isoDate, quoteClaim, type TokenFacts } from './diagnose-support.js';

function notAJwtMessage(variable: string, token: string): string {
  if (/^[0-9a-fA-F]+$/.test(token)) {
    return `${variable} is ${token.length} hex characters, not a JWT: Dokploy 0.21.0 to 0.21.7 filled \${jwt:…} with random hex (randomBytes(n).toString("hex")) instead of a signed token, so every service refuses it.`;
  }
  if (token.startsWith('sb_')) {
    return `${variable} holds an sb_ API key, not a JWT: sb_publishable_/sb_secret_ keys belong in SUPABASE_PUBLISHABLE_KEY/SUPABASE_SECRET_KEY, and ${variable} must be a JWT signed with ${variable.endsWith('_ASYMMETRIC') ? 'JWT_KEYS' : 'JWT_SECRET'}.`;
  }
  return `${variable} is a ${token.length}-character value without dots, not a JWT (header.payload.signature).`;
}

export function checkDecoding(
  out: Collector,
  variable: string,
  token: string,
): DecodedJwt | undefined {
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
      // No dot and no JSON header ("eyJ" is base64url of '{"'): not a JWT cut short, another value.
      if (failure.count === 1 && !token.startsWith('eyJ')) {
        out.add('JWT_NOT_A_JWT', variable, notAJwtMessage(variable, token));
        break;
      }
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

/** 2^63: an exp at or beyond it does not fit the signed 64-bit seconds of PostgREST and GoTrue. */
const INT64_LIMIT = 2 ** 63;

function checkExp(out: Collector, variable: string, exp: unknown, now: number): void {
  if (exp === undefined) {
    out.add('JWT_EXP_MISSING', variable, `${variable} has no exp claim, so it never expires.`);
    return;
  }
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    out.add(
      'JWT_CLAIM_INVALID',
      variable,
      `The exp claim of ${variable} is ${quoteClaim(exp)}, not a number of seconds.`,
    );
    return;
  }
  if (Math.abs(exp) >= INT64_LIMIT) {
    out.add(
      'JWT_EXP_OUT_OF_RANGE',
      variable,
      `The exp claim of ${variable} (${exp}) is beyond the signed 64-bit range: PostgREST reads it as 0 and answers PGRST303 "JWT expired", and GoTrue’s int64 conversion overflows.`,
    );
    return;
  }
  if (!Number.isInteger(exp)) {
    out.add(
      'JWT_EXP_NOT_INTEGER',
      variable,
      `The exp claim of ${variable} is ${exp}, not a whole number of seconds (signed with Date.now()/1000 without rounding): PostgREST 13+ reads a fractional exp as 0 and answers PGRST303 "JWT expired".`,
    );
  }
  if (exp === DOKPLOY_FIXED_EXP) {
    out.add(
      'JWT_EXP_DOKPLOY_FIXED_DATE',
      variable,
      `${variable} expires at Dokploy’s fixed date 2030-01-01T00:00:00Z (the \${jwt:…} helper and the template’s \${timestamps:2030-01-01T00:00:00Z}), not at a date relative to when it was issued.`,
    );
  }
  if (exp <= now) {
    out.add('JWT_EXPIRED', variable, `${variable} expired at ${isoDate(exp)}; services refuse it.`);
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

/**
 * exp, iat and nbf as the services read them: GoTrue (golang-jwt, no leeway), PostgREST 13+
 * (integer seconds, 30 s leeway) and Storage (jose, no leeway).
 */
export function checkTimes(
  out: Collector,
  variable: string,
  payload: Record<string, unknown>,
  now: number,
): void {
  const { exp, iat, nbf } = payload;
  checkExp(out, variable, exp, now);
  if (iat !== undefined) {
    if (typeof iat !== 'number' || !Number.isFinite(iat)) {
      out.add(
        'JWT_CLAIM_INVALID',
        variable,
        `The iat claim of ${variable} is ${quoteClaim(iat)}, not a number of seconds.`,
      );
    } else if (
      Number.isInteger(iat) &&
      Math.abs(iat) < INT64_LIMIT &&
      iat > now + CLOCK_SKEW_SECONDS
    ) {
      // Only PostgREST checks iat, and it reads a fractional or out-of-range iat as 0.
      out.add(
        'JWT_IAT_FUTURE',
        variable,
        `${variable} says it was issued at ${isoDate(iat)}, in the future.`,
      );
    }
  }
  if (nbf !== undefined) {
    if (typeof nbf !== 'number' || !Number.isFinite(nbf)) {
      out.add(
        'JWT_CLAIM_INVALID',
        variable,
        `The nbf claim of ${variable} is ${quoteClaim(nbf)}, not a number of seconds.`,
      );
    } else if (nbf > now) {
      out.add(
        'JWT_NBF_FUTURE',
        variable,
        `${variable} is not valid before ${isoDate(nbf)} (nbf): GoTrue and Storage reject it until then, PostgREST answers PGRST303 "JWT not yet valid" until 30 s before.`,
      );
    }
  }
}

/** aud as GoTrue (golang-jwt ClaimStrings) and PostgREST read it: absent, null, a string or strings. */
function audIsValid(aud: unknown): boolean {
  return (
    aud === undefined ||
    aud === null ||
    typeof aud === 'string' ||
    (Array.isArray(aud) && aud.every((item) => typeof item === 'string'))
  );
}

export function checkClaims(
  out: Collector,
  variable: string,
  jwt: DecodedJwt,
  demo: boolean,
): TokenFacts['role'] {
  const { role, iss, aud } = jwt.payload;
  if (!audIsValid(aud)) {
    out.add(
      'JWT_AUD_INVALID',
      variable,
      `The aud claim of ${variable} is ${quoteClaim(aud)}: GoTrue and PostgREST accept only a string or an array of strings, so they reject the key (PostgREST: PGRST303).`,
    );
  }
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
