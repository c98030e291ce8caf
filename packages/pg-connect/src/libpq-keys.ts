import { ConnectionStringError } from './errors.js';
import { parsePort } from './libpq-values.js';
import type { ParseNote } from './target.js';

/**
 * Connection keywords libpq accepts (PostgreSQL 15–17). Unknown keywords are errors in key=value
 * strings and URL query parameters alike, as libpq refuses them. `requiressl` is the old
 * spelling libpq still reads as sslmode (1 → require, anything else → prefer).
 */
export const LIBPQ_KEYS = new Set([
  'host',
  'hostaddr',
  'port',
  'dbname',
  'user',
  'password',
  'passfile',
  'require_auth',
  'channel_binding',
  'connect_timeout',
  'client_encoding',
  'options',
  'application_name',
  'fallback_application_name',
  'keepalives',
  'keepalives_idle',
  'keepalives_interval',
  'keepalives_count',
  'tcp_user_timeout',
  'replication',
  'gssencmode',
  'sslmode',
  'sslnegotiation',
  'requiressl',
  'sslcompression',
  'sslcert',
  'sslkey',
  'sslpassword',
  'sslcertmode',
  'sslrootcert',
  'sslcrl',
  'sslcrldir',
  'sslsni',
  'requirepeer',
  'ssl_min_protocol_version',
  'ssl_max_protocol_version',
  'krbsrvname',
  'gsslib',
  'gssdelegation',
  'service',
  'target_session_attrs',
  'load_balance_hosts',
]);

export const SSL_MODES = [
  'disable',
  'allow',
  'prefer',
  'require',
  'verify-ca',
  'verify-full',
  'no-verify',
] as const;
/** An sslmode: libpq's six, and node-postgres's `no-verify` (read as `require`, never rendered). */
export type SslMode = (typeof SSL_MODES)[number];

/**
 * URL query parameters other Postgres clients define that libpq refuses. They are accepted with a
 * parse note, kept in `params`, and never rendered into connection strings.
 */
export const CLIENT_ONLY_PARAMS: Record<string, string> = {
  pgbouncer:
    "Prisma's flag for a PgBouncer in transaction mode (pg-connect picks transaction mode from it)",
  uselibpqcompat:
    "node-postgres's switch to libpq's sslmode meaning (pg-connect always uses libpq's)",
};

/** Records that a client-only URL parameter was read (once per parameter). */
export function noteClientOnly(key: string, notes: ParseNote[]): void {
  const message = `${key} is not a libpq parameter: ${CLIENT_ONLY_PARAMS[key]}. libpq (psql, pg_dump) refuses it, so rendered connection strings leave it out.`;
  if (notes.some((n) => n.code === 'CLIENT_ONLY_PARAMETER' && n.message === message)) return;
  notes.push({
    code: 'CLIENT_ONLY_PARAMETER',
    severity: 'info',
    message,
    fix:
      key === 'pgbouncer'
        ? "Drop it where libpq reads the string; port 6543 or parseConnectionTarget(..., { mode: 'transaction' }) say the same."
        : 'Drop it where libpq reads the string.',
  });
}

/**
 * node-postgres's `sslmode=no-verify` (libpq refuses it) becomes libpq's `require`: encrypted,
 * certificate not checked. A parse note says so.
 */
export function normalizeSslmode(params: Record<string, string>, notes: ParseNote[]): void {
  if (params.sslmode !== 'no-verify') return;
  params.sslmode = 'require';
  notes.push({
    code: 'SSLMODE_NO_VERIFY',
    severity: 'warning',
    message: `sslmode=no-verify is node-postgres's; libpq (psql, pg_dump) refuses it. It is read as sslmode=require, libpq's word for the same thing: encrypted, certificate not checked${params.sslrootcert ? ' (with sslrootcert set, require checks the CA, as in libpq)' : ''}.`,
    fix: 'Write sslmode=require, or sslmode=verify-full with sslrootcert=<CA file> to check the server.',
  });
}

/** The fields of a target being read from a connection string. */
export interface CoreDraft {
  host: string | undefined;
  port: number | undefined;
  user: string | undefined;
  password: string | undefined;
  database: string | undefined;
}

/**
 * Applies a keyword that is a field of the target rather than a parameter (host, port, user,
 * password, dbname), the same way for key=value strings and URL query parameters. `requiressl`
 * becomes sslmode as in libpq. Returns false for any other keyword, which the caller keeps as a
 * parameter (hostaddr is one: libpq keeps it beside host, which stays the name TLS verifies).
 */
export function applyCoreKey(
  draft: CoreDraft,
  key: string,
  value: string,
  params: Record<string, string>,
  portLabel?: string,
): boolean {
  switch (key) {
    case 'host':
      if (value.includes(',')) {
        throw new ConnectionStringError(
          'host',
          `Several hosts ("${value}") are not supported. Fix: give one host; use one target per server.`,
        );
      }
      draft.host = value;
      return true;
    case 'port':
      // libpq: an empty port means the default one
      draft.port = value === '' ? undefined : parsePort(value, portLabel);
      return true;
    case 'user':
      draft.user = value;
      return true;
    case 'password':
      draft.password = value;
      return true;
    case 'dbname':
      draft.database = value;
      return true;
    case 'requiressl':
      params.sslmode = value.startsWith('1') ? 'require' : 'prefer';
      return true;
    default:
      return false;
  }
}

/** The known keyword closest to a misspelt one (`sslmod` → `sslmode`), for the fix in messages. */
export function closestKeyword(key: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of LIBPQ_KEYS) {
    const d = editDistance(key.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        prev[j]! + 1,
        row[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length]!;
}
