import { z } from 'zod';
import { ConnectionStringError, validate } from './errors.js';
import { LIBPQ_KEYS } from './libpq-keys.js';
import { checkParams } from './libpq-values.js';
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

const SECRET_KEYS = new Set(['password', 'sslpassword']);
/** Keywords that are fields of the target: never repeated as parameters. */
const CORE_KEYS = new Set(['host', 'port', 'user', 'password', 'dbname']);

/**
 * The parameters a libpq connection string may carry: libpq's keywords only (client-only flags
 * such as pgbouncer=true stay in the target, out of the string), node-postgres's
 * `sslmode=no-verify` as libpq's `require`, and `sslpassword` hidden when redacting.
 */
function renderParams(target: ConnectionTarget, redact: boolean): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(target.params)) {
    if (!LIBPQ_KEYS.has(key) || CORE_KEYS.has(key)) continue;
    if (key === 'sslmode' && value === 'no-verify') out.push([key, 'require']);
    else if (key === 'sslpassword' && redact) out.push([key, REDACTED]);
    else out.push([key, value]);
  }
  return out;
}

/** Refuses what libpq would refuse in the rendered string (invalid values, NUL characters). */
function assertRenderable(target: ConnectionTarget, params: Array<[string, string]>): void {
  checkParams(Object.fromEntries(params));
  const fields: Array<[string, string | undefined]> = [
    ['host', target.host],
    ['user', target.user],
    ['password', target.password],
    ['database', target.database],
    ...params,
  ];
  for (const [name, value] of fields) {
    if (value?.includes('\0')) {
      throw new ConnectionStringError(
        name,
        `The ${name} contains a NUL character, which libpq cannot receive, so no connection string can carry it. Fix: remove it.`,
      );
    }
  }
}

function renderUrlWith(
  target: ConnectionTarget,
  password: string | undefined,
  redact: boolean,
): string {
  let host: string;
  if (target.host.startsWith('/')) host = enc(target.host);
  // libpq percent-decodes inside the brackets too: a zone id's "%" must be encoded
  else if (target.host.includes(':')) host = `[${target.host.replaceAll('%', '%25')}]`;
  else host = enc(target.host);
  const auth = `${enc(target.user)}${password !== undefined ? `:${password}` : ''}@`;
  const query = renderParams(target, redact)
    .map(([k, v]) => `${enc(k)}=${redact && SECRET_KEYS.has(k) ? v : enc(v)}`)
    .join('&');
  return `postgresql://${auth}${host}:${target.port}/${enc(target.database)}${query ? `?${query}` : ''}`;
}

/**
 * Renders the target as a `postgresql://` URL with every part percent-encoded, one libpq accepts
 * (psql, pg_dump, pg, compose): libpq parameters only, values libpq accepts.
 */
export function renderUrl(target: ConnectionTarget): string {
  const t = assertTarget(target);
  assertRenderable(t, renderParams(t, false));
  return renderUrlWith(t, t.password === undefined ? undefined : enc(t.password), false);
}

/** Quotes a libpq key=value value when needed: empty, whitespace, quotes or backslashes. */
export function quoteKeyValue(value: string): string {
  if (value !== '' && !/[\s'\\]/.test(value)) return value;
  return `'${value.replace(/[\\']/g, (ch) => `\\${ch}`)}'`;
}

function renderKeyValueWith(
  target: ConnectionTarget,
  password: string | undefined,
  redact: boolean,
): string {
  const pairs: Array<[string, string]> = [
    ['host', target.host],
    ['port', String(target.port)],
    ['user', target.user],
  ];
  if (password !== undefined) pairs.push(['password', password]);
  pairs.push(['dbname', target.database]);
  pairs.push(...renderParams(target, redact));
  return pairs
    .map(([k, v]) => `${k}=${redact && SECRET_KEYS.has(k) ? v : quoteKeyValue(v)}`)
    .join(' ');
}

/** Renders the target as libpq `key=value` pairs, quoting and escaping values as libpq expects. */
export function renderKeyValue(target: ConnectionTarget): string {
  const t = assertTarget(target);
  assertRenderable(t, renderParams(t, false));
  return renderKeyValueWith(t, t.password, false);
}

/** The target as a URL with the password replaced by `***`: safe for logs and output. */
export function redactTarget(target: ConnectionTarget): string {
  const t = assertTarget(target);
  return renderUrlWith(t, t.password === undefined ? undefined : REDACTED, true);
}

/** The target as key=value with the password replaced by `***`. */
export function redactKeyValue(target: ConnectionTarget): string {
  const t = assertTarget(target);
  return renderKeyValueWith(t, t.password === undefined ? undefined : REDACTED, true);
}

/** Shows at most the first and last 4 characters of a secret (or `***` when it is short). */
export function maskSecret(secret: string): string {
  if (secret.length < 16) return REDACTED;
  return `${secret.slice(0, 4)}${REDACTED}${secret.slice(-4)}`;
}
