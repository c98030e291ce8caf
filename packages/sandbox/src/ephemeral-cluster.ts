import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SandboxError, SandboxStartError, validate } from './errors.js';
import { onProcessExit } from './exit-hooks.js';
import { freePort } from './free-port.js';
import { type OsUser, serverOsUser } from './os-user.js';
import { findPgBinaries } from './pg-binaries.js';
import { launchPostmaster, logTail, processOptions, runInitdb } from './pg-process.js';
import { preloadSettings } from './preload-libraries.js';
import { reachableBinaries } from './reachable-binaries.js';
import { OWNER_FILE, sharedRunRoot, sweepStaleClusters } from './run-dir.js';

export interface EphemeralClusterOptions {
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
  /** Defaults to 100. */
  maxConnections?: number;
  /** Directory of the server binaries; found automatically when absent. */
  binDir?: string;
  /** Where binaries are looked for when `binDir` is absent. Default `auto` (system first). */
  binaries?: 'auto' | 'system' | 'embedded';
  /** Directory the cluster directories go in; default `<tmpdir>/supaops-ephemeral`. */
  root?: string;
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

const optionsSchema = z
  .object({
    settings: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    maxConnections: z.number().int().min(1).max(10_000).optional(),
    binDir: z.string().min(1).optional(),
    binaries: z.enum(['auto', 'system', 'embedded']).optional(),
    root: z.string().min(1).optional(),
  })
  .strict();

export const SUPERUSER = 'supabase_admin';

export function connectionUrl(
  port: number,
  password: string,
  database = 'postgres',
  user = SUPERUSER,
): string {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/**
 * Starts a throwaway PostgreSQL cluster: initdb in a temp dir, a free loopback port,
 * fsync off. As root it runs as the `postgres` OS user, because PostgreSQL refuses root.
 * The cluster is removed on stop(), on process exit and on SIGINT/SIGTERM; clusters of
 * killed runs are swept when the next one starts.
 */
export async function startEphemeralCluster(
  options: EphemeralClusterOptions = {},
): Promise<PostgresCluster> {
  const opts = validate(optionsSchema, options, 'startEphemeralCluster options');
  const osUser: OsUser | undefined = serverOsUser();
  const binDir =
    opts.binDir ??
    reachableBinaries(
      osUser,
      findPgBinaries(opts.binaries && opts.binaries !== 'auto' ? { only: opts.binaries } : {}),
    ).dir;
  const root = opts.root ?? sharedRunRoot();
  sweepStaleClusters(root);

  const dir = join(root, `${process.pid}-${randomBytes(4).toString('hex')}`);
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
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
    forget();
    try {
      execFileSync(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], {
        stdio: 'ignore',
        timeout: 30_000,
        ...processOptions(osUser, dir),
      });
    } catch {
      // not running: nothing to stop
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const forget = onProcessExit(removeSync);

  try {
    await runInitdb({ binDir, dataDir, superuser: SUPERUSER, pwFile, user: osUser, sync: false });
    rmSync(pwFile);

    const settings: Record<string, string | number> = {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: opts.maxConnections ?? 100,
      shared_buffers: '128MB',
      // pg_cron, pgaudit and pg_stat_statements work as on the image where this server has them
      ...preloadSettings(binDir),
      ...opts.settings,
    };
    let port = 0;
    let lastError: unknown;
    // a free port can be taken between the probe and the bind: try a few
    for (let attempt = 0; attempt < 3; attempt++) {
      port = await freePort();
      try {
        await launchPostmaster({
          binDir,
          dataDir,
          port,
          host: '127.0.0.1',
          socketDir: dir,
          settings,
          logFile,
          user: osUser,
        });
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
      superuser: SUPERUSER,
      password,
      socketDir: dir,
      binDir,
      dataDir,
      url: (database, user) => connectionUrl(port, password, database, user),
      async stop() {
        removeSync();
      },
    };
  } catch (error) {
    const log = SandboxError.isInstance(error) ? undefined : logTail(logFile);
    removeSync();
    throw new SandboxStartError(
      `Could not start a PostgreSQL cluster with ${binDir}: ${(error as Error).message}\n` +
        'Fix: check that the binaries work (`initdb --version`) and that the port range is free.',
      log,
      { cause: error },
    );
  }
}
