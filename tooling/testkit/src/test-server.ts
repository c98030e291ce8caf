import { randomBytes } from 'node:crypto';
import { applySupabaseBootstrap } from '@supaops/sandbox';
import pg from 'pg';
import { TestkitError } from './errors.js';
import { startPostgres } from './postgres-cluster.js';

/** What a test run shares with its test files (serializable: it crosses worker boundaries). */
export interface TestServerInfo {
  host: string;
  port: number;
  superuser: string;
  password: string;
  /** Database with the Supabase-like bootstrap applied; per-file databases are copies. */
  template: string;
  /** `cluster` when the kit started it, `external` for TEST_DATABASE_URL. */
  source: 'cluster' | 'external';
  binDir?: string;
  socketDir?: string;
}

export interface TestServer {
  info: TestServerInfo;
  stop(): Promise<void>;
}

async function adminQuery(info: TestServerInfo, database: string, sql: string): Promise<void> {
  const client = new pg.Client({
    host: info.host,
    port: info.port,
    user: info.superuser,
    password: info.password,
    database,
  });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Starts what a test run needs: the throwaway cluster (or the server named by
 * TEST_DATABASE_URL) and a template database holding the Supabase-like bootstrap.
 */
export async function startTestServer(
  options: { env?: NodeJS.ProcessEnv; maxConnections?: number } = {},
): Promise<TestServer> {
  const env = options.env ?? process.env;
  const template = `supaops_tpl_${process.pid}_${randomBytes(3).toString('hex')}`;
  let info: TestServerInfo;
  let stopCluster: () => Promise<void> = async () => {};

  if (env.TEST_DATABASE_URL) {
    let url: URL;
    try {
      url = new URL(env.TEST_DATABASE_URL);
    } catch (error) {
      throw new TestkitError(
        'TEST_DATABASE_URL_INVALID',
        'TEST_DATABASE_URL is not a URL. Fix: use postgres://superuser:password@host:port/postgres',
        { cause: error },
      );
    }
    info = {
      host: url.hostname,
      port: Number(url.port || 5432),
      superuser: decodeURIComponent(url.username || 'postgres'),
      password: decodeURIComponent(url.password),
      template,
      source: 'external',
    };
  } else {
    const cluster = await startPostgres(
      options.maxConnections ? { maxConnections: options.maxConnections } : {},
    );
    info = {
      host: cluster.host,
      port: cluster.port,
      superuser: cluster.superuser,
      password: cluster.password,
      template,
      source: 'cluster',
      binDir: cluster.binDir,
      socketDir: cluster.socketDir,
    };
    stopCluster = () => cluster.stop();
  }

  try {
    await adminQuery(info, 'postgres', `CREATE DATABASE ${quoteIdent(template)}`);
    const templateUrl = `postgres://${encodeURIComponent(info.superuser)}:${encodeURIComponent(info.password)}@${info.host}:${info.port}/${template}`;
    await applySupabaseBootstrap(templateUrl, info.password);
  } catch (error) {
    await stopCluster();
    throw new TestkitError(
      'TEST_SERVER_BOOTSTRAP_FAILED',
      `Could not prepare the template database: ${(error as Error).message}. ` +
        'Fix: the server must accept the superuser given (TEST_DATABASE_URL needs a superuser).',
      { cause: error },
    );
  }

  return {
    info,
    async stop() {
      if (info.source === 'external') {
        await dropDatabasesWithPrefix(info, template);
      }
      await stopCluster();
    },
  };
}

async function dropDatabasesWithPrefix(info: TestServerInfo, prefix: string): Promise<void> {
  const client = new pg.Client({
    host: info.host,
    port: info.port,
    user: info.superuser,
    password: info.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  host: string;
  port: number;
  password: string;
  /** Connection URL for any role of the bootstrap (all login roles share the password). */
  url(user?: string): string;
  /** The superuser URL of this database. */
  adminUrl: string;
  drop(): Promise<void>;
}

/**
 * Creates a fresh database copied from the bootstrapped template; each test file gets its own.
 * It is owned by `postgres`, as the image's database is (a copy does not keep its template's
 * owner), so `postgres` owns `public` through pg_database_owner and may create schemas.
 */
export async function createTestDatabase(
  info: TestServerInfo,
  label = 'db',
): Promise<TestDatabase> {
  const safeLabel = label
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 20);
  const name = `${info.template}_${safeLabel}_${randomBytes(3).toString('hex')}`;
  await adminQuery(
    info,
    'postgres',
    `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(info.template)} OWNER postgres`,
  );
  const url = (user = info.superuser) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(info.password)}@${info.host}:${info.port}/${encodeURIComponent(name)}`;
  return {
    name,
    host: info.host,
    port: info.port,
    password: info.password,
    url,
    adminUrl: url(),
    async drop() {
      await adminQuery(
        info,
        'postgres',
        `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`,
      );
    },
  };
}
