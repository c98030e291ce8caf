import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from './process-alive.js';

export const OWNER_FILE = 'owner.json';

/**
 * The directory ephemeral clusters of one kind live in, `<base>/<name>` (base: the OS temp dir).
 * It is created 0o1777 like /tmp: clusters of several users may share it, and the `postgres`
 * OS user must traverse it when we are root.
 */
export function sharedRunRoot(name = 'supaops-ephemeral', base = tmpdir()): string {
  const root = join(base, name);
  if (mkdirSync(root, { recursive: true, mode: 0o1777 }) !== undefined) {
    // the umask took bits off; a shared root needs all of them
    chmodSync(root, 0o1777);
  }
  return root;
}

export interface SweepResult {
  removed: string[];
}

/**
 * Removes clusters left behind by runs that were killed before they could clean up:
 * their owner process is gone, so their postmaster is stopped and their directory deleted.
 */
export function sweepStaleClusters(
  root: string,
  stop: (dataDir: string) => void = defaultStop,
): SweepResult {
  const removed: string[] = [];
  for (const entry of readdirSync(root)) {
    const dir = join(root, entry);
    let ownerPid: number | undefined;
    try {
      ownerPid = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')).pid;
    } catch {
      ownerPid = undefined;
    }
    if (ownerPid !== undefined && isAlive(ownerPid)) continue;
    const dataDir = join(dir, 'data');
    if (existsSync(join(dataDir, 'postmaster.pid'))) {
      try {
        stop(dataDir);
      } catch {
        // the postmaster may already be gone; removing the directory is what matters
      }
    }
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return { removed };
}

export function defaultStop(dataDir: string): void {
  const pidLine = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0];
  const pid = Number(pidLine);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    // SIGQUIT is PostgreSQL's immediate shutdown; it works whoever owns the cluster when we are root
    process.kill(pid, 'SIGQUIT');
    for (let i = 0; i < 50 && isAlive(pid); i++) execFileSync('sleep', ['0.1']);
  }
}
