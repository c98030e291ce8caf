import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PUBLISHABLE_KEY_PREFIX, SECRET_KEY_PREFIX, SELF_HOSTED_PROJECT_REF } from './constants.js';
import { lazy } from './lazy.js';
import { parseInput } from './validation.js';

export type OpaqueApiKeys = {
  SUPABASE_PUBLISHABLE_KEY: string;
  SUPABASE_SECRET_KEY: string;
};

const projectRefSchema = () => z.string().min(1).max(200);
const readSchema = lazy(() => z.tuple([z.string(), projectRefSchema().optional()]));

/** The cheap pre-check before zod: diagnosis reads every sb_ key through here. */
function isReadable(value: unknown, projectRef: unknown): boolean {
  return (
    typeof value === 'string' &&
    typeof projectRef === 'string' &&
    projectRef.length > 0 &&
    projectRef.length <= 200
  );
}

/** The 8-character checksum: base64url(sha256(`${projectRef}|${prefix}${random}`)), first 8. */
export function opaqueKeyChecksum(
  intermediate: string,
  projectRef = SELF_HOSTED_PROJECT_REF,
): string {
  if (!isReadable(intermediate, projectRef)) {
    parseInput('opaqueKeyChecksum', readSchema(), [intermediate, projectRef]);
  }
  return createHash('sha256')
    .update(`${projectRef}|${intermediate}`)
    .digest('base64url')
    .slice(0, 8);
}

function generate(prefix: string, projectRef: string): string {
  const random = randomBytes(17).toString('base64url').slice(0, 22);
  const intermediate = prefix + random;
  return `${intermediate}_${opaqueKeyChecksum(intermediate, projectRef)}`;
}

const optionsSchema = lazy(() =>
  z.object({ projectRef: projectRefSchema().optional() }).strict().optional(),
);

/**
 * Generates `sb_publishable_…` and `sb_secret_…` keys in Supabase's format: prefix, 22
 * random base64url characters, `_`, 8-character checksum (upstream `add-new-auth-keys.sh`).
 */
export function generateOpaqueApiKeys(options?: { projectRef?: string }): OpaqueApiKeys {
  const parsed = parseInput('generateOpaqueApiKeys', optionsSchema(), options);
  const ref = parsed?.projectRef ?? SELF_HOSTED_PROJECT_REF;
  let secret = generate(SECRET_KEY_PREFIX, ref);
  const publishable = generate(PUBLISHABLE_KEY_PREFIX, ref);
  while (
    secret.slice(SECRET_KEY_PREFIX.length) === publishable.slice(PUBLISHABLE_KEY_PREFIX.length)
  ) {
    secret = generate(SECRET_KEY_PREFIX, ref);
  }
  return { SUPABASE_PUBLISHABLE_KEY: publishable, SUPABASE_SECRET_KEY: secret };
}

export interface ParsedOpaqueKey {
  type: 'publishable' | 'secret';
  /** Shape is prefix + 22 base64url + `_` + 8 base64url. */
  wellFormed: boolean;
  /** Checksum matches for `projectRef` (only meaningful when well formed). */
  checksumValid: boolean;
}

const BODY = /^[A-Za-z0-9_-]{22}_[A-Za-z0-9_-]{8}$/;

/**
 * Reads an sb_ key; undefined when it has neither prefix. Any string gives a result; only a
 * non-string key or project ref throws InvalidInputError.
 */
export function parseOpaqueApiKey(
  value: string,
  projectRef = SELF_HOSTED_PROJECT_REF,
): ParsedOpaqueKey | undefined {
  if (!isReadable(value, projectRef)) {
    parseInput('parseOpaqueApiKey', readSchema(), [value, projectRef]);
  }
  const prefix = value.startsWith(PUBLISHABLE_KEY_PREFIX)
    ? PUBLISHABLE_KEY_PREFIX
    : value.startsWith(SECRET_KEY_PREFIX)
      ? SECRET_KEY_PREFIX
      : undefined;
  if (prefix === undefined) return undefined;
  const body = value.slice(prefix.length);
  const wellFormed = BODY.test(body);
  const checksumValid =
    wellFormed && opaqueKeyChecksum(prefix + body.slice(0, 22), projectRef) === body.slice(23);
  return {
    type: prefix === PUBLISHABLE_KEY_PREFIX ? 'publishable' : 'secret',
    wellFormed,
    checksumValid,
  };
}
