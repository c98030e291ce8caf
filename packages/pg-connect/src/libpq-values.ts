import { isIP } from 'node:net';
import { ConnectionStringError } from './errors.js';

/** The values libpq checks before it opens a socket; anything else it refuses with an error. */
const ENUMS: Record<string, readonly string[]> = {
  sslmode: ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'],
  gssencmode: ['disable', 'prefer', 'require'],
  channel_binding: ['disable', 'prefer', 'require'],
  target_session_attrs: ['any', 'read-write', 'read-only', 'primary', 'standby', 'prefer-standby'],
  // PostgreSQL 16+
  load_balance_hosts: ['disable', 'random'],
  sslcertmode: ['disable', 'allow', 'require'],
  // PostgreSQL 17+
  sslnegotiation: ['postgres', 'direct'],
};

/** Parameters libpq reads as integers (strtol: blanks around, an optional sign). */
const INTEGERS = [
  'connect_timeout',
  'keepalives',
  'keepalives_idle',
  'keepalives_interval',
  'keepalives_count',
  'tcp_user_timeout',
];

/** Parameters whose empty value libpq refuses, so an empty PG* variable must not be skipped. */
export const CHECKED_PARAMS = new Set([...Object.keys(ENUMS), ...INTEGERS, 'require_auth']);

const TLS_VERSIONS = ['tlsv1', 'tlsv1.1', 'tlsv1.2', 'tlsv1.3'];
const AUTH_METHODS = ['password', 'md5', 'gss', 'sspi', 'scram-sha-256', 'none'];

// C isspace(), not JavaScript's \s (which also matches Unicode spaces libpq does not skip)
const INT = /^[ \t\n\v\f\r]*[+-]?\d+[ \t\n\v\f\r]*$/;
const INT_MAX = 2_147_483_647;

/** An integer as libpq's parse_int_param reads it, or undefined where libpq refuses the value. */
export function parseLibpqInt(raw: string): number | undefined {
  if (!INT.test(raw)) return undefined;
  const n = Number(raw.replace(/[ \t\n\v\f\r]/g, ''));
  if (!Number.isSafeInteger(n) || n > INT_MAX || n < -INT_MAX - 1) return undefined;
  return n;
}

/**
 * A port as libpq reads it: an integer (blanks and a sign allowed) from 1 to 65535.
 * `shown: false` keeps the raw text out of the message (it may be part of a password).
 */
export function parsePort(raw: string, where = 'port', shown = true): number {
  const what = shown ? `The port "${raw}"` : 'The port';
  if (raw.includes(',')) {
    throw new ConnectionStringError(
      where,
      `${what} lists several ports. Fix: give one port; use one target per server.`,
    );
  }
  const port = parseLibpqInt(raw);
  if (port === undefined) {
    throw new ConnectionStringError(
      where,
      `${what} is not a number. Fix: use a port between 1 and 65535 (5432 direct or session pooler, 6543 transaction pooler).`,
    );
  }
  if (port < 1 || port > 65535) {
    throw new ConnectionStringError(
      where,
      `${shown ? `The port ${port}` : 'The port'} is out of range. Fix: use a port between 1 and 65535.`,
    );
  }
  return port;
}

function invalid(key: string, value: string, allowed: string): ConnectionStringError {
  return new ConnectionStringError(
    `parameter ${key}`,
    `${key} "${value}" is not valid (libpq refuses it). Fix: use ${allowed}.`,
  );
}

function checkRequireAuth(value: string): void {
  const methods = value.split(',');
  const negated = methods.map((m) => m.startsWith('!'));
  const names = methods.map((m) => (m.startsWith('!') ? m.slice(1) : m));
  const known = names.every((n) => AUTH_METHODS.includes(n));
  if (!known || new Set(negated).size > 1 || new Set(names).size !== names.length) {
    throw invalid(
      'require_auth',
      value,
      `a comma-separated list of ${AUTH_METHODS.join(', ')}, all or none negated with !`,
    );
  }
}

function checkTlsVersions(params: Record<string, string>): void {
  const rank: Record<string, number> = {};
  for (const key of ['ssl_min_protocol_version', 'ssl_max_protocol_version']) {
    const value = params[key];
    if (value === undefined || value === '') continue;
    const index = TLS_VERSIONS.indexOf(value.toLowerCase());
    if (index < 0) throw invalid(key, value, 'TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3');
    rank[key] = index;
  }
  const min = rank.ssl_min_protocol_version;
  const max = rank.ssl_max_protocol_version;
  if (min !== undefined && max !== undefined && min > max) {
    throw new ConnectionStringError(
      'parameter ssl_max_protocol_version',
      'ssl_max_protocol_version is lower than ssl_min_protocol_version (libpq refuses the range). Fix: swap them or drop one.',
    );
  }
}

/**
 * Checks parameter values the way libpq does before connecting: the enumerations (sslmode,
 * target_session_attrs, gssencmode, ...), the integers (connect_timeout, keepalives, ...),
 * the TLS version range and hostaddr (a numeric address). Values are not secrets here.
 */
export function checkParams(params: Record<string, string>): void {
  for (const [key, allowed] of Object.entries(ENUMS)) {
    const value = params[key];
    if (value !== undefined && !allowed.includes(value)) {
      throw invalid(key, value, `one of ${allowed.join(', ')}`);
    }
  }
  for (const key of INTEGERS) {
    const value = params[key];
    if (value !== undefined && parseLibpqInt(value) === undefined) {
      throw new ConnectionStringError(
        `parameter ${key}`,
        `${key} "${value}" is not a whole number (libpq refuses it). Fix: e.g. ${key}=10.`,
      );
    }
  }
  if (params.require_auth !== undefined) checkRequireAuth(params.require_auth);
  checkTlsVersions(params);
  const hostaddr = params.hostaddr;
  if (hostaddr) {
    if (hostaddr.includes(',')) {
      throw new ConnectionStringError(
        'hostaddr',
        `Several addresses ("${hostaddr}") are not supported. Fix: give one hostaddr; use one target per server.`,
      );
    }
    if (isIP(hostaddr) === 0) {
      throw new ConnectionStringError(
        'hostaddr',
        `hostaddr "${hostaddr}" is not a numeric IP address (libpq does not resolve names there). Fix: put the name in host and leave hostaddr out, or give the IPv4/IPv6 address.`,
      );
    }
  }
}
