/** Connection keywords libpq accepts (PostgreSQL 15–17). Unknown keywords are errors in key=value strings. */
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
export type SslMode = (typeof SSL_MODES)[number];

import { ConnectionStringError } from './errors.js';

/** Checks the parameters every format shares (sslmode, connect_timeout, port). */
export function checkParams(params: Record<string, string>): void {
  const sslmode = params.sslmode;
  if (sslmode !== undefined && !(SSL_MODES as readonly string[]).includes(sslmode)) {
    throw new ConnectionStringError(
      'parameter sslmode',
      `sslmode "${sslmode}" is not valid. Fix: use one of ${SSL_MODES.join(', ')}.`,
    );
  }
  const timeout = params.connect_timeout;
  if (timeout !== undefined && !/^\d+$/.test(timeout)) {
    throw new ConnectionStringError(
      'parameter connect_timeout',
      `connect_timeout "${timeout}" is not a whole number of seconds. Fix: e.g. connect_timeout=10.`,
    );
  }
}

export function parsePort(raw: string, where = 'port'): number {
  if (!/^\d{1,5}$/.test(raw)) {
    throw new ConnectionStringError(
      where,
      `The port "${raw}" is not a number. Fix: use a port between 1 and 65535 (5432 direct or session pooler, 6543 transaction pooler).`,
    );
  }
  const port = Number(raw);
  if (port < 1 || port > 65535) {
    throw new ConnectionStringError(
      where,
      `The port ${port} is out of range. Fix: use a port between 1 and 65535.`,
    );
  }
  return port;
}

/** The fields of a target being read from a connection string. */
export interface CoreDraft {
  host: string | undefined;
  port: number;
  user: string | undefined;
  password: string | undefined;
  database: string | undefined;
}

/**
 * Applies a keyword that is a field of the target rather than a parameter (host, hostaddr,
 * port, user, password, dbname), the same way for key=value strings and URL query parameters.
 * Returns false for any other keyword, which the caller keeps as a parameter.
 */
export function applyCoreKey(
  draft: CoreDraft,
  key: string,
  value: string,
  portLabel?: string,
): boolean {
  switch (key) {
    case 'host':
    case 'hostaddr':
      draft.host = value;
      return true;
    case 'port':
      draft.port = parsePort(value, portLabel);
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
    default:
      return false;
  }
}
