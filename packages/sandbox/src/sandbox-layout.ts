import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { supaopsPaths } from '@supaops/config';
import { SandboxUnreachableError } from './errors.js';
import type { OsUser } from './os-user.js';
import { blockedFor } from './reachable.js';

export interface SandboxLayout {
  /** Our metadata: state.json (0600, holds the password) and the lock file. */
  dataDir: string;
  stateFile: string;
  lockFile: string;
  /** Holds pgdata/ and postgres.log; owned by the server's OS user. */
  clusterDir: string;
  pgdata: string;
  logFile: string;
  /** The OS user the server runs as; undefined: ourselves. */
  osUser: OsUser | undefined;
}

export function resolveDataDir(dataDir: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolve(dataDir ?? join(supaopsPaths(env).data, 'sandbox'));
}

/**
 * Where the cluster goes when nobody said: with the metadata, unless we are root. Then the
 * server runs as `postgres`, which cannot enter root's 0700 home; its own home is a
 * persistent place it owns, and the hash keeps the clusters of several data dirs apart.
 */
export function defaultClusterDir(dataDir: string, osUser: OsUser | undefined): string {
  if (!osUser) return dataDir;
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  return join(osUser.home, 'supaops', `sandbox-${hash}`);
}

export function sandboxLayout(
  dataDir: string,
  clusterDir: string,
  osUser: OsUser | undefined,
): SandboxLayout {
  return {
    dataDir,
    stateFile: join(dataDir, 'state.json'),
    lockFile: join(dataDir, 'sandbox.lock'),
    clusterDir,
    pgdata: join(clusterDir, 'pgdata'),
    logFile: join(clusterDir, 'postgres.log'),
    osUser,
  };
}

function unreachable(user: OsUser, path: string, blockedAt: string): SandboxUnreachableError {
  return new SandboxUnreachableError(
    'DATA_DIR_UNREACHABLE',
    path,
    blockedAt,
    `The sandbox cluster directory ${path} cannot be reached by the \`postgres\` OS user (uid ${user.uid}) the server runs as: ${blockedAt} is not traversable for it. ` +
      'Fix: pass `clusterDir` (a directory postgres may enter, e.g. under its home), `chmod o+x` the blocking directory, or run as a non-root user.',
  );
}

/** Creates the cluster directory, owned by the server's OS user, and checks it can get there. */
export function prepareClusterDir(layout: SandboxLayout): void {
  const user = layout.osUser;
  if (!user) {
    mkdirSync(layout.clusterDir, { recursive: true, mode: 0o700 });
    return;
  }
  const blockedEarly = blockedFor(user, layout.clusterDir);
  if (blockedEarly) throw unreachable(user, layout.clusterDir, blockedEarly);
  // directories we create on the way belong to postgres, so it can enter them
  const missing: string[] = [];
  for (let dir = layout.clusterDir; !existsSync(dir); dir = resolve(dir, '..'))
    missing.unshift(dir);
  for (const dir of missing) {
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, user.uid, user.gid);
  }
  if (statSync(layout.clusterDir).uid !== user.uid) {
    chownSync(layout.clusterDir, user.uid, user.gid);
  }
  const blocked = blockedFor(user, layout.clusterDir);
  if (blocked) throw unreachable(user, layout.clusterDir, blocked);
}

/** The sandbox's data dir when none is given: `<supaopsPaths(env).data>/sandbox`. */
export function defaultSandboxDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolveDataDir(undefined, env);
}
