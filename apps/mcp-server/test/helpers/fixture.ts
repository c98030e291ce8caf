import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Server } from '@supaops/s3-server';
import { resetSandbox } from '@supaops/sandbox';
import { generateLegacyApiKeys } from '@supaops/supabase-jwt';
import { recordSandboxHome, type TestDatabase } from '@supaops/testkit';

export interface Fixture {
  root: string;
  /** The project directory holding supaops.config.json (the servers' cwd). */
  project: string;
  /** HOME and XDG dirs in the temp root, the secrets as env vars. */
  env: NodeJS.ProcessEnv;
  /** Every secret value of the fixture: none may appear in any tool output. */
  secrets: string[];
  anonKey: string;
  /** A service key the `open` instance may hand out (allowServiceKey); not a fixture secret. */
  openServiceKey: string;
  backupsDir: string;
  migrationsDir: string;
  cleanup(): Promise<void>;
}

const random = (n = 24) => randomBytes(n).toString('base64url');

/** A temp HOME with XDG dirs, for every test that starts a server. */
const homes = new Map<string, NodeJS.ProcessEnv>();

/**
 * Removes a temp HOME, first stopping and deleting any sandbox a server started under it: a server
 * with no instance configured starts the sandbox in the background, and as root its cluster lives
 * outside HOME (under the postgres user's home), so removing HOME alone would leave it running.
 */
export async function removeHome(root: string): Promise<void> {
  const env = homes.get(root);
  homes.delete(root);
  if (env) {
    // the run's leak guard checks at its end that what was started here is gone
    recordSandboxHome(env);
    await resetSandbox({ env }).catch(() => {});
  }
  await rm(root, { recursive: true, force: true });
}

export async function tempHome(): Promise<{ root: string; env: NodeJS.ProcessEnv }> {
  const root = await mkdtemp(join(tmpdir(), 'supaops-mcp-test-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    ...(process.env.PG_BIN ? { PG_BIN: process.env.PG_BIN } : {}),
    HOME: root,
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_DATA_HOME: join(root, 'data'),
    XDG_STATE_HOME: join(root, 'state'),
    XDG_CACHE_HOME: join(root, 'cache'),
    TMPDIR: process.env.TMPDIR ?? tmpdir(),
  };
  homes.set(root, env);
  recordSandboxHome(env);
  return { root, env };
}

/**
 * A project with supaops.config.json: `dev` (local backups, default), `prod` (labelled
 * production, backups on the S3 server) and `open` (allowServiceKey) on the test database; every
 * secret travels by `env:` reference.
 */
export async function createFixture(db: TestDatabase, s3?: S3Server): Promise<Fixture> {
  const { root, env } = await tempHome();
  const project = join(root, 'project');
  const backupsDir = join(project, 'backups');
  const migrationsDir = join(project, 'supabase', 'migrations');
  await mkdir(migrationsDir, { recursive: true });
  const jwtSecret = random(30);
  const keys = await generateLegacyApiKeys({ secret: jwtSecret });
  const openKeys = await generateLegacyApiKeys({ secret: random(30) });
  const passphrase = `pass-${random(16)}`;
  const rawKey = randomBytes(32).toString('hex');
  const user = new URL(db.adminUrl).username;
  const session = `postgres://${user}@${db.host}:${db.port}/${db.name}`;
  Object.assign(env, {
    T_DB_PASSWORD: db.password,
    T_JWT_SECRET: jwtSecret,
    T_ANON_KEY: keys.ANON_KEY,
    T_SERVICE_KEY: keys.SERVICE_ROLE_KEY,
    T_OPEN_ANON_KEY: openKeys.ANON_KEY,
    T_OPEN_SERVICE_KEY: openKeys.SERVICE_ROLE_KEY,
    T_BACKUP_PASSPHRASE: passphrase,
    T_BACKUP_KEY: rawKey,
    ...(s3 ? { T_S3_KEY: s3.accessKeyId, T_S3_SECRET: s3.secretAccessKey } : {}),
  });
  const database = { session, password: 'env:T_DB_PASSWORD' };
  const api = {
    url: 'http://127.0.0.1:54321',
    anonKey: 'env:T_ANON_KEY',
    serviceRoleKey: 'env:T_SERVICE_KEY',
    jwtSecret: 'env:T_JWT_SECRET',
  };
  const config = {
    version: 1,
    defaultInstance: 'dev',
    instances: {
      dev: {
        kind: 'self-hosted',
        database,
        api,
        migrationsDir: 'supabase/migrations',
        backups: {
          storage: { type: 'local', dir: './backups' },
          encryptionKey: 'env:T_BACKUP_PASSPHRASE',
          retention: { keepLast: 1 },
        },
      },
      prod: {
        kind: 'self-hosted',
        database,
        api,
        labels: { production: true },
        migrationsDir: 'supabase/migrations',
        ...(s3
          ? {
              backups: {
                storage: {
                  type: 's3',
                  bucket: 'backups',
                  prefix: 'prod/',
                  endpoint: s3.endpoint,
                  region: s3.region,
                  forcePathStyle: true,
                  accessKeyId: 'env:T_S3_KEY',
                  secretAccessKey: 'env:T_S3_SECRET',
                },
                // a raw 32-byte key (64 hex characters), where dev has a passphrase
                encryptionKey: 'env:T_BACKUP_KEY',
              },
            }
          : {}),
      },
      down: {
        kind: 'self-hosted',
        description: 'nothing listens on port 1',
        database: {
          session: 'postgres://postgres@127.0.0.1:1/postgres',
          password: 'env:T_DB_PASSWORD',
        },
      },
      open: {
        kind: 'self-hosted',
        api: {
          url: 'http://127.0.0.1:54322',
          anonKey: 'env:T_OPEN_ANON_KEY',
          serviceRoleKey: 'env:T_OPEN_SERVICE_KEY',
        },
        allowServiceKey: true,
      },
    },
    dokployServers: {},
  };
  await writeFile(join(project, 'supaops.config.json'), JSON.stringify(config, null, 2));
  return {
    root,
    project,
    env,
    secrets: [
      db.password,
      jwtSecret,
      keys.SERVICE_ROLE_KEY,
      passphrase,
      rawKey,
      ...(s3 ? [s3.accessKeyId, s3.secretAccessKey] : []),
    ],
    anonKey: keys.ANON_KEY,
    openServiceKey: openKeys.SERVICE_ROLE_KEY,
    backupsDir,
    migrationsDir,
    cleanup: () => removeHome(root),
  };
}
