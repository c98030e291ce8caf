import { existsSync, rmSync } from 'node:fs';
import { SUPERUSER } from './ephemeral-cluster.js';
import { SandboxStateError, SandboxStopError } from './errors.js';
import { withLock } from './lock-file.js';
import { hasServerBinaries } from './pg-binaries.js';
import { pgCtlStop } from './pg-process.js';
import { livePostmaster } from './postmaster.js';
import { isAlive } from './process-alive.js';
import type { SandboxLayout } from './sandbox-layout.js';
import { HOST, killCluster, recoverStale } from './sandbox-server.js';
import type { SandboxInfo, SandboxOptions } from './sandbox-types.js';
import { layoutOf, type SandboxContext, sandboxContext } from './start-sandbox.js';
import { readState, removeState, type SandboxState } from './state-file.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function infoOf(ctx: SandboxContext, state: SandboxState | undefined): SandboxInfo {
  if (!state?.initialised) {
    return { state: 'absent', dataDir: ctx.dataDir, host: HOST, superuser: SUPERUSER };
  }
  const layout = layoutOf(ctx, state);
  const live = livePostmaster(layout.pgdata);
  return {
    state: live ? 'running' : 'stopped',
    dataDir: ctx.dataDir,
    clusterDir: layout.clusterDir,
    logFile: layout.logFile,
    host: HOST,
    port: live?.port ?? state.port,
    ...(live ? { pid: live.pid } : {}),
    superuser: state.superuser,
    binaries: state.binaries,
    ...(state.serverVersion ? { version: state.serverVersion } : {}),
    ...(state.extensions ? { extensions: state.extensions } : {}),
  };
}

/** Where the sandbox is: absent (never initialised or reset), stopped or running. No lock. */
export async function sandboxStatus(options?: SandboxOptions): Promise<SandboxInfo> {
  const ctx = sandboxContext(options, 'sandboxStatus options');
  return infoOf(ctx, readState(ctx.stateFile));
}

/** `pg_ctl stop -m fast`; without usable binaries, the same fast shutdown by SIGINT. */
async function stopServer(layout: SandboxLayout, state: SandboxState, waitMs = 60_000) {
  const live = livePostmaster(layout.pgdata);
  if (!live) {
    await recoverStale(layout);
    return;
  }
  try {
    if (!hasServerBinaries(state.binaries.dir)) throw new Error('binaries gone');
    await pgCtlStop({
      binDir: state.binaries.dir,
      dataDir: layout.pgdata,
      user: layout.osUser,
      mode: 'fast',
      timeoutSec: Math.ceil(waitMs / 1000),
    });
  } catch {
    try {
      process.kill(live.pid, 'SIGINT');
    } catch {
      // gone meanwhile
    }
  }
  const deadline = Date.now() + waitMs;
  while (livePostmaster(layout.pgdata) && isAlive(live.pid) && Date.now() < deadline) {
    await sleep(20);
  }
  if (livePostmaster(layout.pgdata)) {
    throw new SandboxStopError(
      `The sandbox server (pid ${live.pid}) did not stop within ${waitMs} ms. ` +
        'Fix: look at its log for what it waits on, or end it with `kill -QUIT <pid>` (immediate shutdown).',
    );
  }
}

/** Stops the server (fast shutdown: sessions are ended, data is kept). Idempotent. */
export async function stopSandbox(options?: SandboxOptions): Promise<SandboxInfo> {
  const ctx = sandboxContext(options, 'stopSandbox options');
  if (!existsSync(ctx.dataDir)) return infoOf(ctx, undefined);
  return withLock(
    ctx.lockFile,
    async () => {
      const state = readState(ctx.stateFile);
      if (state) await stopServer(layoutOf(ctx, state), state);
      return infoOf(ctx, state);
    },
    ctx.options.lockTimeoutMs === undefined ? {} : { timeoutMs: ctx.options.lockTimeoutMs },
  );
}

/**
 * The cluster of a data dir that is gone (its HOME was deleted first): as root it lives outside
 * the data dir, where nothing else would ever delete it. No lock: the lock file was in the
 * data dir, and no start can run on a data dir that does not exist.
 */
async function removeOrphanCluster(ctx: SandboxContext): Promise<void> {
  const layout = layoutOf(ctx, undefined);
  if (layout.clusterDir === ctx.dataDir || !existsSync(layout.clusterDir)) return;
  await killCluster(layout);
  rmSync(layout.clusterDir, { recursive: true, force: true });
}

/**
 * Stops the server and deletes the cluster and the state (password, port). The sandbox is
 * not restarted: the next startSandbox() initialises a new one.
 */
export async function resetSandbox(options?: SandboxOptions): Promise<SandboxInfo> {
  const ctx = sandboxContext(options, 'resetSandbox options');
  if (!existsSync(ctx.dataDir)) {
    await removeOrphanCluster(ctx);
    return infoOf(ctx, undefined);
  }
  return withLock(
    ctx.lockFile,
    async () => {
      let state: SandboxState | undefined;
      try {
        state = readState(ctx.stateFile);
      } catch (error) {
        // a broken state file is one more reason to reset, not a reason to refuse
        if (!SandboxStateError.isInstance(error)) throw error;
      }
      const layout = layoutOf(ctx, state);
      if (state) {
        try {
          await stopServer(layout, state);
        } catch {
          // it is being deleted anyway: end it the hard way
        }
      }
      await killCluster(layout);
      rmSync(layout.pgdata, { recursive: true, force: true });
      rmSync(layout.logFile, { force: true });
      if (layout.clusterDir !== ctx.dataDir)
        rmSync(layout.clusterDir, { recursive: true, force: true });
      removeState(ctx.stateFile);
      return infoOf(ctx, undefined);
    },
    ctx.options.lockTimeoutMs === undefined ? {} : { timeoutMs: ctx.options.lockTimeoutMs },
  );
}
