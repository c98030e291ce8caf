import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A fixed instant for reproducible diagnoses: 2026-11-25T00:00:00Z. */
export const NOW_MS = Date.UTC(2026, 10, 25);
export const NOW = Math.floor(NOW_MS / 1000);
export const DAY = 86_400;

export function b64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/**
 * An HS256 token built by hand with node:crypto (independent of jose and of the package):
 * base64url(JSON header) . base64url(JSON payload) . HMAC-SHA256(key, header.payload).
 */
export function handSignHs256(
  payload: Record<string, unknown>,
  key: string | Buffer,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

/** Independent HS256 check: recompute HMAC-SHA256 over `header.payload` with node:crypto. */
export function handVerifyHs256(token: string, key: string | Buffer): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const expected = createHmac('sha256', key).update(`${parts[0]}.${parts[1]}`).digest();
  const actual = Buffer.from(parts[2] as string, 'base64url');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index] as string, 'base64url').toString('utf8'));
}

export function randomAlnum(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** A legacy key pair for `secret`, signed by hand. */
export function handKeys(
  secret: string | Buffer,
  overrides: { anon?: Record<string, unknown>; service?: Record<string, unknown> } = {},
): { ANON_KEY: string; SERVICE_ROLE_KEY: string } {
  const base = { iss: 'supabase', iat: NOW - DAY, exp: NOW + 5 * 365 * DAY };
  return {
    ANON_KEY: handSignHs256({ role: 'anon', ...base, ...overrides.anon }, secret),
    SERVICE_ROLE_KEY: handSignHs256(
      { role: 'service_role', ...base, ...overrides.service },
      secret,
    ),
  };
}

/** Parses a dotenv file (KEY=value lines, # comments). */
export function readDotenv(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) env[match[1] as string] = match[2] as string;
  }
  return env;
}

export const ENV_EXAMPLE_PATH = new URL('./fixtures/env.example', import.meta.url).pathname;

/** Every 8-character window of each secret; a message containing one leaks more than 4+4 chars. */
export function leaks(
  text: string,
  secrets: readonly (string | undefined)[],
  publicText = '',
): string | undefined {
  for (const secret of secrets) {
    if (!secret || secret.length < 12) continue;
    const sample = secret.length > 4096 ? secret.slice(0, 4096) : secret;
    for (let i = 0; i + 8 <= sample.length; i += 1) {
      const window = sample.slice(i, i + 8);
      if (text.includes(window) && !publicText.includes(window)) return window;
    }
  }
  return undefined;
}

/**
 * The secret material of an env, without public structure (JWT headers, sb_ prefixes, JSON
 * field names): JWT_SECRET, signatures and payloads of tokens, sb_ key bodies, private `d`
 * and oct `k` values of JWT_KEYS.
 */
export function secretParts(env: Record<string, string | undefined | null>): string[] {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (name === 'JWT_KEYS' || name === 'JWT_JWKS') {
      for (const match of value.matchAll(/"(?:d|k)":"([^"]+)"/g)) parts.push(match[1] as string);
    } else if (value.startsWith('sb_')) {
      parts.push(value.replace(/^sb_(publishable|secret)_/, ''));
    } else if (value.split('.').length === 3) {
      const [, payload, signature] = value.split('.');
      parts.push(payload as string, signature as string);
    } else {
      parts.push(value);
    }
  }
  return parts;
}
