import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../util/sleep.js';
import { DeployLockError, type DeployLockHolder, DeployLockTimeoutError } from './safety-errors.js';

/** How the cross-process part of the deploy lock waits and when it takes over a lock file. */
export interface FileLockOptions {
  /** The directory of the lock files (the history store's directory in the workflows). */
  lockDir: string;
  /** How long to wait for another process's deploy (default 60 minutes). */
  timeoutMs?: number;
  /**
   * A holder refreshes its file's mtime every quarter of this; a file not refreshed for this long
   * belongs to a process that is gone (default 60 s). A holder on this host whose pid is dead is
   * taken over at once.
   */
  staleMs?: number;
  /** How often a waiter looks again (default 500 ms). */
  pollMs?: number;
  /** Written into the lock file, shown to whoever waits (`wizard`, `repair`, …). */
  purpose?: string;
  signal?: AbortSignal;
  /** Called once, when the lock is held elsewhere and the wait starts. */
  onWait?: (holder: DeployLockHolder | undefined) => void;
}

interface LockRecord extends DeployLockHolder {
  readonly key: string;
  readonly token: string;
}

export interface Seen {
  readonly record?: LockRecord;
  readonly mtimeMs: number;
  readonly size: number;
}

const DEFAULTS = { timeoutMs: 60 * 60_000, staleMs: 60_000, pollMs: 500 };

/** `<lockDir>/deploy-<readable part of the key>-<hash>.lock`: one file per Dokploy server. */
export function lockFilePath(lockDir: string, key: string): string {
  const readable = key
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return join(lockDir, `deploy-${readable || 'server'}-${hash}.lock`);
}

/** Whether a process of this host exists (EPERM: it does, owned by another user). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderOf(r: LockRecord | undefined): DeployLockHolder | undefined {
  if (!r) return undefined;
  return { pid: r.pid, host: r.host, since: r.since, ...(r.purpose ? { purpose: r.purpose } : {}) };
}

export async function readSeen(path: string): Promise<Seen | undefined> {
  try {
    const [info, text] = await Promise.all([stat(path), readFile(path, 'utf8')]);
    let record: LockRecord | undefined;
    try {
      const parsed = JSON.parse(text) as Partial<LockRecord>;
      if (typeof parsed.token === 'string' && typeof parsed.pid === 'number')
        record = parsed as LockRecord;
    } catch {
      // being written right now, or garbage: only its age decides
    }
    return { ...(record ? { record } : {}), mtimeMs: info.mtimeMs, size: info.size };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isStale(seen: Seen, staleMs: number): boolean {
  const r = seen.record;
  if (r && r.host === hostname() && !pidAlive(r.pid)) return true;
  return Date.now() - seen.mtimeMs > staleMs;
}

const sameFile = (a: Seen, b: Seen | undefined) =>
  b !== undefined &&
  (a.record
    ? a.record.token === b.record?.token
    : !b.record && a.mtimeMs === b.mtimeMs && a.size === b.size);

/**
 * Takes a stale lock file out of the way. Moving it aside first (rename is atomic) means two
 * waiters that both judged it stale cannot delete each other's fresh lock: whoever moved a file
 * that is not the one it judged puts it back.
 */
export async function breakStale(path: string, seen: Seen, token: string): Promise<void> {
  const aside = `${path}.${token}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readSeen(aside);
  if (!sameFile(seen, moved)) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

async function tryCreate(path: string, record: LockRecord): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(`${JSON.stringify(record)}\n`);
  } finally {
    await handle.close();
  }
  return true;
}

/**
 * Holds `<lockDir>/deploy-….lock` for `key`, created with O_EXCL and holding pid, host and time.
 * Waits (bounded) while a live holder has it, takes it over when the holder is gone, keeps it
 * fresh while held. Resolves to the release function.
 */
export async function acquireFileLock(
  key: string,
  options: FileLockOptions,
): Promise<() => Promise<void>> {
  const o = { ...DEFAULTS, ...options };
  const path = lockFilePath(o.lockDir, key);
  const record: LockRecord = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    ...(o.purpose ? { purpose: o.purpose } : {}),
    key,
    token: randomBytes(12).toString('hex'),
  };
  try {
    await mkdir(o.lockDir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new DeployLockError(o.lockDir, { cause });
  }
  const started = Date.now();
  const deadline = started + o.timeoutMs;
  let waiting = false;
  let last: Seen | undefined;
  for (;;) {
    let created: boolean;
    try {
      created = await tryCreate(path, record);
    } catch (cause) {
      throw new DeployLockError(o.lockDir, { cause });
    }
    if (created) break;
    const timedOut = () =>
      new DeployLockTimeoutError(key, path, Date.now() - started, holderOf(last?.record));
    let seen: Seen | undefined;
    try {
      seen = await readSeen(path);
      if (seen && isStale(seen, o.staleMs)) {
        await breakStale(path, seen, record.token);
        seen = undefined;
      }
    } catch (cause) {
      throw new DeployLockError(o.lockDir, { cause });
    }
    const left = deadline - Date.now();
    if (seen === undefined) {
      // released or taken over between our looks: try again at once, within the same bound
      if (left <= 0) throw timedOut();
      continue;
    }
    last = seen;
    if (left <= 0) throw timedOut();
    if (!waiting) {
      waiting = true;
      try {
        o.onWait?.(holderOf(seen.record));
      } catch {
        // a listener's bug must not break the deploy
      }
    }
    await sleep(Math.min(o.pollMs, left), o.signal);
  }
  const beat = setInterval(
    () => {
      const now = new Date();
      void readSeen(path)
        .then((seen) => {
          if (seen?.record?.token === record.token) return utimes(path, now, now);
          clearInterval(beat); // someone took it over: nothing left to keep fresh
          return undefined;
        })
        .catch(() => undefined);
    },
    Math.max(10, Math.floor(o.staleMs / 4)),
  );
  beat.unref();
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    clearInterval(beat);
    const seen = await readSeen(path).catch(() => undefined);
    if (seen?.record?.token === record.token) await unlink(path).catch(() => undefined);
  };
}
