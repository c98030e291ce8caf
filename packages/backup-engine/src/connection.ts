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
}

export const connectionUrlSchema = z
  .string()
  .min(1)
  .refine(
    (value) => /^postgres(ql)?:\/\//.test(value),
    'must be a postgres:// or postgresql:// URL',
  );

export function parseConnection(url: string): Connection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new BackupValidationError(
      'connection URL',
      [`${redactConnectionString(url)} is not a URL`],
      {
        cause: error,
      },
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres';
  return {
    url,
    host: parsed.hostname.replace(/^\[|\]$/g, '') || 'localhost',
    port: Number(parsed.port || 5432),
    database,
    user: decodeURIComponent(parsed.username || 'postgres'),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    redacted: redactConnectionString(url),
  };
}

/** The same server and credentials, another database. */
export function withDatabase(conn: Connection, database: string): Connection {
  const parsed = new URL(conn.url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parseConnection(parsed.toString());
}

/** Arguments and environment for libpq tools: the password travels in PGPASSWORD, not argv. */
export function toolConnection(conn: Connection): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(conn.url);
  parsed.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (conn.password !== undefined) env.PGPASSWORD = conn.password;
  return { dbname: parsed.toString(), env };
}

export function redactedSource(conn: Connection): { host: string; port: number; database: string } {
  return { host: redactHost(conn.host), port: conn.port, database: conn.database };
}

/** Opens a pg client; an unreachable server becomes a RestoreError/BackupError with the URL redacted. */
export async function connect(conn: Connection, purpose: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: conn.url,
    connectionTimeoutMillis: 15_000,
    application_name: 'supaops-backup-engine',
  });
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
