import { MIN_JWT_SECRET_LENGTH } from './constants.js';
import { DEMO_JWT_SECRETS } from './demo.js';
import { type Collector, clean, type TokenFacts } from './diagnose-support.js';

/** Where the values of an env come from, which decides what the services receive. */
export type EnvSource = 'env' | 'dotenv';

/** JWT_SECRET as the services see it. */
export interface SecretView {
  /** The value the services use: verbatim from a parsed env, trimmed and unquoted from .env text. */
  secret: string;
  /**
   * When whitespace or quotes surround the value: the other reading, to tell why a key fails.
   * `trimmed` (parsed env): the value without them. `verbatim` (.env text): the value with them.
   */
  alternative?: { kind: 'trimmed' | 'verbatim'; secret: string };
}

/**
 * Reads JWT_SECRET. Services use a parsed env's value exactly as given (a trailing newline or
 * literal quotes are part of the HMAC key); docker compose strips them from a `.env` line.
 * PostgREST counts the 32-byte minimum in UTF-8 bytes.
 */
export function analyzeSecret(
  out: Collector,
  raw: string | undefined | null,
  source: EnvSource,
): SecretView | undefined {
  const cleaned = clean(raw);
  if (!cleaned) {
    out.add(
      'JWT_SECRET_MISSING',
      'JWT_SECRET',
      'JWT_SECRET is not set, so no key can be checked against it.',
    );
    return undefined;
  }
  const verbatim = raw as string;
  const secret = source === 'dotenv' ? cleaned.value : verbatim;
  if (source === 'dotenv' && cleaned.untrimmed) {
    out.add('JWT_SECRET_UNTRIMMED', 'JWT_SECRET', 'JWT_SECRET has whitespace or quotes around it.');
  }
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (DEMO_JWT_SECRETS.includes(cleaned.value)) {
    out.add(
      'JWT_SECRET_DEMO',
      'JWT_SECRET',
      'JWT_SECRET is the public demo secret from Supabase’s .env.example / CLI (Dokploy pre-0.22.5 template bug C): anyone can sign service_role tokens.',
    );
  } else if (bytes < MIN_JWT_SECRET_LENGTH) {
    out.add(
      'JWT_SECRET_TOO_SHORT',
      'JWT_SECRET',
      `JWT_SECRET is ${bytes} bytes (UTF-8); at least ${MIN_JWT_SECRET_LENGTH} are required (PostgREST counts bytes).`,
    );
  }
  if (!cleaned.untrimmed) return { secret };
  return source === 'dotenv'
    ? { secret, alternative: { kind: 'verbatim', secret: verbatim } }
    : { secret, alternative: { kind: 'trimmed', secret: cleaned.value } };
}

/**
 * After the legacy keys: a parsed env's JWT_SECRET with whitespace or quotes is an error when a
 * key verifies only without them, otherwise a warning.
 */
export function reportVerbatimSecret(
  out: Collector,
  view: SecretView | undefined,
  keys: readonly (TokenFacts | undefined)[],
): void {
  if (view?.alternative?.kind !== 'trimmed') return;
  const failing = keys.filter((facts) => facts?.signedWithTrimmedSecret).length;
  if (failing > 0) {
    out.add(
      'JWT_SECRET_VERBATIM_MISMATCH',
      'JWT_SECRET',
      `JWT_SECRET has whitespace or quotes around it (a trailing newline or literal quotes), and the services use them as part of the secret, but ${failing === 1 ? 'one key was' : 'the keys were'} signed without them: every service rejects ${failing === 1 ? 'it' : 'them'} with "invalid signature".`,
    );
  } else {
    out.add(
      'JWT_SECRET_UNTRIMMED',
      'JWT_SECRET',
      'JWT_SECRET has whitespace or quotes around it. The services use the value exactly as given, so keys must be signed with these characters included; tools that trim it sign keys the services reject.',
      'Nothing fails because of it now. To clean it up, set JWT_SECRET without the whitespace or quotes and re-sign every key with the new value (user sessions end, as with any new secret).',
    );
  }
}
