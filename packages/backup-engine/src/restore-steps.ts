import { randomBytes } from 'node:crypto';
import { statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type pg from 'pg';
import type { LoadedBackup } from './backup-store.js';
import { quoteIdent } from './connection.js';
import { RestoreError } from './errors.js';

export function parallelDiskCheck(
  manifest: LoadedBackup['manifest'],
  jobs: number,
  tempDir: string | undefined,
) {
  return async () => {
    if (jobs <= 1) return;
    const dir = tempDir ?? tmpdir();
    const fs = await statfs(dir);
    const free = fs.bavail * fs.bsize;
    const needed = Math.max(...manifest.parts.map((p) => p.raw_size)) * 1.05;
    if (free < needed) {
      throw new RestoreError(
        'RESTORE_DISK_INSUFFICIENT',
        `A parallel restore needs ${Math.ceil(needed / 1048576)} MiB in ${dir} for the archive, but only ${Math.floor(free / 1048576)} MiB are free. Fix: free space, pass tempDir on a larger disk, or restore with jobs: 1 (streamed, no temp file).`,
      );
    }
  };
}

/** Appends what the cleanup after a failure did to the error's message (and `cleanup`). */
export function noteCleanup(error: unknown, note: string): void {
  if (error instanceof Error) {
    error.message = `${error.message} Cleanup: ${note}`;
    (error as { cleanup?: string }).cleanup = note;
  }
}

/** The atomic swap: the target (if any) is renamed away, then the new database renamed in. */
export async function swapIn(
  admin: pg.Client,
  target: string,
  restored: string,
  exists: boolean,
): Promise<string | undefined> {
  let previous: string | undefined;
  if (exists) {
    previous = `${target.slice(0, 40)}_pre_restore_${randomBytes(3).toString('hex')}`;
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [target],
    );
    await admin.query(`ALTER DATABASE ${quoteIdent(target)} RENAME TO ${quoteIdent(previous)}`);
  }
  try {
    await admin.query(`ALTER DATABASE ${quoteIdent(restored)} RENAME TO ${quoteIdent(target)}`);
  } catch (error) {
    if (previous) {
      await admin
        .query(`ALTER DATABASE ${quoteIdent(previous)} RENAME TO ${quoteIdent(target)}`)
        .catch(() => {});
    }
    throw error;
  }
  return previous;
}

export interface TargetServer {
  /** server_version, e.g. "15.8". */
  version: string;
  major: number;
  role: string;
  superuser: boolean;
  createdb: boolean;
}

/** What the restore needs to know about the target server and the restoring role. */
export async function targetServer(admin: pg.Client): Promise<TargetServer> {
  const { rows } = await admin.query<{
    num: string;
    version: string;
    role: string;
    superuser: boolean;
    createdb: boolean;
  }>(
    `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version,
            current_user AS role, r.rolsuper AS superuser, r.rolcreatedb AS createdb
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  const row = rows[0]!;
  return {
    version: row.version,
    major: Math.floor(Number(row.num) / 10000),
    role: row.role,
    superuser: Boolean(row.superuser),
    createdb: Boolean(row.createdb),
  };
}

/** The refusal of a target older than the source (skipped with `force`). */
export function versionError(
  server: TargetServer,
  manifest: LoadedBackup['manifest'],
  force: boolean | undefined,
): RestoreError | undefined {
  if (server.major >= manifest.source.server_major || force) return undefined;
  return new RestoreError(
    'RESTORE_VERSION_INCOMPATIBLE',
    `The target runs PostgreSQL ${server.major}, older than the backup's source (${manifest.source.server_version}); pg_dump archives only restore reliably into the same or a newer major. Fix: restore into PostgreSQL ${manifest.source.server_major} or newer, or pass force: true.`,
  );
}
