import {
  type ConnectionTarget,
  diagnoseTarget,
  parseConnectionTarget,
  redactConnectionString as redact,
  toPgConfig,
} from '@supaops/pg-connect';
import type pg from 'pg';
import { MigratorError, TransactionPoolerRefusedError } from './errors.js';

/** A connection string (URL or libpq key=value) or a node-postgres client config. */
export type MigratorConnection = string | pg.ClientConfig;

/** Masks passwords in connection strings inside any text (via @supaops/pg-connect). */
export function redactConnectionString(text: string): string {
  return redact(text);
}

function invalid(error: unknown): MigratorError {
  return new MigratorError(
    'MIGRATION_CONNECTION_INVALID',
    `The connection could not be parsed: ${redact((error as Error).message ?? String(error))} ` +
      'Fix: pass a postgres:// URL, a libpq key=value string, or a pg ClientConfig.',
    { cause: error },
  );
}

/**
 * The pg-connect view of a connection: mode (direct / session / transaction pooler) and what
 * the mode forbids. ClientConfig objects without a connection string are classified from
 * their host, port and user.
 */
export function classifyConnection(connection: MigratorConnection): ConnectionTarget {
  try {
    if (typeof connection === 'string') return parseConnectionTarget(connection);
    if (connection.connectionString) return parseConnectionTarget(connection.connectionString);
    const user = encodeURIComponent(String(connection.user ?? 'postgres'));
    const rawHost = String(connection.host ?? 'localhost');
    // unix socket directories go through the host parameter
    const hostPart = rawHost.startsWith('/')
      ? ''
      : rawHost.includes(':')
        ? `[${rawHost}]`
        : rawHost;
    const query = rawHost.startsWith('/') ? `?host=${encodeURIComponent(rawHost)}` : '';
    const port = Number(connection.port ?? 5432);
    const db = encodeURIComponent(String(connection.database ?? 'postgres'));
    return parseConnectionTarget(`postgres://${user}@${hostPart}:${port}/${db}${query}`);
  } catch (error) {
    throw invalid(error);
  }
}

export function describeTarget(connection: MigratorConnection): string {
  if (typeof connection === 'string') return redact(connection);
  if (connection.connectionString) return redact(connection.connectionString);
  const user = connection.user ?? '';
  return `postgres://${user ? `${user}@` : ''}${connection.host ?? 'localhost'}:${connection.port ?? 5432}/${connection.database ?? ''}`;
}

/** Refuses transaction-pooler targets (pg-connect's mode detection): advisory locks and SET break there. */
export function assertNotTransactionPooler(connection: MigratorConnection): void {
  const target = classifyConnection(connection);
  if (target.mode !== 'transaction' && !target.forbids.advisoryLocks) return;
  const diagnostic = diagnoseTarget(target, { purpose: 'migrations' }).find(
    (d) => d.code === 'TRANSACTION_MODE_FOR_MIGRATIONS',
  );
  throw new TransactionPoolerRefusedError(
    `Refusing to migrate through a transaction pooler (${describeTarget(connection)}, ` +
      `${target.pooler ?? 'pooler'} in transaction mode). ` +
      (diagnostic?.message ??
        'Each transaction may run on another server connection, so the advisory lock and session settings cannot be trusted.') +
      ` Fix: ${diagnostic?.fix ?? 'use the session pooler (port 5432) or a direct connection.'}`,
  );
}

/** The pg client config for a connection, tagged with an application_name. */
export function toClientConfig(
  connection: MigratorConnection,
  applicationName: string,
): pg.ClientConfig {
  if (typeof connection === 'string') {
    let target: ConnectionTarget;
    try {
      target = parseConnectionTarget(connection);
    } catch (error) {
      throw invalid(error);
    }
    const config = toPgConfig(target, { applicationName });
    // the target's own application_name wins, as with a ClientConfig
    if (target.params.application_name) config.application_name = target.params.application_name;
    return config;
  }
  return { application_name: applicationName, ...connection };
}
