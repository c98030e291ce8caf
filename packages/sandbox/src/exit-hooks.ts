const live = new Set<() => void>();
let installed = false;

function installHooks(): void {
  if (installed) return;
  installed = true;
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

/**
 * Runs `cleanup` (synchronous) on process exit and on SIGINT/SIGTERM/SIGHUP, until the
 * returned function is called.
 */
export function onProcessExit(cleanup: () => void): () => void {
  live.add(cleanup);
  installHooks();
  return () => {
    live.delete(cleanup);
  };
}
