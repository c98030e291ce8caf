import { z } from 'zod';
import { validate } from './errors.js';
import { LIBPQ_KEYS } from './libpq-keys.js';
import type { ConnectionTarget } from './target.js';

export const REDACTED = '***';

const targetSchema = z.looseObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  password: z.string().optional(),
  database: z.string(),
  params: z.record(z.string(), z.string()),
});

export function assertTarget(target: unknown, what = 'connection target'): ConnectionTarget {
  validate(targetSchema, target, what);
  return target as ConnectionTarget;
}

/** Percent-encodes everything outside the URL "unreserved" set (stricter than encodeURIComponent). */
function enc(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function renderUrlWith(target: ConnectionTarget, password: string | undefined): string {
  let host: string;
  if (target.host.startsWith('/')) host = enc(target.host);
  else if (target.host.includes(':')) host = `[${target.host}]`;
  else host = enc(target.host);
  const auth = `${enc(target.user)}${password !== undefined ? `:${password}` : ''}@`;
  const query = Object.entries(target.params)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&');
  return `postgresql://${auth}${host}:${target.port}/${enc(target.database)}${query ? `?${query}` : ''}`;
}

/** Renders the target as a `postgresql://` URL with every part percent-encoded (safe for psql, libpq, pg, compose). */
export function renderUrl(target: ConnectionTarget): string {
  const t = assertTarget(target);
  return renderUrlWith(t, t.password === undefined ? undefined : enc(t.password));
}

/** Quotes a libpq key=value value when needed: empty, whitespace, quotes or backslashes. */
export function quoteKeyValue(value: string): string {
  if (value !== '' && !/[\s'\\]/.test(value)) return value;
  return `'${value.replace(/[\\']/g, (ch) => `\\${ch}`)}'`;
}

function renderKeyValueWith(target: ConnectionTarget, password: string | undefined): string {
  const pairs: Array<[string, string]> = [
    ['host', target.host],
    ['port', String(target.port)],
    ['user', target.user],
  ];
  if (password !== undefined) pairs.push(['password', password]);
  pairs.push(['dbname', target.database]);
  // only libpq keywords: psql and libpq reject the rest (pg-only flags such as pgbouncer=true)
  for (const [k, v] of Object.entries(target.params)) if (LIBPQ_KEYS.has(k)) pairs.push([k, v]);
  return pairs
    .map(([k, v]) => `${k}=${k === 'password' && v === REDACTED ? v : quoteKeyValue(v)}`)
    .join(' ');
}

/** Renders the target as libpq `key=value` pairs, quoting and escaping values as libpq expects. */
export function renderKeyValue(target: ConnectionTarget): string {
  const t = assertTarget(target);
  return renderKeyValueWith(t, t.password);
}

/** The target as a URL with the password replaced by `***`: safe for logs and output. */
export function redactTarget(target: ConnectionTarget): string {
  const t = assertTarget(target);
  return renderUrlWith(t, t.password === undefined ? undefined : REDACTED);
}

/** The target as key=value with the password replaced by `***`. */
export function redactKeyValue(target: ConnectionTarget): string {
  const t = assertTarget(target);
  return renderKeyValueWith(t, t.password === undefined ? undefined : REDACTED);
}

/** Shows at most the first and last 4 characters of a secret (or `***` when it is short). */
export function maskSecret(secret: string): string {
  if (secret.length < 16) return REDACTED;
  return `${secret.slice(0, 4)}${REDACTED}${secret.slice(-4)}`;
}

const SECRET_ENV_KEY = /(PASSWORD|PASSWD|SECRET|TOKEN|_KEY|APIKEY|PASS)$/i;

function redactUrlsIn(text: string): string {
  // postgres://user:password@host — the password runs to the last "@" before whitespace or "?"
  return text.replace(
    /\b(postgres(?:ql)?:\/\/[^\s:@/?#]*:)([^\s?#]*)@(?=[^\s@]*(?:[\s?#]|$))/gi,
    (_m, head: string) => `${head}${REDACTED}@`,
  );
}

/**
 * Hides every password in a connection string of any supported form (URL, key=value,
 * .env text, or garbage). Never throws: a non-string gives `***`.
 */
export function redactConnectionString(input: string): string {
  try {
    if (typeof input !== 'string') return REDACTED;
    let text = redactUrlsIn(input);
    // URL query parameter ?password=...
    text = text.replace(/([?&]password=)[^&\s#]*/gi, `$1${REDACTED}`);
    // libpq key=value: password='quoted \' value' or password=bare
    text = text.replace(
      /(^|[\s])(password|sslpassword)(\s*=\s*)(?:'(?:\\.|[^'\\])*'?|[^\s]*)/gi,
      (_m, lead: string, key: string, eq: string) => `${lead}${key}${eq}${REDACTED}`,
    );
    // .env lines: *_PASSWORD=..., *_SECRET=..., *_KEY=..., PGPASSWORD=...
    text = text.replace(
      /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*)$/gm,
      (line, lead: string, key: string, eq: string) =>
        SECRET_ENV_KEY.test(key) ? `${lead}${key}${eq}${REDACTED}` : line,
    );
    return text;
  } catch {
    return REDACTED;
  }
}
