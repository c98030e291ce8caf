import type pg from 'pg';
import { type RunAbort, RunInterrupted } from './abort.js';
import { MigrationFailedError, MigratorDatabaseError } from './errors.js';
import type { FileReport, StatementResult } from './events.js';
import type { LocalMigration } from './files.js';
import { RECORD_APPLIED, RECORD_REVERTED } from './history.js';
import { assertLockHeld, type HeldLock } from './lock.js';
import type { RunCore } from './run-core.js';
import { type SplitStatement, splitStatementsWithOffsets } from './split-statements.js';
import { describeStatementFailure, formatFailure } from './sql-error.js';

export type Direction = 'up' | 'down';

/** The history write of `version` failed; the file's transaction was rolled back. */
export function historyWriteError(error: unknown, version: string): MigratorDatabaseError {
  const code = (error as { code?: string }).code;
  return new MigratorDatabaseError(
    'MIGRATION_HISTORY_WRITE_FAILED',
    `Recording version ${version} in the history failed: ${(error as Error).message}${code ? ` (SQLSTATE ${code})` : ''}. ` +
      'The file was rolled back (for no-transaction files its statements stayed applied). ' +
      (code === '23505'
        ? 'Fix: another tool applied this version meanwhile (the Supabase CLI takes no lock); run status and retry.'
        : 'Fix: check the role can write supabase_migrations, then retry.'),
    { cause: error, ...(code ? { sqlstate: code } : {}) },
  );
}

/** The file, statements and transaction mode of a migration in one direction. */
export function fileSide(m: LocalMigration, direction: Direction) {
  const up = direction === 'up';
  return {
    file: up ? m.file : (m.down?.file ?? `${m.version}_${m.name}.down.sql`),
    sql: up ? m.sql : (m.down?.sql ?? ''),
    statements: up ? m.statements : splitStatementsWithOffsets(m.down?.sql ?? ''),
    noTransaction: up ? m.noTransaction : Boolean(m.down?.noTransaction),
    sha256: up ? m.sha256 : (m.down?.sha256 ?? ''),
  };
}

export function fileEntry(
  m: LocalMigration,
  direction: Direction,
  status: FileReport['status'],
  durationMs: number,
): FileReport {
  const side = fileSide(m, direction);
  return {
    version: m.version,
    name: m.name,
    file: side.file,
    direction,
    status,
    noTransaction: side.noTransaction,
    statements: side.statements.length,
    durationMs,
    sha256: side.sha256,
  };
}

/** A failed statement as a MigrationFailedError (file, index, SQLSTATE, caret excerpt). */
export function statementFailure(
  m: { version: string; file: string; sql: string },
  statements: SplitStatement[],
  index: number,
  error: unknown,
  partial: boolean,
): MigrationFailedError {
  const details = describeStatementFailure(error, m, statements, index);
  if (partial) details.partiallyApplied = true;
  const note = partial
    ? `\nThis file is marked no-transaction: statements 1..${index} stayed applied and it is NOT recorded as applied. ` +
      'Fix the statement, make the file safe to re-run (IF NOT EXISTS), then run up again.'
    : '\nThe file was rolled back; files before it stay applied. Fix the statement and run up again.';
  return new MigrationFailedError(`${formatFailure(details)}${note}`, details, { cause: error });
}

export type FileRunner = ReturnType<typeof createFileRunner>;

/** Runs migration files and their statements on the migration connection. */
export function createFileRunner(core: RunCore) {
  const { opts } = core;

  const timeouts = (local: boolean) =>
    `SET ${local ? 'LOCAL ' : ''}lock_timeout = ${opts.lockTimeoutMs}; SET ${local ? 'LOCAL ' : ''}statement_timeout = ${opts.statementTimeoutMs}`;

  /**
   * Runs statements in order; on failure returns the index and the error. An abort stops it
   * before the next statement, or cancels the running one (`interrupted`).
   */
  const runStatements = async (
    client: pg.Client,
    statements: SplitStatement[],
    collect: boolean,
    abort: RunAbort,
  ): Promise<{
    failedAt?: number;
    error?: unknown;
    interrupted?: RunInterrupted;
    results: StatementResult[];
  }> => {
    const results: StatementResult[] = [];
    const interrupted = (i: number, error: RunInterrupted) => {
      error.statementIndex = i;
      error.statementCount = statements.length;
      return { interrupted: error, results };
    };
    for (let i = 0; i < statements.length; i++) {
      if (abort.aborted) {
        return interrupted(i, new RunInterrupted('files', { cause: abort.signal?.reason }));
      }
      try {
        const res = await abort.query(client, (statements[i] as SplitStatement).text);
        if (collect) {
          const last = Array.isArray(res) ? res[res.length - 1] : res;
          results.push({
            index: i,
            command: last?.command ?? null,
            rowCount: last?.rowCount ?? null,
          });
        }
      } catch (error) {
        if (error instanceof RunInterrupted) return interrupted(i, error);
        return { failedAt: i, error, results };
      }
    }
    return { results };
  };

  /** One file, in its own transaction (or statement by statement for no-transaction files). */
  const applyFile = async (
    client: pg.Client,
    lock: HeldLock,
    m: LocalMigration,
    direction: Direction,
    abort: RunAbort,
  ): Promise<{ durationMs: number }> => {
    const side = fileSide(m, direction);
    const source = { version: m.version, file: side.file, sql: side.sql };
    const statements = side.statements;
    const started = performance.now();
    const writeHistory = async (durationMs: number) => {
      if (direction === 'up') {
        await client.query(RECORD_APPLIED, [
          m.version,
          m.name,
          m.statements.map((s) => s.text),
          m.sha256,
          opts.appliedBy ?? null,
          durationMs,
          m.down?.sha256 ?? null,
          m.noTransaction,
        ]);
      } else {
        await client.query(RECORD_REVERTED, [m.version]);
      }
    };
    /**
     * Writes the history rows in the open transaction and commits; rolls back if that fails.
     * `abortable`: an abort noticed before COMMIT rolls the file back instead. COMMIT itself is
     * never cancelled, so a file is either committed and reported applied, or not at all.
     */
    const recordAndCommit = async (durationMs: number, abortable: boolean) => {
      try {
        await writeHistory(durationMs);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw historyWriteError(error, m.version);
      }
      if (abortable && abort.aborted) {
        await client.query('ROLLBACK').catch(() => {});
        const stopped = new RunInterrupted('files', { cause: abort.signal?.reason });
        stopped.statementIndex = statements.length;
        stopped.statementCount = statements.length;
        throw stopped;
      }
      try {
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw historyWriteError(error, m.version);
      }
    };
    if (side.noTransaction) {
      await client.query(`${core.sessionReset(client)}; ${timeouts(false)}`);
      const run = await runStatements(client, statements, false, abort);
      if (run.interrupted) {
        // each statement ran in its own implicit transaction: the cancelled one is undone
        if (!run.interrupted.connectionClosed) await client.query('RESET ALL').catch(() => {});
        run.interrupted.partial = (run.interrupted.statementIndex ?? 0) > 0;
        throw run.interrupted;
      }
      if (run.failedAt !== undefined) {
        await client.query('RESET ALL').catch(() => {});
        throw statementFailure(source, statements, run.failedAt, run.error, run.failedAt > 0);
      }
      const durationMs = Math.round(performance.now() - started);
      // every statement is applied: record it even if the signal fired meanwhile
      await client.query('BEGIN');
      await recordAndCommit(durationMs, false);
      return { durationMs };
    }
    // one round trip: reset the session like the CLI, open the file's transaction, set its timeouts
    await client.query(`${core.sessionReset(client)}; BEGIN; ${timeouts(true)}`);
    const run = await runStatements(client, statements, false, abort);
    if (run.interrupted) {
      // a closed connection takes its transaction with it
      if (!run.interrupted.connectionClosed) await client.query('ROLLBACK').catch(() => {});
      throw run.interrupted;
    }
    if (run.failedAt !== undefined) {
      await client.query('ROLLBACK').catch(() => {});
      throw statementFailure(source, statements, run.failedAt, run.error, false);
    }
    const durationMs = Math.round(performance.now() - started);
    try {
      // never commit without the lock: if its connection died meanwhile, roll this file back
      assertLockHeld(lock);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
    await recordAndCommit(durationMs, true);
    return { durationMs };
  };

  return { timeouts, runStatements, applyFile };
}
