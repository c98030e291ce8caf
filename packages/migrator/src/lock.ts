import pg from 'pg';
import { type RunAbort, RunInterrupted } from './abort.js';
import { redactConnectionString } from './connection.js';
import { MigrationLockHeldError, MigratorDatabaseError } from './errors.js';

/** Default advisory lock key: the bytes of "SUPAOPSM" as a signed 64-bit integer. */
export const DEFAULT_LOCK_KEY = '6004793919602185037';

export interface LockOptions {
  mode: 'fail' | 'wait';
  /** How long `wait` mode waits before failing. */
  timeoutMs: number;
  key: string;
  /** An abort cancels a lock wait on the server; nothing is held afterwards. */
  abort?: RunAbort;
}

/** A session-level advisory lock held on its own connection. */
export interface HeldLock {
  waitedMs: number;
  /** Set when the lock connection died: the lock may be lost, the run must stop. */
  lost(): Error | undefined;
  release(): Promise<void>;
}

async function holderPid(client: pg.Client, key: string): Promise<number | undefined> {
  try {
    const { rows } = await client.query<{ pid: number }>(
      "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = " +
        '(SELECT oid FROM pg_database WHERE datname = current_database()) AND ' +
        '((classid::bigint << 32) | objid::bigint) = $1::bigint AND objsubid = 1 LIMIT 1',
      [key],
    );
    return rows[0]?.pid;
  } catch {
    return undefined;
  }
}

/**
 * Opens a dedicated connection and takes the migration advisory lock on it, before anything
 * else touches the database. `fail` gives up at once when another run holds it; `wait` waits
 * up to `timeoutMs` (via lock_timeout, no polling). The connection is closed on every failure.
 */
export async function acquireLock(
  config: pg.ClientConfig,
  options: LockOptions,
): Promise<HeldLock> {
  const client = new pg.Client(config);
  let lostError: Error | undefined;
  client.on('error', (error) => {
    lostError = error;
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw new MigratorDatabaseError(
      'MIGRATION_CONNECT_FAILED',
      `Could not connect to take the migration lock: ${redactConnectionString((error as Error).message)}. Fix: check host, port, credentials and that the server is up.`,
      { cause: error },
    );
  }
  const started = performance.now();
  try {
    options.abort?.check('lock');
    if (options.mode === 'fail') {
      const { rows } = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock($1::bigint) AS ok',
        [options.key],
      );
      if (!rows[0]?.ok) {
        const pid = await holderPid(client, options.key);
        throw new MigrationLockHeldError(
          `Another migration run holds the migration lock${pid ? ` (server pid ${pid})` : ''}; nothing was changed. ` +
            'Fix: wait for it to finish, or use lock mode "wait" with a timeout.',
          { ...(pid ? { holderPid: pid } : {}), waitedMs: 0 },
        );
      }
    } else {
      await client.query(`SET lock_timeout = ${Math.max(1, Math.round(options.timeoutMs))}`);
      try {
        const sql = 'SELECT pg_advisory_lock($1::bigint)';
        if (options.abort) await options.abort.query(client, sql, [options.key]);
        else await client.query(sql, [options.key]);
      } catch (error) {
        if (error instanceof RunInterrupted) {
          error.phase = 'lock';
          throw error;
        }
        if ((error as { code?: string }).code === '55P03') {
          const waitedMs = Math.round(performance.now() - started);
          const pid = await holderPid(client, options.key);
          throw new MigrationLockHeldError(
            `Waited ${waitedMs} ms for the migration lock, which another run still holds${pid ? ` (server pid ${pid})` : ''}; nothing was changed. ` +
              'Fix: retry later or raise lock.timeoutMs.',
            { ...(pid ? { holderPid: pid } : {}), waitedMs },
            { cause: error },
          );
        }
        throw error;
      }
      await client.query('RESET lock_timeout');
    }
  } catch (error) {
    await client.end().catch(() => {});
    if (MigrationLockHeldError.isInstance(error) || error instanceof RunInterrupted) throw error;
    throw new MigratorDatabaseError(
      'MIGRATION_LOCK_FAILED',
      `Taking the migration lock failed: ${(error as Error).message}. Fix: check the connection; the target must support session advisory locks.`,
      { cause: error },
    );
  }
  const waitedMs = Math.round(performance.now() - started);
  let released = false;
  return {
    waitedMs,
    lost: () => lostError,
    async release() {
      if (released) return;
      released = true;
      try {
        if (!lostError) await client.query('SELECT pg_advisory_unlock($1::bigint)', [options.key]);
      } catch {
        // closing the session below releases the lock anyway
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}

/** Throws when the lock's connection died: the run must stop before the next file or commit. */
export function assertLockHeld(lock: HeldLock): void {
  const lost = lock.lost();
  if (lost) {
    throw new MigratorDatabaseError(
      'MIGRATION_LOCK_LOST',
      `The connection holding the migration lock dropped (${lost.message}); stopped before the next file. ` +
        'Fix: check the network/server and re-run; committed files stay applied.',
      { cause: lost },
    );
  }
}
