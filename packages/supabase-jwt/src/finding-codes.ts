/** How bad a finding is. `error` means the deployment is broken or open; `ok` is false. */
export type Severity = 'error' | 'warning' | 'info';

export interface FindingCodeInfo {
  readonly severity: Severity;
  /** What the finding means, in one sentence. */
  readonly meaning: string;
  /** The default fix. */
  readonly fix: string;
}

const REGENERATE =
  'Sign new ANON_KEY and SERVICE_ROLE_KEY with JWT_SECRET (planKeyRepair() or generateLegacyApiKeys()), restart kong, studio, storage, functions and realtime, and update every client holding the old key.';

/**
 * Every finding code diagnosis can report, with its severity, meaning and default fix.
 * Codes are stable: add new ones, never rename or reuse.
 */
export const FINDING_CODES = {
  JWT_SECRET_MISSING: {
    severity: 'error',
    meaning: 'JWT_SECRET is not set or empty, so no key can be verified or signed.',
    fix: 'Set JWT_SECRET to 40+ random characters from [A-Za-z0-9] (generateSecrets()), then re-sign the API keys with it.',
  },
  JWT_SECRET_TOO_SHORT: {
    severity: 'error',
    meaning:
      'JWT_SECRET is shorter than 32 bytes (UTF-8, as PostgREST counts); PostgREST, GoTrue and Studio refuse it.',
    fix: 'Generate a new JWT_SECRET of 40+ characters and re-sign all keys with it (planKeyRepair()).',
  },
  JWT_SECRET_DEMO: {
    severity: 'error',
    meaning:
      'JWT_SECRET is a public demo secret from Supabase’s .env.example or CLI: anyone can forge service_role tokens.',
    fix: 'Generate a new JWT_SECRET and re-sign all keys with it (planKeyRepair()); users must sign in again.',
  },
  JWT_SECRET_UNTRIMMED: {
    severity: 'warning',
    meaning:
      'JWT_SECRET has leading/trailing whitespace or quotes. The services use a parsed env’s value exactly as given, docker compose strips them from a .env line: a tool that reads it the other way signs keys the services reject.',
    fix: 'Remove the whitespace or quotes around JWT_SECRET and re-sign the keys with the cleaned value.',
  },
  JWT_SECRET_VERBATIM_MISMATCH: {
    severity: 'error',
    meaning:
      'JWT_SECRET in a parsed env carries whitespace or quotes (a trailing newline, literal quotes) that the services use as part of the secret, while the keys were signed without them: every service rejects the keys.',
    fix: 'Remove the whitespace or quotes from the JWT_SECRET value (the keys then verify unchanged), restart the services that read it, and set app.settings.jwt_secret in the database to the cleaned value.',
  },
  JWT_KEY_MISSING: {
    severity: 'error',
    meaning: 'ANON_KEY or SERVICE_ROLE_KEY is not set or empty.',
    fix: REGENERATE,
  },
  JWT_KEY_UNTRIMMED: {
    severity: 'warning',
    meaning:
      'The key has leading/trailing whitespace or quotes; Kong compares keys as plain strings, so clients sending the clean key are refused.',
    fix: 'Remove the whitespace or quotes around the key value.',
  },
  JWT_NOT_A_JWT: {
    severity: 'error',
    meaning:
      'The key is not a JWT at all (no dots: a hex string, a password, an sb_ key); Dokploy 0.21.0 to 0.21.7 generated random hex strings for ANON_KEY and SERVICE_ROLE_KEY.',
    fix: 'Sign real JWTs for ANON_KEY and SERVICE_ROLE_KEY with JWT_SECRET (planKeyRepair() or generateLegacyApiKeys()), restart kong, studio, storage, functions and realtime, and update every client; on Dokploy before 0.21.8, upgrade or set the keys yourself.',
  },
  JWT_MALFORMED_PARTS: {
    severity: 'error',
    meaning: 'The key does not have the three dot-separated parts of a compact JWT.',
    fix: REGENERATE,
  },
  JWT_MALFORMED_BASE64: {
    severity: 'error',
    meaning: 'A part of the key is not valid base64url.',
    fix: REGENERATE,
  },
  JWT_MALFORMED_JSON: {
    severity: 'error',
    meaning: 'The header or payload of the key is not a JSON object.',
    fix: REGENERATE,
  },
  JWT_MALFORMED_TOO_LONG: {
    severity: 'error',
    meaning: 'The value is far longer than any key (over 16 KiB); it is not parsed.',
    fix: 'Check the env for a pasted file or concatenated values, then set a freshly generated key.',
  },
  JWT_ALG_NONE: {
    severity: 'error',
    meaning: 'The key header says alg "none": it is unsigned, and services reject it.',
    fix: REGENERATE,
  },
  JWT_ALG_UNEXPECTED: {
    severity: 'error',
    meaning:
      'The key is signed with another algorithm than expected (HS256 for legacy keys, ES256 for asymmetric keys).',
    fix: 'Re-sign the key with the expected algorithm (generateLegacyApiKeys() or generateAsymmetricApiKeys()).',
  },
  JWT_IDENTICAL_KEYS: {
    severity: 'error',
    meaning:
      'ANON_KEY and SERVICE_ROLE_KEY are the same string (Dokploy template bug A when they also lack a role and carry iss "dokploy").',
    fix: REGENERATE,
  },
  JWT_ROLE_MISSING: {
    severity: 'error',
    meaning:
      'The key has no role claim, so PostgREST/GoTrue/Storage cannot map it to anon or service_role (GoTrue answers 403 not_admin).',
    fix: REGENERATE,
  },
  JWT_ROLE_WRONG: {
    severity: 'error',
    meaning:
      'The key carries another role than its variable needs (anon for ANON_KEY, service_role for SERVICE_ROLE_KEY).',
    fix: REGENERATE,
  },
  JWT_ROLES_SWAPPED: {
    severity: 'error',
    meaning:
      'ANON_KEY carries role service_role and SERVICE_ROLE_KEY carries anon: the public key has admin rights.',
    fix: 'Swap the two values back (or regenerate both) and update every client: the public key had service_role rights.',
  },
  JWT_ISS_DOKPLOY: {
    severity: 'warning',
    meaning:
      'The key has iss "dokploy": Dokploy’s fallback payload, used when the template payload did not parse (Dokploy template bug A).',
    fix: REGENERATE,
  },
  JWT_ISS_UNEXPECTED: {
    severity: 'info',
    meaning:
      'The key’s iss is missing or not "supabase"; services ignore it unless Supavisor claim validators are set.',
    fix: 'Nothing is required; regenerate the keys with iss "supabase" if you validate claims.',
  },
  JWT_HS256_KID_UNKNOWN: {
    severity: 'error',
    meaning:
      'The HS256 key names a kid in its header, but JWT_SECRET has no kid (and no oct key of JWT_JWKS has it): PostgREST only tries keys with that kid and answers PGRST301.',
    fix: 'Sign new ANON_KEY and SERVICE_ROLE_KEY without a kid header (planKeyRepair() or generateLegacyApiKeys()), restart kong, studio, storage, functions and realtime, and update every client holding the old key.',
  },
  JWT_SIGNATURE_INVALID: {
    severity: 'error',
    meaning:
      'The key’s signature does not verify with JWT_SECRET (Dokploy template bug B: keys signed with an unknown secret), so services answer "invalid signature".',
    fix: REGENERATE,
  },
  JWT_SIGNATURE_DECODED_SECRET: {
    severity: 'error',
    meaning:
      'The key verifies only with JWT_SECRET base64- or hex-decoded, but Supabase services use the secret as a raw UTF-8 string (PGRST301 JWSInvalidSignature).',
    fix: 'Re-sign the keys with JWT_SECRET used as a raw string (generateLegacyApiKeys()), keep JWT_SECRET unchanged.',
  },
  JWT_DEMO_KEY: {
    severity: 'error',
    meaning:
      'The key is a public Supabase demo key or is signed with a public demo secret (Dokploy pre-0.22.5 template bug C): anyone can forge tokens.',
    fix: 'Generate a new JWT_SECRET and new keys (planKeyRepair()), restart all services, update all clients.',
  },
  JWT_EXPIRED: {
    severity: 'error',
    meaning: 'The key’s exp lies in the past; every request with it is refused.',
    fix: REGENERATE,
  },
  JWT_EXPIRES_WITHIN_30_DAYS: {
    severity: 'warning',
    meaning: 'The key expires within 30 days.',
    fix: `Plan the rotation now. ${REGENERATE}`,
  },
  JWT_EXPIRES_WITHIN_90_DAYS: {
    severity: 'info',
    meaning: 'The key expires within 90 days.',
    fix: `Schedule a rotation. ${REGENERATE}`,
  },
  JWT_EXP_MISSING: {
    severity: 'warning',
    meaning:
      'The key has no exp claim and never expires; a leaked key can never be retired without a new secret.',
    fix: 'Prefer keys with a relative exp (5 years by default): generateLegacyApiKeys().',
  },
  JWT_EXP_DOKPLOY_FIXED_DATE: {
    severity: 'warning',
    meaning:
      'The key’s exp is Dokploy’s fixed date 2030-01-01T00:00:00Z: every Dokploy-generated key stops working at that instant.',
    fix: 'Re-sign the keys with a relative exp (generateLegacyApiKeys()) before that date.',
  },
  JWT_CLAIM_INVALID: {
    severity: 'error',
    meaning:
      'A standard claim has the wrong type (exp/iat/nbf not a number of seconds, role not a string).',
    fix: REGENERATE,
  },
  JWT_IAT_FUTURE: {
    severity: 'error',
    meaning:
      'The key’s iat lies in the future (more than PostgREST’s 30 s of clock skew); PostgREST rejects such tokens (PGRST303 "JWT issued at future").',
    fix: 'Check the clock of the machine that signed the key, then re-sign the keys.',
  },
  JWT_NBF_FUTURE: {
    severity: 'error',
    meaning:
      'The key’s nbf (not before) lies in the future: GoTrue and Storage reject it until then, PostgREST (30 s leeway) answers PGRST303 "JWT not yet valid".',
    fix: 'Check the clock of the machine that signed the key, then re-sign the keys without nbf (planKeyRepair() or generateLegacyApiKeys()).',
  },
  JWT_EXP_NOT_INTEGER: {
    severity: 'error',
    meaning:
      'The key’s exp is not a whole number of seconds (signed with Date.now()/1000): PostgREST 13+ reads a fractional exp as 0 and answers PGRST303 "JWT expired".',
    fix: REGENERATE,
  },
  JWT_EXP_OUT_OF_RANGE: {
    severity: 'error',
    meaning:
      'The key’s exp does not fit signed 64-bit seconds: PostgREST reads it as 0 ("JWT expired") and GoTrue’s int64 conversion overflows.',
    fix: REGENERATE,
  },
  JWT_AUD_INVALID: {
    severity: 'error',
    meaning:
      'The key’s aud is neither a string nor an array of strings: GoTrue cannot parse the claims and PostgREST answers PGRST303.',
    fix: REGENERATE,
  },
  JWT_KEYS_MALFORMED: {
    severity: 'error',
    meaning: 'JWT_KEYS is not a JSON array of JWKs with the fields GoTrue needs.',
    fix: 'Regenerate JWT_KEYS and JWT_JWKS together (generateSigningKeys()), then restart auth, rest, realtime and storage.',
  },
  JWT_JWKS_MALFORMED: {
    severity: 'error',
    meaning: 'JWT_JWKS is not a JSON object {"keys": [...]} of public JWKs.',
    fix: 'Set JWT_JWKS to the public JWKS that matches JWT_KEYS (generateSigningKeys() produces both).',
  },
  JWT_KEYS_WITHOUT_JWKS: {
    severity: 'error',
    meaning:
      'JWT_KEYS holds signing keys but JWT_JWKS is empty: Auth signs ES256 tokens that PostgREST, Realtime and Storage cannot verify.',
    fix: 'Set JWT_JWKS to the public JWKS of JWT_KEYS (generateSigningKeys() produces both), then restart rest, realtime and storage.',
  },
  JWT_JWKS_WITHOUT_KEYS: {
    severity: 'warning',
    meaning: 'JWT_JWKS holds asymmetric keys but JWT_KEYS is empty, so Auth never signs with them.',
    fix: 'Set JWT_KEYS to the private keys of JWT_JWKS, or drop the asymmetric keys from JWT_JWKS.',
  },
  JWT_JWKS_MISMATCH: {
    severity: 'error',
    meaning:
      'A private key in JWT_KEYS has no matching public key in JWT_JWKS (different curve point).',
    fix: 'Regenerate JWT_JWKS from JWT_KEYS (or both with generateSigningKeys()), then restart the verifying services.',
  },
  JWT_JWKS_PRIVATE_KEY_EXPOSED: {
    severity: 'error',
    meaning:
      'JWT_JWKS contains private key material ("d"); the JWKS is public and must hold public keys only.',
    fix: 'Remove "d" from every key in JWT_JWKS, then rotate the signing key since it was exposed (generateSigningKeys()).',
  },
  JWT_KID_MISMATCH: {
    severity: 'error',
    meaning: 'A kid in JWT_KEYS or in an asymmetric API key has no key with that kid in JWT_JWKS.',
    fix: 'Give the JWKS key the same kid as the signing key (or regenerate both with generateSigningKeys()).',
  },
  JWT_KEYS_SECRET_MISMATCH: {
    severity: 'error',
    meaning:
      'The symmetric (oct) key in JWT_KEYS/JWT_JWKS is missing or differs from JWT_SECRET, so HS256 keys fail where the JWKS is used for verification.',
    fix: 'Rebuild JWT_KEYS and JWT_JWKS with the current JWT_SECRET as oct key (generateSigningKeys({ secret })).',
  },
  JWT_ASYMMETRIC_SIGNATURE_INVALID: {
    severity: 'error',
    meaning: 'ANON_KEY_ASYMMETRIC or SERVICE_ROLE_KEY_ASYMMETRIC does not verify against JWT_JWKS.',
    fix: 'Re-sign the asymmetric keys with JWT_KEYS (generateAsymmetricApiKeys()), then restart kong.',
  },
  API_KEY_ASYMMETRIC_MISSING: {
    severity: 'error',
    meaning:
      'An sb_ API key is set without its ANON_KEY_ASYMMETRIC/SERVICE_ROLE_KEY_ASYMMETRIC: the gateway has no JWT to put in place of "Bearer sb_…".',
    fix: 'Generate the asymmetric JWTs with generateAsymmetricApiKeys() (or the full set with generateNewStyleKeys()), then restart kong.',
  },
  API_KEY_PREFIX_INVALID: {
    severity: 'error',
    meaning:
      'The value does not start with sb_publishable_ or sb_secret_, so the gateway treats it as a legacy key.',
    fix: 'Generate the keys with generateOpaqueApiKeys().',
  },
  API_KEY_PREFIX_SWAPPED: {
    severity: 'error',
    meaning:
      'SUPABASE_PUBLISHABLE_KEY holds an sb_secret_ key (or the other way round): the public key grants service_role.',
    fix: 'Swap the values back, and treat the exposed secret key as leaked: generate new ones with generateOpaqueApiKeys().',
  },
  API_KEY_FORMAT_INVALID: {
    severity: 'warning',
    meaning:
      'The sb_ key does not have Supabase’s shape: prefix, 22 base64url characters, "_", 8-character checksum.',
    fix: 'Generate the keys with generateOpaqueApiKeys().',
  },
  API_KEY_CHECKSUM_MISMATCH: {
    severity: 'info',
    meaning:
      'The 8-character checksum of the sb_ key does not match; the self-hosted gateway does not check it.',
    fix: 'Nothing is required; regenerate with generateOpaqueApiKeys() for keys other tools can validate.',
  },
  API_KEY_PAIR_INCOMPLETE: {
    severity: 'warning',
    meaning: 'Only one of SUPABASE_PUBLISHABLE_KEY and SUPABASE_SECRET_KEY is set.',
    fix: 'Set both (generateOpaqueApiKeys()), or neither to stay legacy-only.',
  },
  API_KEYS_IDENTICAL: {
    severity: 'error',
    meaning: 'SUPABASE_PUBLISHABLE_KEY and SUPABASE_SECRET_KEY are the same string.',
    fix: 'Generate a distinct pair with generateOpaqueApiKeys().',
  },
} as const satisfies Record<string, FindingCodeInfo>;

export type FindingCode = keyof typeof FINDING_CODES;

/** All finding codes, in table order. */
export const ALL_FINDING_CODES = Object.keys(FINDING_CODES) as FindingCode[];

/** One problem found in an env. Messages show at most the first and last 4 characters of a secret. */
export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  /** The env variable the finding is about (`ANON_KEY`, `JWT_SECRET`, …). */
  readonly variable: string;
  readonly message: string;
  readonly fix: string;
}

export function finding(
  code: FindingCode,
  variable: string,
  message: string,
  fix?: string,
): Finding {
  const info: FindingCodeInfo = FINDING_CODES[code];
  return { code, severity: info.severity, variable, message, fix: fix ?? info.fix };
}
