import { randomBytes } from 'node:crypto';
import {
  closeSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { SandboxLockError } from './errors.js';
import { isAlive } from './process-alive.js';

export interface LockOptions {
  /** Bound on the wait for another holder. Default 120 s (a first init with fsync takes seconds). */
  timeoutMs?: number;
  pollMs?: number;
}

/** A holder that wrote nothing yet is given this long before its lock counts as abandoned. */
const EMPTY_GRACE_MS = 5_000;

function holderOf(lockFile: string): { pid: number | undefined; ageMs: number } | undefined {
  try {
    const text = readFileSync(lockFile, 'utf8');
    const ageMs = Date.now() - statSync(lockFile).mtimeMs;
    const pid = Number.parseInt(text, 10);
    return { pid: Number.isInteger(pid) && pid > 0 ? pid : undefined, ageMs };
  } catch {
    return undefined;
  }
}

function tryCreate(lockFile: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockFile, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Moves a dead holder's lock aside. The rename is atomic, so of several processes that saw
 * the same stale lock one wins; a loser that renamed a fresh lock (taken meanwhile) notices
 * by its pid and puts it back.
 */
export function breakStale(lockFile: string, stalePid: number | undefined): void {
  const aside = `${lockFile}.stale-${process.pid}-${randomBytes(3).toString('hex')}`;
  try {
    renameSync(lockFile, aside);
  } catch {
    return; // someone else broke it first
  }
  const moved = holderOf(aside);
  if (moved && moved.pid !== stalePid && moved.pid !== undefined && isAlive(moved.pid)) {
    try {
      renameSync(aside, lockFile);
    } catch {
      // nothing better to do: the live holder keeps running, we wait on the new lock
    }
    return;
  }
  try {
    unlinkSync(aside);
  } catch {
    // already gone
  }
}

/**
 * Runs `fn` holding an exclusive lock file (O_EXCL create, our pid inside). A lock whose
 * holder died is broken; a live holder is waited for, at most `timeoutMs`.
 */
export async function withLock<T>(
  lockFile: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const pollMs = options.pollMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  let holder: number | undefined;
  for (;;) {
    if (tryCreate(lockFile)) break;
    const seen = holderOf(lockFile);
    holder = seen?.pid;
    if (seen && (seen.pid === undefined ? seen.ageMs > EMPTY_GRACE_MS : !isAlive(seen.pid))) {
      breakStale(lockFile, seen.pid);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new SandboxLockError(
        lockFile,
        holder,
        `The sandbox is locked by process ${holder ?? '(unknown)'} (${lockFile}) and it did not finish within ${timeoutMs} ms. ` +
          'Fix: wait for that process (a first start initialises the cluster), or end it; a lock of a dead process is broken by itself.',
      );
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(lockFile);
    } catch {
      // broken by someone who thought we were dead: nothing to release
    }
  }
}
