import {
  type ConnectionTarget,
  parseConnectionTarget,
  renderUrl,
  toPgConfig,
} from '@supaops/pg-connect';
import pg from 'pg';
import { z } from 'zod';
import { BackupValidationError, RestoreError } from './errors.js';
import { redactConnectionString, redactHost, redactText } from './redact.js';

export interface Connection {
  /** The URL as given (contains the password: never log it). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string | undefined;
  /** The URL with the password masked. */
  readonly redacted: string;
  /** The parsed target (`@supaops/pg-connect`). */
  readonly target: ConnectionTarget;
}

export const connectionUrlSchema = z
  .string()
  .min(1)
  .refine(
    (value) => /^postgres(ql)?:\/\//.test(value),
    'must be a postgres:// or postgresql:// URL',
  );

/** Parses a postgres:// URL with `@supaops/pg-connect` (which owns connection-string parsing). */
export function parseConnection(url: string): Connection {
  let target: ConnectionTarget;
  try {
    target = parseConnectionTarget(url, {
      format: 'url',
      defaults: { host: 'localhost', user: 'postgres', database: 'postgres' },
    });
  } catch (error) {
    throw new BackupValidationError(
      'connection URL',
      [`${redactConnectionString(url)}: ${redactConnectionString((error as Error).message)}`],
      { cause: error },
    );
  }
  return {
    url,
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password,
    redacted: redactConnectionString(url),
    target,
  };
}

/** The same server and credentials, another database. */
export function withDatabase(conn: Connection, database: string): Connection {
  return parseConnection(renderUrl({ ...conn.target, database }));
}

/** Arguments and environment for libpq tools: the password travels in PGPASSWORD, not argv. */
export function toolConnection(conn: Connection): { dbname: string; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (conn.password !== undefined) env.PGPASSWORD = conn.password;
  return { dbname: renderUrl({ ...conn.target, password: undefined }), env };
}

export function redactedSource(conn: Connection): { host: string; port: number; database: string } {
  return { host: redactHost(conn.host), port: conn.port, database: conn.database };
}

/** Opens a pg client; an unreachable server becomes a RestoreError/BackupError with the URL redacted. */
export async function connect(conn: Connection, purpose: string): Promise<pg.Client> {
  const client = new pg.Client(
    toPgConfig(conn.target, {
      applicationName: 'supaops-backup-engine',
      connectionTimeoutMillis: 15_000,
    }),
  );
  client.on('error', () => {
    // errors surface on the next query; an idle client's socket error must not crash the process
  });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw new RestoreError(
      'PG_UNREACHABLE',
      `Could not connect to ${conn.redacted} (${purpose}): ${redactText((error as Error).message, [conn.password])}. Fix: check host, port, database, user and password, and that the server accepts connections.`,
      { cause: error },
    );
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
