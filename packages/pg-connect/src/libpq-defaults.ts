import { statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { ConnectionStringError } from './errors.js';
import type { CoreDraft } from './libpq-keys.js';
import { type CoreFields, DEFAULT_PORT, type ParseNote, type TargetSource } from './target.js';

/** Values used where the input leaves them out, before libpq's own defaults. */
export interface ParseDefaults {
  host?: string | undefined;
  port?: number | undefined;
  user?: string | undefined;
  password?: string | undefined;
  database?: string | undefined;
}

/** Where Debian, Ubuntu and Red Hat builds of libpq look for the server's socket. */
const DISTRO_SOCKET_DIR = '/var/run/postgresql';
/** Upstream's compiled-in directory (source builds, Homebrew, the official macOS installer). */
const UPSTREAM_SOCKET_DIR = '/tmp';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * libpq's default host: the unix socket directory compiled into it (`localhost` on Windows).
 * That directory is fixed when libpq is built, so it is guessed here: the distributions' one
 * when it exists, else upstream's `/tmp`.
 */
export function defaultSocketDir(): string {
  if (process.platform === 'win32') return 'localhost';
  return isDirectory(DISTRO_SOCKET_DIR) ? DISTRO_SOCKET_DIR : UPSTREAM_SOCKET_DIR;
}

/** libpq's default user: the operating-system user this process runs as (effective uid). */
export function osUserName(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    // no passwd entry for the uid (containers started with a random uid)
    return undefined;
  }
}

/**
 * Fills what the input left out the way libpq does: no host → the unix socket directory (or
 * hostaddr when one is given), no port → 5432, no user → the OS user, no database → the user
 * name. Empty values count as missing, as in libpq. `defaults` come first.
 */
export function finishCore(
  source: TargetSource,
  draft: CoreDraft,
  params: Record<string, string>,
  notes: ParseNote[],
  defaults: ParseDefaults,
): CoreFields {
  let host = draft.host || defaults.host || params.hostaddr;
  if (!host) {
    host = defaultSocketDir();
    if (host.startsWith('/')) {
      notes.push({
        code: 'DEFAULT_SOCKET_DIR',
        severity: 'info',
        message: `No host is given, so this connects to the unix socket in ${host}, as libpq does; libpq's directory is fixed when it is built (${DISTRO_SOCKET_DIR} on Debian, Ubuntu and Red Hat, ${UPSTREAM_SOCKET_DIR} upstream and on macOS), pg-connect takes ${DISTRO_SOCKET_DIR} when it exists.`,
        fix: 'Name the host (host=/path/to/socket/dir, or a host name for TCP) when the server listens elsewhere.',
      });
    }
  }
  const user = draft.user || defaults.user || osUserName();
  if (!user) {
    throw new ConnectionStringError(
      'user',
      'No user is given and the operating-system user of this process has no name (libpq fails the same way). Fix: name the user, e.g. user=postgres (postgres.<tenant> for the Supabase pooler).',
    );
  }
  return {
    source,
    host,
    port: draft.port ?? defaults.port ?? DEFAULT_PORT,
    user,
    password: draft.password ?? defaults.password,
    database: draft.database || defaults.database || user,
    params,
    notes,
  };
}
