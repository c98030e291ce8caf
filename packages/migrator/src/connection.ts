import type pg from 'pg';
import { TransactionPoolerRefusedError } from './errors.js';

/** A connection string (URL) or a node-postgres client config. */
export type MigratorConnection = string | pg.ClientConfig;

/** Masks passwords in connection strings / URLs inside any text. */
export function redactConnectionString(text: string): string {
  return (
    text
      // scheme://user:password@host
      .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@\s]*)@/gi, '$1***@')
      // password=… in query strings and key=value strings
      .replace(/(password\s*=\s*)('[^']*'|[^&\s]+)/gi, '$1***')
  );
}

export function describeTarget(connection: MigratorConnection): string {
  if (typeof connection === 'string') return redactConnectionString(connection);
  if (connection.connectionString) return redactConnectionString(connection.connectionString);
  const user = connection.user ?? '';
  return `postgres://${user ? `${user}@` : ''}${connection.host ?? 'localhost'}:${connection.port ?? 5432}/${connection.database ?? ''}`;
}

// TODO(pg-connect): replace with parseConnectionTarget(...).mode from @supaops/pg-connect once
// it is published in the workspace; this minimal check only knows port 6543 and pgbouncer=true.
function looksLikeTransactionPooler(connection: MigratorConnection): string | undefined {
  const str = typeof connection === 'string' ? connection : connection.connectionString;
  if (str) {
    let url: URL | undefined;
    try {
      url = new URL(str);
    } catch {
      url = undefined;
    }
    if (url) {
      if (url.port === '6543') return 'its port is 6543 (Supavisor/PgBouncer transaction mode)';
      if (url.searchParams.get('pgbouncer') === 'true') return 'it carries pgbouncer=true';
    } else if (/(^|\s)port\s*=\s*6543(\s|$)/.test(str)) {
      return 'its port is 6543 (Supavisor/PgBouncer transaction mode)';
    }
  }
  if (typeof connection !== 'string' && Number(connection.port) === 6543) {
    return 'its port is 6543 (Supavisor/PgBouncer transaction mode)';
  }
  return undefined;
}

/** Refuses transaction-pooler targets: advisory locks, SET and session state break there. */
export function assertNotTransactionPooler(connection: MigratorConnection): void {
  const reason = looksLikeTransactionPooler(connection);
  if (reason) {
    throw new TransactionPoolerRefusedError(
      `Refusing to migrate through a transaction pooler (${describeTarget(connection)}): ${reason}. ` +
        'In transaction mode each statement may land on a different server session, so the advisory lock, ' +
        'SET lock_timeout/statement_timeout and multi-statement transactions cannot be trusted. ' +
        'Fix: use the direct connection (port 5432 on the database host) or the Supavisor session pooler (port 5432).',
    );
  }
}

/** The pg client config for a connection, tagged with an application_name. */
export function toClientConfig(
  connection: MigratorConnection,
  applicationName: string,
): pg.ClientConfig {
  const base: pg.ClientConfig =
    typeof connection === 'string' ? { connectionString: connection } : { ...connection };
  return { application_name: applicationName, ...base };
}
