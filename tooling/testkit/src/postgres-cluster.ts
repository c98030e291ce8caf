import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TestkitError } from './errors.js';
import { freePort } from './free-port.js';
import { isRoot, lookupOsUser, type OsUser } from './os-user.js';
import { findPgBinaries } from './pg-binaries.js';
import { OWNER_FILE, sweepStaleClusters, testkitRoot } from './run-dir.js';

const run = promisify(execFile);

export interface StartPostgresOptions {
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
  /** Defaults to 100. */
  maxConnections?: number;
  /** Directory of the server binaries; found automatically when absent. */
  binDir?: string;
}

export interface PostgresCluster {
  host: string;
  port: number;
  /** The cluster superuser, named as in the real Supabase image. */
  superuser: string;
  password: string;
  /** Directory holding the unix socket. */
  socketDir: string;
  binDir: string;
  dataDir: string;
  /** `postgres://supabase_admin:…@127.0.0.1:port/database` */
  url(database?: string, user?: string): string;
  stop(): Promise<void>;
}

const live = new Set<() => void>();
let hooksInstalled = false;

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const cleanupAll = () => {
    for (const cleanup of [...live]) cleanup();
  };
  process.once('exit', cleanupAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanupAll();
      // re-raise so the default action (or the runner's own handler) still happens
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function asUser(user: OsUser | undefined) {
  return user ? { uid: user.uid, gid: user.gid, env: { ...process.env, HOME: user.home } } : {};
}

/**
 * Starts a throwaway PostgreSQL cluster: initdb in a temp dir, a free loopback port,
 * fsync off. As root it runs as the `postgres` OS user, because PostgreSQL refuses root.
 * The cluster is removed on stop(), on process exit and on SIGINT/SIGTERM; clusters of
 * killed runs are swept when the next one starts.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresCluster> {
  const binDir = options.binDir ?? findPgBinaries().dir;
  const root = testkitRoot();
  sweepStaleClusters(root);

  let osUser: OsUser | undefined;
  if (isRoot()) {
    osUser = lookupOsUser('postgres');
    if (!osUser) {
      throw new TestkitError(
        'PG_OS_USER_MISSING',
        'Running as root, but there is no `postgres` OS user to run PostgreSQL as. ' +
          'Fix: `useradd --system postgres`, run the tests as a non-root user, or set TEST_DATABASE_URL.',
      );
    }
  }

  const dir = join(root, `${process.pid}-${randomBytes(4).toString('hex')}`);
  const dataDir = join(dir, 'data');
  mkdirSync(dir, { mode: 0o700 });
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ pid: process.pid, startedAt: Date.now() }));
  const password = randomBytes(18).toString('base64url');
  const pwFile = join(dir, 'pwfile');
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (osUser) {
    chownSync(dir, osUser.uid, osUser.gid);
    chownSync(pwFile, osUser.uid, osUser.gid);
  }

  let removed = false;
  const removeSync = () => {
    if (removed) return;
    removed = true;
    live.delete(removeSync);
    try {
      execFileSync(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], {
        stdio: 'ignore',
        ...asUser(osUser),
      });
    } catch {
      // not running: nothing to stop
    }
    rmSync(dir, { recursive: true, force: true });
  };
  live.add(removeSync);
  installExitHooks();

  try {
    await run(
      join(binDir, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        'supabase_admin',
        `--pwfile=${pwFile}`,
        '--auth-host=scram-sha-256',
        '--auth-local=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ],
      asUser(osUser),
    );
    rmSync(pwFile);

    const settings: Record<string, string | number> = {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: options.maxConnections ?? 100,
      shared_buffers: '128MB',
      ...options.settings,
    };
    let port = 0;
    let lastError: unknown;
    // a free port can be taken between the probe and the bind: try a few
    for (let attempt = 0; attempt < 3; attempt++) {
      port = await freePort();
      const serverArgs = [
        `-p ${port}`,
        '-h 127.0.0.1',
        `-k ${dir}`,
        ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`),
      ].join(' ');
      try {
        await run(
          join(binDir, 'pg_ctl'),
          [
            '-D',
            dataDir,
            '-l',
            join(dir, 'server.log'),
            '-w',
            '-t',
            '60',
            '-o',
            serverArgs,
            'start',
          ],
          asUser(osUser),
        );
        lastError = undefined;
        break;
      } catch (error) {
        lastError = error;
      }
    }
    if (lastError) throw lastError;

    return {
      host: '127.0.0.1',
      port,
      superuser: 'supabase_admin',
      password,
      socketDir: dir,
      binDir,
      dataDir,
      url(database = 'postgres', user = 'supabase_admin') {
        return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
      },
      async stop() {
        removeSync();
      },
    };
  } catch (error) {
    let log = '';
    try {
      log = readFileSync(join(dir, 'server.log'), 'utf8').slice(-2000);
    } catch {
      // no log yet
    }
    removeSync();
    throw new TestkitError(
      'PG_START_FAILED',
      `Could not start a PostgreSQL test cluster with ${binDir}: ${(error as Error).message}${log ? `\nserver log:\n${log}` : ''}\n` +
        'Fix: check that the binaries work (`initdb --version`), or set TEST_DATABASE_URL to an existing server.',
      { cause: error },
    );
  }
}
