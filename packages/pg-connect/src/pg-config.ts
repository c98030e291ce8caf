import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type pg from 'pg';
import { z } from 'zod';
import { ConnectionStringError, validate } from './errors.js';
import { parseLibpqInt } from './libpq-values.js';
import { assertTarget } from './render.js';
import { type ConnectionTarget, connectAddress } from './target.js';

export const DEFAULT_APPLICATION_NAME = 'supaops';

function readFile(path: string, param: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConnectionStringError(
      `parameter ${param}`,
      `${param}=${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). Fix: point ${param} at a readable PEM file.`,
      { cause: error },
    );
  }
}

/**
 * The TLS options for a target, following libpq's sslmode semantics (not node-postgres's):
 * disable → none; allow/prefer → none (node-postgres cannot fall back), except Supabase cloud;
 * require/no-verify → encrypted, unverified (verify-ca when sslrootcert is set, as libpq);
 * verify-ca → CA checked, host name not; verify-full → CA and host name checked.
 * Supabase cloud hosts without sslmode get `require`; `requiressl=1` and `ssl=true` (libpq's old
 * and JDBC spellings, which the parser already turns into sslmode) count as `require` too. With
 * a hostaddr, SNI and verification use the host name, as libpq does.
 */
export function tlsOptions(target: ConnectionTarget): false | ConnectionOptions {
  const p = target.params;
  const cloud = target.hostKind.startsWith('supabase-cloud');
  const legacy = p.requiressl?.startsWith('1') || p.ssl === 'true' ? 'require' : undefined;
  let mode = p.sslmode ?? legacy ?? (cloud ? 'require' : 'disable');
  if ((mode === 'prefer' || mode === 'allow') && !cloud) return false;
  if (mode === 'prefer' || mode === 'allow') mode = 'require';
  if (mode === 'disable' || target.hostKind === 'socket') return false;
  const ssl: ConnectionOptions = {};
  const rootcert = p.sslrootcert && p.sslrootcert !== 'system' ? p.sslrootcert : undefined;
  if (rootcert) ssl.ca = readFile(rootcert, 'sslrootcert');
  if (p.sslcert) ssl.cert = readFile(p.sslcert, 'sslcert');
  if (p.sslkey) ssl.key = readFile(p.sslkey, 'sslkey');
  if (!isIP(target.host) && !target.host.startsWith('/')) ssl.servername = target.host;
  if (mode === 'require' && rootcert) mode = 'verify-ca';
  if (mode === 'require' || mode === 'no-verify') {
    ssl.rejectUnauthorized = false;
  } else if (mode === 'verify-ca') {
    ssl.rejectUnauthorized = true;
    ssl.checkServerIdentity = () => undefined;
  } else {
    ssl.rejectUnauthorized = true;
  }
  return ssl;
}

const overridesSchema = z
  .object({
    applicationName: z.string().max(63).optional(),
    statementTimeoutMs: z.number().int().min(0).optional(),
    lockTimeoutMs: z.number().int().min(0).optional(),
    idleInTransactionSessionTimeoutMs: z.number().int().min(0).optional(),
    connectionTimeoutMillis: z.number().int().min(0).optional(),
  })
  .strict();

export interface PgConfigOverrides {
  applicationName?: string | undefined;
  /** Sent as a startup parameter on direct connections only (poolers may reject it). */
  statementTimeoutMs?: number | undefined;
  lockTimeoutMs?: number | undefined;
  idleInTransactionSessionTimeoutMs?: number | undefined;
  connectionTimeoutMillis?: number | undefined;
}

/**
 * A node-postgres client config for the target: credentials, TLS from sslmode, application_name
 * ("supaops" unless the target or overrides say otherwise), connect_timeout and options.
 * Session settings (statement_timeout, ...) go into the startup packet only for direct
 * connections, because poolers reject or ignore unknown startup parameters.
 */
export function toPgConfig(
  target: ConnectionTarget,
  overrides: PgConfigOverrides = {},
): pg.ClientConfig {
  const t = assertTarget(target);
  const o = validate(overridesSchema, overrides, 'toPgConfig overrides');
  const config: pg.ClientConfig = {
    // hostaddr is where to connect; the host name stays for TLS (tlsOptions)
    host: connectAddress(t),
    port: t.port,
    user: t.user,
    database: t.database,
    application_name: o.applicationName ?? t.params.application_name ?? DEFAULT_APPLICATION_NAME,
    ssl: tlsOptions(t),
  };
  if (t.password !== undefined) config.password = t.password;
  if (t.params.options) config.options = t.params.options;
  // libpq: zero or a negative connect_timeout means no limit of its own
  const seconds = t.params.connect_timeout ? parseLibpqInt(t.params.connect_timeout) : undefined;
  const connectTimeout =
    seconds !== undefined && seconds > 0 ? seconds * 1000 : o.connectionTimeoutMillis;
  if (connectTimeout) config.connectionTimeoutMillis = connectTimeout;
  if (t.mode === 'direct') {
    if (o.statementTimeoutMs !== undefined) config.statement_timeout = o.statementTimeoutMs;
    if (o.lockTimeoutMs !== undefined) config.lock_timeout = o.lockTimeoutMs;
    if (o.idleInTransactionSessionTimeoutMs !== undefined) {
      config.idle_in_transaction_session_timeout = o.idleInTransactionSessionTimeoutMs;
    }
  }
  return config;
}
