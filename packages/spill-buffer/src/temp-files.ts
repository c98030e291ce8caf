import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toSpillError } from './errors.js';

const ROOT_NAME = 'supaops-spill';
const processDirs = new Map<string, string>();
let hooksInstalled = false;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes per-process spill directories whose process is gone: a crash (or SIGKILL)
 * cannot clean up after itself, so the next start does.
 */
export function sweepStaleSpillDirs(baseDir: string = tmpdir()): string[] {
  const root = join(baseDir, ROOT_NAME);
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return removed;
  }
  for (const entry of entries) {
    const pid = Number.parseInt(entry.split('-')[0] ?? '', 10);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    rmSync(join(root, entry), { recursive: true, force: true });
    removed.push(join(root, entry));
  }
  return removed;
}

function removeAllSync(): void {
  for (const dir of processDirs.values()) rmSync(dir, { recursive: true, force: true });
  processDirs.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', removeAllSync);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      removeAllSync();
      // keep the default behaviour (terminate) unless someone else handles the signal
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/** The per-process directory (mode 0700) under `baseDir`, created and swept on first use. */
export async function processSpillDir(baseDir: string = tmpdir()): Promise<string> {
  const existing = processDirs.get(baseDir);
  if (existing) return existing;
  const root = join(baseDir, ROOT_NAME);
  const dir = join(root, `${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    // 0o1777: several users may share the root, each with a private 0700 directory inside
    await mkdir(root, { recursive: true, mode: 0o1777 });
    sweepStaleSpillDirs(baseDir);
    await mkdir(dir, { mode: 0o700 });
  } catch (error) {
    throw toSpillError(dir, error);
  }
  processDirs.set(baseDir, dir);
  installHooks();
  return dir;
}

/** Creates a new, exclusive temp file with mode 0600. */
export async function createSpillFile(
  baseDir?: string,
): Promise<{ path: string; handle: FileHandle }> {
  const dir = await processSpillDir(baseDir);
  const path = join(dir, `${randomBytes(8).toString('hex')}.spill`);
  try {
    return { path, handle: await open(path, 'wx+', 0o600) };
  } catch (error) {
    throw toSpillError(path, error);
  }
}

/** For tests: forget the per-process directories without removing them (simulates a crash). */
export function removeProcessSpillDirs(): void {
  removeAllSync();
}
