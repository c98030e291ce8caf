import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from './process-alive.js';

/** What postmaster.pid says (see PostgreSQL's miscadmin.h, LOCK_FILE_LINE_*). */
export interface PostmasterPid {
  pid: number;
  port: number | undefined;
  /** `ready`, `starting`, `stopping` or `standby`; absent while the server is very young. */
  status: string | undefined;
}

export function readPostmasterPid(dataDir: string): PostmasterPid | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const port = Number(lines[3]);
  const status = lines[7]?.trim() || undefined;
  return { pid, port: Number.isInteger(port) && port > 0 ? port : undefined, status };
}

/** Processes whose working directory is `dataDir`: PostgreSQL's processes chdir into it. */
export function processesIn(dataDir: string, proc = '/proc'): number[] {
  let real: string;
  let entries: string[];
  try {
    real = realpathSync(dataDir);
    entries = readdirSync(proc);
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(join(proc, entry, 'cwd')) === real) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to look at
    }
  }
  return found;
}

/**
 * Whether the postmaster recorded in `dataDir` is alive. Where /proc exists, a live pid only
 * counts when that process works in `dataDir`: after a crash and a reboot the pid may belong
 * to something else, and a killed postmaster not yet reaped (a zombie) has no cwd.
 */
export function livePostmaster(dataDir: string, proc = '/proc'): PostmasterPid | undefined {
  const recorded = readPostmasterPid(dataDir);
  if (!recorded || !isAlive(recorded.pid)) return undefined;
  if (!existsSync(join(proc, 'self'))) return recorded; // no /proc (macOS): trust the signal probe
  try {
    return readlinkSync(join(proc, String(recorded.pid), 'cwd')) === realpathSync(dataDir)
      ? recorded
      : undefined;
  } catch {
    return undefined;
  }
}
