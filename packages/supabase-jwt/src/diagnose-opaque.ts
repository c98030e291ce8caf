import { type Collector, clean, type KeyEnv, quoteClaim } from './diagnose-support.js';
import { parseOpaqueApiKey } from './opaque-keys.js';

export function analyzeOpaqueKeys(out: Collector, env: KeyEnv, projectRef: string): void {
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
