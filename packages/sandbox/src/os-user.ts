import { readFileSync } from 'node:fs';
import { SandboxOsUserError } from './errors.js';

export interface OsUser {
  uid: number;
  gid: number;
  home: string;
}

/** Looks a user up in /etc/passwd; PostgreSQL refuses to run as root, so root runs it as `postgres`. */
export function lookupOsUser(name: string, passwd = '/etc/passwd'): OsUser | undefined {
  let text: string;
  try {
    text = readFileSync(passwd, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [user, , uid, gid, , home] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined) {
      return { uid: Number(uid), gid: Number(gid), home: home ?? '/' };
    }
  }
  return undefined;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * The OS user PostgreSQL must run as: none (ourselves) unless we are root, then `postgres`,
 * because PostgreSQL refuses to run as root.
 */
export function serverOsUser(passwd = '/etc/passwd'): OsUser | undefined {
  if (!isRoot()) return undefined;
  const user = lookupOsUser('postgres', passwd);
  if (!user) {
    throw new SandboxOsUserError(
      'Running as root, but there is no `postgres` OS user to run PostgreSQL as (PostgreSQL refuses to run as root). ' +
        'Fix: `useradd --system --home-dir /var/lib/postgresql --create-home postgres`, or run as a non-root user.',
    );
  }
  return user;
}
