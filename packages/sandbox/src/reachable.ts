import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { OsUser } from './os-user.js';

function canTraverse(user: OsUser, dir: string): boolean {
  const st = statSync(dir);
  if (st.uid === user.uid) return (st.mode & 0o100) !== 0;
  // supplementary groups are not looked at: a false "blocked" beats a server that cannot start
  if (st.gid === user.gid) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
}

/** The deepest existing part of `path`, with symlinks resolved (pnpm links its packages). */
function existingReal(path: string): string {
  let current = resolve(path);
  while (!existsSync(current)) current = dirname(current);
  return realpathSync(current);
}

/**
 * The first directory on the way to `path` that `user` may not traverse, or undefined when
 * it can reach `path`. Parts of `path` that do not exist yet are not judged.
 */
export function blockedFor(user: OsUser, path: string): string | undefined {
  if (user.uid === 0) return undefined;
  const target = existingReal(path);
  const chain: string[] = [];
  for (let dir = target; ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    if (statSync(dir).isDirectory() && !canTraverse(user, dir)) return dir;
  }
  return undefined;
}
