import {
  AuthenticationError,
  ConnectionError,
  type PgConnectError,
  PoolTimeoutError,
  TooManyConnectionsError,
} from './errors.js';
import { redactConnectionString } from './redact.js';
import { redactTarget } from './render.js';
import type { ConnectionTarget } from './target.js';

export type ConnectFailureKind =
  | 'auth'
  | 'tenant'
  | 'too-many'
  | 'transient'
  | 'dns'
  | 'database'
  | 'tls'
  | 'pool-timeout'
  | 'other';

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  '57P03', // cannot_connect_now: starting up / shutting down
  '57P01', // admin_shutdown
  '08006',
  '08001',
]);

interface ErrLike {
  code?: string;
  message?: string;
}

export function classifyConnectError(error: unknown): ConnectFailureKind {
  const e = (error ?? {}) as ErrLike;
  const code = e.code ?? '';
  const message = String(e.message ?? '');
  if (/tenant or user not found/i.test(message)) return 'tenant';
  if (code === '28P01' || code === '28000' || /password authentication failed/i.test(message)) {
    return 'auth';
  }
  if (
    code === '53300' ||
    /too many clients|remaining connection slots|max client connections/i.test(message)
  ) {
    return 'too-many';
  }
  if (code === '3D000') return 'database';
  if (code === 'ENOTFOUND') return 'dns';
  if (/timeout exceeded when trying to connect/i.test(message)) return 'pool-timeout';
  if (TRANSIENT_CODES.has(code) || /connection terminated/i.test(message)) return 'transient';
  if (
    /ssl|tls|certificate|self[- ]signed/i.test(message) ||
    code.startsWith('ERR_TLS') ||
    code.includes('CERT')
  ) {
    return 'tls';
  }
  return 'other';
}

export function isRetryable(kind: ConnectFailureKind): boolean {
  return kind === 'transient' || kind === 'too-many';
}

/** A safe, one-line description of the underlying error (passwords removed). */
export function describeCause(error: unknown): string {
  const e = (error ?? {}) as ErrLike;
  const text = `${e.message ?? String(error)}${e.code ? ` [${e.code}]` : ''}`;
  return redactConnectionString(text);
}

/** Maps a failed connect to the typed error, with a message saying how to fix it. */
export function connectError(
  error: unknown,
  target: ConnectionTarget,
  info: { attempts: number; poolStats?: string },
): PgConnectError {
  const where = redactTarget(target);
  const kind = classifyConnectError(error);
  const cause = describeCause(error);
  const sqlState = (error as ErrLike)?.code;
  switch (kind) {
    case 'tenant':
      return new AuthenticationError(
        `Supavisor answered "Tenant or user not found" for ${where}. Fix: the pooler user must be <role>.<tenant> (self-hosted: postgres.<POOLER_TENANT_ID>; cloud: postgres.<project-ref>), and the tenant must exist.`,
        { cause: error, sqlState },
      );
    case 'auth':
      return new AuthenticationError(
        `Authentication failed for ${where} (${cause}). Fix: check the password (percent-encoded in URLs). On self-hosted Supabase, changing POSTGRES_PASSWORD after the first start does not change the roles' passwords: ALTER USER them or restore the old value.`,
        { cause: error, sqlState },
      );
    case 'too-many':
      return new TooManyConnectionsError(
        `The server has no free connection slot for ${where} after ${info.attempts} attempt(s) (${cause}). Fix: run monitorConnections() with a superuser to see who holds the connections; lower POOLER_DEFAULT_POOL_SIZE or the pool sizes of the services, end idle-in-transaction sessions, or raise max_connections.`,
        { cause: error, attempts: info.attempts },
      );
    case 'dns':
      return new ConnectionError(
        'HOST_NOT_FOUND',
        `The host "${target.host}" does not resolve (${where}).${target.hostKind === 'docker-internal' ? ' It is a compose service name, which resolves only inside the Docker network.' : ''} Fix: use a reachable host; checkNetwork(target) says what to use from here (published pooler port or an SSH tunnel command).`,
        { cause: error, attempts: info.attempts },
      );
    case 'database':
      return new ConnectionError(
        'CONNECTION_FAILED',
        `The database "${target.database}" does not exist on ${where}. Fix: use an existing database (Supabase: postgres).`,
        { cause: error, attempts: info.attempts },
      );
    case 'tls':
      return new ConnectionError(
        'CONNECTION_FAILED',
        `TLS failed for ${where} (${cause}). Fix: match sslmode to the server: disable when the server has no TLS (Docker network), require to encrypt without verifying, verify-full with sslrootcert to verify.`,
        { cause: error, attempts: info.attempts },
      );
    case 'pool-timeout':
      return new PoolTimeoutError(
        `No connection to ${where} became available within the connection timeout${info.poolStats ? ` (${info.poolStats})` : ''}. Fix: release clients you hold, raise the pool's max, or check the server with monitorConnections().`,
        { cause: error },
      );
    default:
      return new ConnectionError(
        'CONNECTION_FAILED',
        `Could not connect to ${where} after ${info.attempts} attempt(s) (${cause}). Fix: check that the server runs and accepts connections on that host and port (firewall, published ports).`,
        { cause: error, attempts: info.attempts },
      );
  }
}
