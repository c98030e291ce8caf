import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  /** The mount point (an empty directory when nothing could be mounted). */
  path: string;
  /** False where mounting needs privileges this process lacks; tests then skip. */
  mounted: boolean;
  /** Unmounts and removes the mount point. Safe to call more than once. */
  remove(): void;
}

/**
 * Mounts a small real tmpfs, so disk-full (ENOSPC) paths are tested against the kernel,
 * not a stub. Mounting needs root: elsewhere `mounted` is false and the directory is gone.
 */
export function mountTmpfs(size = '1m', prefix = 'supaops-tmpfs-'): Tmpfs {
  const path = mkdtempSync(join(tmpdir(), prefix));
  let mounted = false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path], {
      stdio: 'ignore',
    });
    mounted = true;
  } catch {
    rmSync(path, { recursive: true, force: true });
  }
  let removed = false;
  return {
    path,
    mounted,
    remove() {
      if (removed) return;
      removed = true;
      if (mounted) execFileSync('umount', [path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}
