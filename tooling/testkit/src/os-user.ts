import { readFileSync } from 'node:fs';

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
