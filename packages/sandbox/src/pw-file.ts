import { chownSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onProcessExit } from './exit-hooks.js';
import type { OsUser } from './os-user.js';

const PREFIX = 'pwfile-';

/**
 * Removes the initdb password files of earlier starts. Called under the sandbox lock: a start
 * writes its file only while holding it, so any file found is a dead (SIGKILLed) start's.
 */
export function sweepPwFiles(clusterDir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(clusterDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.startsWith(PREFIX)) continue;
    rmSync(join(clusterDir, entry), { force: true });
    removed.push(entry);
  }
  return removed;
}

/**
 * Writes the superuser password for initdb (0600, owned by the server's OS user) and returns
 * the function that removes it. The file is also removed when the process exits or is ended by
 * SIGINT/SIGTERM/SIGHUP while initdb runs: a `finally` does not run then, and the password
 * would stay on disk in a directory nothing else cleans.
 */
export function writePwFile(
  clusterDir: string,
  password: string,
  user: OsUser | undefined,
): { path: string; remove(): void } {
  const path = join(clusterDir, `${PREFIX}${process.pid}`);
  const remove = () => {
    forget();
    rmSync(path, { force: true });
  };
  const forget = onProcessExit(remove);
  try {
    writeFileSync(path, `${password}\n`, { mode: 0o600 });
    if (user) chownSync(path, user.uid, user.gid);
  } catch (error) {
    remove();
    throw error;
  }
  return { path, remove };
}
