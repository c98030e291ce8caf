import type { SecretRef } from './types.js';

export type ParsedSecretRef =
  | { scheme: 'env'; name: string }
  | { scheme: 'file'; path: string }
  | { scheme: 'store'; name: string };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const STORE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/;

/** The one place that knows the reference syntax; null when `value` is not a reference. */
export function parseSecretRef(value: string): ParsedSecretRef | null {
  if (value.startsWith('env:')) {
    const name = value.slice(4);
    return ENV_NAME.test(name) ? { scheme: 'env', name } : null;
  }
  if (value.startsWith('file:')) {
    const path = value.slice(5);
    return path.length > 0 && !path.includes('\n') ? { scheme: 'file', path } : null;
  }
  if (value.startsWith('store:')) {
    const name = value.slice(6);
    return STORE_NAME.test(name) ? { scheme: 'store', name } : null;
  }
  return null;
}

/** True for `env:NAME`, `file:PATH` and `store:NAME`. */
export function isSecretRef(value: SecretRef): boolean {
  return typeof value === 'string' && parseSecretRef(value) !== null;
}

/** Regex the JSON Schema publishes for every secret field (kept in step with parseSecretRef). */
export const SECRET_REF_PATTERN =
  '^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+|store:[A-Za-z0-9][A-Za-z0-9_.:/-]*)$';

export const SECRET_REF_FIX =
  'put the value in an environment variable and write "env:NAME", in a file and write "file:PATH", or in the secret store (supaops secret set NAME) and write "store:NAME"';
