import { redactEmbeddedPasswords } from './connection-string.js';

export const REDACTED = '***';

// Matched against the words of a key: serviceRoleKey, api_key, x-api-key, jwtSecret, accessToken.
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'key',
  'keys',
  'apikey',
  'authorization',
  'cookie',
  'credentials',
]);

/** True for keys like password, apiKey, service_role_key, Authorization, x-api-key. */
export function isSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  // apiKey written as one word, e.g. APIKEY or accesstoken
  const joined = words.join('');
  return joined.endsWith('apikey') || joined.endsWith('password') || joined.endsWith('secret');
}

const MAX_DEPTH = 32;

/**
 * A deep copy with secrets replaced by `***`: values under secret-looking keys, passwords inside
 * connection strings, and every occurrence of the given secret values. Cycles and depth beyond
 * 32 become `[Circular]` / `[Truncated]`.
 */
export function redactValue(value: unknown, secrets: string[] = []): unknown {
  // longest first, so a secret containing another is masked whole
  const known = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length > 0))].sort(
    (a, b) => b.length - a.length,
  );
  return walk(value, known, new WeakSet(), 0);
}

function walk(value: unknown, secrets: string[], seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return redactString(value, secrets);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  }
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => walk(item, secrets, seen, depth + 1));
    if (value instanceof Date) return value.toISOString();
    if (value instanceof Error) {
      return { name: value.name, message: redactString(value.message, secrets) };
    }
    if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // a flag such as allowServiceKey: false is not a secret
      if (isSecretKey(key) && item != null && item !== '' && typeof item !== 'boolean') {
        out[key] = REDACTED;
      } else {
        out[key] = walk(item, secrets, seen, depth + 1);
      }
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

export function redactString(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    // a password also shows up URL-encoded inside connection strings
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(REDACTED);
  }
  return redactEmbeddedPasswords(out);
}
