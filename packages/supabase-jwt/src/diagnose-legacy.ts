import { type DecodedJwt, verifyHs256 } from './compact-jwt.js';
import { type ApiKeyRole, DOKPLOY_FALLBACK_ISSUER, MAX_SECRET_DECODE_LENGTH } from './constants.js';
import { DEMO_API_KEYS, DEMO_JWT_SECRETS } from './demo.js';
import { checkClaims, checkDecoding, checkTimes } from './diagnose-claims.js';
import type { SecretView } from './diagnose-secret.js';
import { type Collector, clean, quoteClaim, type TokenFacts } from './diagnose-support.js';

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

function verifiesWithDemoSecret(jwt: DecodedJwt): boolean {
  return DEMO_JWT_SECRETS.some((demoSecret) => verifyHs256(jwt, demoSecret));
}

/** What a legacy key is judged against. */
export interface LegacyContext {
  /** JWT_SECRET as the services use it; undefined when it is missing. */
  secret: string | undefined;
  /** The other reading of a JWT_SECRET with whitespace or quotes around it (see SecretView). */
  alternative?: SecretView['alternative'];
  /** kids of the oct keys in JWT_JWKS. */
  octKids: ReadonlySet<string>;
  now: number;
}

export function analyzeLegacyKey(
  out: Collector,
  variable: string,
  raw: string | undefined | null,
  { secret, alternative, octKids, now }: LegacyContext,
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
  const { kid } = jwt.header;
  if (algIsHs256 && kid !== undefined && kid !== null) {
    if (typeof kid !== 'string' || !octKids.has(kid)) {
      out.add(
        'JWT_HS256_KID_UNKNOWN',
        variable,
        `${variable} names kid ${quoteClaim(kid)} in its header, but JWT_SECRET has no kid${octKids.size > 0 ? ' and no oct key of JWT_JWKS has this one' : ''}: PostgREST only tries keys whose kid matches and answers PGRST301 "No suitable key or wrong key type".`,
      );
    }
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
  let signedWithTrimmedSecret = false;
  if (algIsHs256 && secret !== undefined && !verifyHs256(jwt, secret)) {
    if (alternative && verifyHs256(jwt, alternative.secret)) {
      // JWT_SECRET_VERBATIM_MISMATCH (reported once, on JWT_SECRET) explains a trimmed signer.
      signedWithTrimmedSecret = alternative.kind === 'trimmed';
      if (alternative.kind === 'verbatim') {
        out.add(
          'JWT_SIGNATURE_INVALID',
          variable,
          `${variable} was signed with JWT_SECRET including the whitespace or quotes around it; docker compose strips them from the .env line, so the services use another secret and answer "invalid signature".`,
        );
      }
      return facts(jwt, token, role, signedWithTrimmedSecret);
    }
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
  return facts(jwt, token, role, signedWithTrimmedSecret);
}

function facts(
  jwt: DecodedJwt,
  value: string,
  role: string | undefined,
  signedWithTrimmedSecret: boolean,
): TokenFacts {
  return {
    jwt,
    value,
    iss: jwt.payload.iss,
    ...(role === undefined ? {} : { role }),
    ...(signedWithTrimmedSecret ? { signedWithTrimmedSecret } : {}),
  };
}

export function checkPair(
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
