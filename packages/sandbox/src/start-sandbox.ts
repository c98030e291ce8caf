import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { connectionUrl, SUPERUSER } from './ephemeral-cluster.js';
import { SandboxError, SandboxStartError, SandboxStateError, validate } from './errors.js';
import { extensionReport } from './extensions.js';
import { freePort } from './free-port.js';
import { withLock } from './lock-file.js';
import { type OsUser, serverOsUser } from './os-user.js';
import type { PgBinaries } from './pg-binaries.js';
import { logTail, pgCtlStop, runInitdb } from './pg-process.js';
import { livePostmaster } from './postmaster.js';
import { sweepPwFiles, writePwFile } from './pw-file.js';
import { reachableBinaries } from './reachable-binaries.js';
import {
  defaultClusterDir,
  prepareClusterDir,
  resolveDataDir,
  type SandboxLayout,
  sandboxLayout,
} from './sandbox-layout.js';
import {
  assertBinariesReachable,
  assertSameMajor,
  chooseBinaries,
  HOST,
  killCluster,
  launchSandboxServer,
  majorOf,
  portFree,
  probe,
  recoverStale,
} from './sandbox-server.js';
import { type Sandbox, type SandboxOptions, sandboxOptionsSchema } from './sandbox-types.js';
import { readState, type SandboxState, writeState } from './state-file.js';
import { applySupabaseBootstrap } from './supabase-bootstrap.js';

/** Binaries we found ourselves are copied where the server's OS user can run them; a binDir is the caller's. */
function found(
  ctx: { options: { binDir?: string | undefined } },
  layout: { osUser: OsUser | undefined },
  binaries: PgBinaries,
): PgBinaries {
  return ctx.options.binDir ? binaries : reachableBinaries(layout.osUser, binaries);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SandboxContext {
  options: SandboxOptions;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  stateFile: string;
  lockFile: string;
}

export function sandboxContext(options: SandboxOptions | undefined, what: string): SandboxContext {
  const opts = validate(sandboxOptionsSchema, options ?? {}, what) as SandboxOptions;
  const env = opts.env ?? process.env;
  const dataDir = resolveDataDir(opts.dataDir, env);
  const { stateFile, lockFile } = sandboxLayout(dataDir, dataDir, undefined);
  return { options: opts, env, dataDir, stateFile, lockFile };
}

/** The layout of an existing sandbox (its recorded cluster dir) or of a new one. */
export function layoutOf(ctx: SandboxContext, state: SandboxState | undefined): SandboxLayout {
  const osUser = serverOsUser();
  const clusterDir =
    state?.clusterDir ?? ctx.options.clusterDir ?? defaultClusterDir(ctx.dataDir, osUser);
  return sandboxLayout(ctx.dataDir, clusterDir, osUser);
}

export function runningSandbox(
  layout: SandboxLayout,
  state: SandboxState,
  server: { pid: number; port: number },
  reused: boolean,
): Sandbox {
  const sandbox: Sandbox = {
    state: 'running',
    reused,
    dataDir: layout.dataDir,
    clusterDir: layout.clusterDir,
    logFile: layout.logFile,
    host: HOST,
    port: server.port,
    pid: server.pid,
    superuser: state.superuser,
    binaries: state.binaries,
    ...(state.serverVersion ? { version: state.serverVersion } : {}),
    ...(state.extensions ? { extensions: state.extensions } : {}),
    password: '',
    url: (database, user) => connectionUrl(server.port, state.password, database, user),
  };
  // not enumerable: printing or serialising the handle does not show the password
  Object.defineProperty(sandbox, 'password', { value: state.password, enumerable: false });
  return sandbox;
}

/** A running, answering server of this sandbox, or undefined. Needs no lock and no binaries. */
async function tryReuse(ctx: SandboxContext): Promise<Sandbox | undefined> {
  const state = readState(ctx.stateFile);
  if (!state?.initialised) return undefined;
  const layout = layoutOf(ctx, state);
  const live = livePostmaster(layout.pgdata);
  if (!live) return undefined;
  const port = live.port ?? state.port;
  if (await probe(port, state.password, state.superuser)) return undefined;
  return runningSandbox(layout, state, { pid: live.pid, port }, true);
}

async function serverFacts(
  port: number,
  password: string,
): Promise<{ version: string; names: string[] }> {
  const client = new pg.Client({ connectionString: connectionUrl(port, password) });
  await client.connect();
  try {
    const version = await client.query<{ v: string }>(
      "SELECT current_setting('server_version') AS v",
    );
    const ext = await client.query<{ name: string }>('SELECT name FROM pg_available_extensions');
    return { version: version.rows[0]?.v ?? '', names: ext.rows.map((r) => r.name) };
  } finally {
    await client.end();
  }
}

/** The kept port, or a free one when something else took it; an explicit port is not moved. */
async function choosePort(ctx: SandboxContext, kept: number | undefined): Promise<number> {
  const wanted = ctx.options.port ?? kept;
  if (wanted === undefined) return freePort(HOST);
  if (await portFree(wanted)) return wanted;
  if (ctx.options.port !== undefined) {
    throw new SandboxStartError(
      `Port ${wanted} on ${HOST} is in use by another program. Fix: pass another port, or leave port out to let the sandbox pick a free one.`,
    );
  }
  return freePort(HOST);
}

async function initialise(ctx: SandboxContext, stale: SandboxState | undefined): Promise<Sandbox> {
  const staleLayout = stale ? layoutOf(ctx, stale) : undefined;
  if (staleLayout) {
    // an init that died half-way: its cluster has no bootstrap, make it again
    await killCluster(staleLayout);
    rmSync(staleLayout.pgdata, { recursive: true, force: true });
  }
  const layout = staleLayout ?? layoutOf(ctx, undefined);
  if (existsSync(join(layout.pgdata, 'PG_VERSION'))) {
    throw new SandboxStateError(
      ctx.stateFile,
      `A sandbox cluster exists in ${layout.pgdata} but its state file ${ctx.stateFile} (with its password) is missing. ` +
        'Fix: restore the state file, or resetSandbox() to delete that cluster and start over.',
    );
  }
  const binaries: PgBinaries = found(ctx, layout, chooseBinaries(ctx.options, ctx.env, undefined));
  assertBinariesReachable(layout.osUser, binaries);
  prepareClusterDir(layout);
  const state: SandboxState = {
    format: 1,
    initialised: false,
    port: await choosePort(ctx, undefined),
    password: randomBytes(24).toString('base64url'),
    superuser: SUPERUSER,
    clusterDir: layout.clusterDir,
    binaries,
    major: majorOf(binaries.version) ?? 'unknown',
    createdAt: new Date().toISOString(),
  };
  writeState(ctx.stateFile, state);

  let pid: number | undefined;
  try {
    sweepPwFiles(layout.clusterDir);
    const pwFile = writePwFile(layout.clusterDir, state.password, layout.osUser);
    try {
      await runInitdb({
        binDir: binaries.dir,
        dataDir: layout.pgdata,
        superuser: SUPERUSER,
        pwFile: pwFile.path,
        user: layout.osUser,
        sync: true,
      });
    } finally {
      pwFile.remove();
    }
    ({ pid } = await launchSandboxServer(layout, binaries, state.port));
    await applySupabaseBootstrap(connectionUrl(state.port, state.password), state.password);
    const facts = await serverFacts(state.port, state.password);
    const done: SandboxState = {
      ...state,
      initialised: true,
      major: majorOf(facts.version) ?? state.major,
      serverVersion: facts.version,
      extensions: extensionReport(facts.names),
    };
    writeState(ctx.stateFile, done);
    return runningSandbox(layout, done, { pid, port: state.port }, false);
  } catch (error) {
    if (pid !== undefined) {
      await pgCtlStop({
        binDir: binaries.dir,
        dataDir: layout.pgdata,
        user: layout.osUser,
        mode: 'immediate',
      }).catch(() => undefined);
    }
    rmSync(layout.pgdata, { recursive: true, force: true });
    rmSync(ctx.stateFile, { force: true });
    if (SandboxError.isInstance(error)) throw error;
    throw new SandboxStartError(
      `Could not initialise the sandbox in ${layout.clusterDir} with ${binaries.dir} (${binaries.source}): ${(error as Error).message}. ` +
        'Fix: check that the binaries work (`initdb --version`) and the disk has room; the half-made cluster was removed, so starting again retries.',
      logTail(layout.logFile),
      { cause: error },
    );
  }
}

async function startExisting(ctx: SandboxContext, state: SandboxState): Promise<Sandbox> {
  const layout = layoutOf(ctx, state);
  const live = livePostmaster(layout.pgdata);
  if (live) {
    // someone else's start (outside our lock) or a server still recovering: wait, bounded
    const port = live.port ?? state.port;
    let error: Error | undefined;
    for (let i = 0; i < 60; i++) {
      error = await probe(port, state.password, state.superuser);
      if (!error || !livePostmaster(layout.pgdata)) break;
      await sleep(500);
    }
    if (!error) return runningSandbox(layout, state, { pid: live.pid, port }, true);
    if (livePostmaster(layout.pgdata)) {
      throw new SandboxStartError(
        `A PostgreSQL server (pid ${live.pid}) runs on the sandbox cluster ${layout.pgdata} but does not accept the sandbox's connection on ${HOST}:${port}: ${error?.message}. ` +
          'Fix: stopSandbox() and start again, or read the server log.',
        logTail(layout.logFile),
        { cause: error },
      );
    }
  }
  if (!existsSync(join(layout.pgdata, 'PG_VERSION'))) {
    throw new SandboxStateError(
      ctx.stateFile,
      `The sandbox state ${ctx.stateFile} names the cluster ${layout.pgdata}, which does not exist. Fix: resetSandbox() to start over.`,
    );
  }
  const binaries = found(ctx, layout, chooseBinaries(ctx.options, ctx.env, state));
  assertSameMajor(layout.pgdata, binaries);
  assertBinariesReachable(layout.osUser, binaries);
  await recoverStale(layout);

  let next: SandboxState = { ...state, binaries };
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await choosePort(ctx, attempt === 0 ? state.port : undefined);
    try {
      const { pid } = await launchSandboxServer(layout, binaries, port);
      if (binaries.dir !== state.binaries.dir) {
        const facts = await serverFacts(port, state.password);
        next = { ...next, serverVersion: facts.version, extensions: extensionReport(facts.names) };
      }
      next = { ...next, port };
      if (JSON.stringify(next) !== JSON.stringify(state)) writeState(ctx.stateFile, next);
      return runningSandbox(layout, next, { pid, port }, false);
    } catch (error) {
      lastError = error;
      // a port taken between the probe and the bind is worth another try; nothing else is
      const log = error instanceof SandboxStartError ? (error.log ?? '') : '';
      if (!/could not bind|already in use/i.test(log)) break;
    }
  }
  throw lastError;
}

/**
 * Starts the sandbox, or reuses it when it runs already (then in a few milliseconds: no lock,
 * no binaries, one connection). The first start initialises the cluster and applies the
 * Supabase-like bootstrap. Concurrent callers, in one process or several, end with one server.
 */
export async function startSandbox(options?: SandboxOptions): Promise<Sandbox> {
  const ctx = sandboxContext(options, 'startSandbox options');
  const reused = await tryReuse(ctx);
  if (reused) return reused;
  mkdirSync(ctx.dataDir, { recursive: true, mode: 0o700 });
  return withLock(
    ctx.lockFile,
    async () => {
      const again = await tryReuse(ctx);
      if (again) return again;
      const state = readState(ctx.stateFile);
      if (!state?.initialised) return initialise(ctx, state);
      return startExisting(ctx, state);
    },
    ctx.options.lockTimeoutMs === undefined ? {} : { timeoutMs: ctx.options.lockTimeoutMs },
  );
}
