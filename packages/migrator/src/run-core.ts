import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { type RunAbort, RunInterrupted } from './abort.js';
import { abortedError } from './abort-error.js';
import {
  assertNotTransactionPooler,
  describeTarget,
  type MigratorConnection,
  redactConnectionString,
  toClientConfig,
} from './connection.js';
import {
  MigrationAbortedError,
  MigrationFailedError,
  MigratorConnectionRequiredError,
  MigratorDatabaseError,
  MigratorError,
} from './errors.js';
import type { FileReport, MigratorEvent, Operation, RunReport } from './events.js';
import type { LocalMigration } from './files.js';
import { acquireLock, DEFAULT_LOCK_KEY, type HeldLock } from './lock.js';
import type { MigratorOptions } from './migrator-types.js';
import type { ParsedMigratorOptions } from './options.js';

/** What one up/down/repair/fetch run collects for its report. */
export interface RunContext {
  runId: string;
  operation: Operation;
  dryRun: boolean;
  started: number;
  startedAt: string;
  lockWaitedMs: number | null;
  files: FileReport[];
  abort: RunAbort;
}

export const APP_NAME = 'supaops-migrator';

/** Per migration connection: what to run before each file (RESET ALL, like the CLI). */
const sessionSql = new WeakMap<pg.Client, string>();

/** The shared machinery of one migrator: connections, the lock, events and run reports. */
export type RunCore = ReturnType<typeof createRunCore>;

export function createRunCore(opts: ParsedMigratorOptions, options: MigratorOptions) {
  const connection = opts.connection as MigratorConnection | undefined;
  const dir = resolve(opts.dir);
  const downDir = opts.downDir ? resolve(opts.downDir) : join(dir, 'down');
  const target = connection === undefined ? '(no connection)' : describeTarget(connection);

  /** The connection, or the typed error for a migrator made without one (newMigration only). */
  const requireConnection = (operation: Operation | 'status' | 'verify'): MigratorConnection => {
    if (connection === undefined) throw new MigratorConnectionRequiredError(operation);
    return connection;
  };
  const lockKey = opts.lock.key ?? DEFAULT_LOCK_KEY;
  const listeners = new Set<(event: MigratorEvent) => void>();
  const onEvent = options.onEvent;

  const emit = (event: MigratorEvent) => {
    for (const l of [onEvent, ...listeners]) {
      try {
        l?.(event);
      } catch {
        // a listener's failure must not break a migration run
      }
    }
  };

  const connect = async (operation: Operation | 'status' | 'verify'): Promise<pg.Client> => {
    const client = new pg.Client(toClientConfig(requireConnection(operation), APP_NAME));
    client.on('error', () => {
      // surfaced by the next query
    });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => {});
      throw new MigratorDatabaseError(
        'MIGRATION_CONNECT_FAILED',
        `Could not connect to ${target}: ${redactConnectionString((error as Error).message)}. ` +
          'Fix: check host, port, credentials and that the server is up.',
        { cause: error },
      );
    }
    return client;
  };

  const newContext = (operation: Operation, dryRun: boolean, abort: RunAbort): RunContext => {
    const ctx: RunContext = {
      runId: randomUUID(),
      operation,
      dryRun,
      started: performance.now(),
      startedAt: new Date().toISOString(),
      lockWaitedMs: null,
      files: [],
      abort,
    };
    emit({ type: 'run-start', runId: ctx.runId, operation, dryRun, at: ctx.startedAt });
    return ctx;
  };

  const finish = async (ctx: RunContext, error?: unknown): Promise<RunReport> => {
    const report: RunReport = {
      runId: ctx.runId,
      operation: ctx.operation,
      destructive: ctx.operation === 'down',
      dryRun: ctx.dryRun,
      target,
      dir,
      startedAt: ctx.startedAt,
      finishedAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - ctx.started),
      lockWaitedMs: ctx.lockWaitedMs,
      ok: error === undefined,
      files: ctx.files,
    };
    if (error !== undefined) {
      report.error = MigratorError.isInstance(error)
        ? {
            code: error.code,
            message: error.message,
            ...(MigrationFailedError.isInstance(error) ? { details: error.details } : {}),
            ...(MigrationAbortedError.isInstance(error) ? { aborted: error.details } : {}),
          }
        : { code: 'MIGRATION_UNEXPECTED', message: String(error) };
    }
    if (opts.reportDir) {
      try {
        await mkdir(opts.reportDir, { recursive: true });
        const stamp = report.startedAt.replace(/[:.]/g, '-');
        await writeFile(
          join(opts.reportDir, `${stamp}-${report.operation}-${report.runId}.json`),
          `${JSON.stringify(report, null, 2)}\n`,
        );
      } catch {
        // the report is also returned / attached to the error; a write failure must not mask the run
      }
    }
    emit({
      type: 'run-end',
      runId: ctx.runId,
      operation: ctx.operation,
      ok: report.ok,
      durationMs: report.durationMs,
    });
    return report;
  };

  /** Runs `body`; always produces a report, attached to MigratorErrors on failure. */
  const run = async (ctx: RunContext, body: () => Promise<void>): Promise<RunReport> => {
    try {
      // an already-aborted signal starts nothing: no connection, no lock
      ctx.abort.check('before-start');
      await body();
    } catch (caught) {
      let error = caught;
      if (error instanceof RunInterrupted) {
        error = abortedError(ctx.operation, ctx.dryRun, ctx.files, error, ctx.abort.reason());
        emit({
          type: 'run-aborted',
          runId: ctx.runId,
          operation: ctx.operation,
          at: new Date().toISOString(),
          details: (error as MigrationAbortedError).details,
        });
      }
      const report = await finish(ctx, error);
      if (MigratorError.isInstance(error)) {
        (error as MigratorError & { report?: RunReport }).report = report;
        throw error;
      }
      const wrapped = new MigratorDatabaseError(
        'MIGRATION_UNEXPECTED',
        `The ${ctx.operation} run failed unexpectedly: ${redactConnectionString(String((error as Error)?.message ?? error))}. ` +
          'Fix: see the cause; committed files stay applied.',
        { cause: error },
      );
      (wrapped as MigratorError & { report?: RunReport }).report = report;
      throw wrapped;
    }
    return finish(ctx);
  };

  /** Lock first, then the migration connection; both released on every path. */
  const withLock = async <T>(
    ctx: RunContext,
    body: (client: pg.Client, lock: HeldLock) => Promise<T>,
  ): Promise<T> => {
    const connection = requireConnection(ctx.operation);
    assertNotTransactionPooler(connection);
    emit({
      type: 'lock-wait',
      runId: ctx.runId,
      mode: opts.lock.mode,
      timeoutMs: opts.lock.timeoutMs,
    });
    const lock = await acquireLock(toClientConfig(connection, `${APP_NAME}-lock`), {
      mode: opts.lock.mode,
      timeoutMs: opts.lock.timeoutMs,
      key: lockKey,
      abort: ctx.abort,
    });
    ctx.lockWaitedMs = lock.waitedMs;
    emit({ type: 'lock-acquired', runId: ctx.runId, waitedMs: lock.waitedMs });
    let client: pg.Client | undefined;
    try {
      client = await connect(ctx.operation);
      // a killed client must not leave its backend running a long statement (PostgreSQL 14+)
      const { rows } = await client.query<{ v: number }>(
        "SELECT current_setting('server_version_num')::int AS v",
      );
      const checkInterval = (rows[0]?.v ?? 0) >= 140000;
      sessionSql.set(
        client,
        checkInterval ? 'RESET ALL; SET client_connection_check_interval = 1000' : 'RESET ALL',
      );
      ctx.abort.check('lock');
      return await body(client, lock);
    } finally {
      await client?.end().catch(() => {});
      await lock.release();
    }
  };

  const sessionReset = (client: pg.Client) => sessionSql.get(client) ?? 'RESET ALL';

  const emitStart = (
    ctx: RunContext,
    m: LocalMigration,
    file: string,
    index: number,
    total: number,
  ) =>
    emit({
      type: 'file-start',
      runId: ctx.runId,
      operation: ctx.operation,
      version: m.version,
      file,
      index,
      total,
      at: new Date().toISOString(),
    });
  const emitEnd = (
    ctx: RunContext,
    m: LocalMigration,
    file: string,
    index: number,
    total: number,
    durationMs: number,
    status: FileReport['status'],
  ) =>
    emit({
      type: 'file-end',
      runId: ctx.runId,
      operation: ctx.operation,
      version: m.version,
      file,
      index,
      total,
      durationMs,
      status,
    });
  const emitFailed = (
    ctx: RunContext,
    m: LocalMigration,
    file: string,
    index: number,
    total: number,
    durationMs: number,
    error: MigrationFailedError,
  ) =>
    emit({
      type: 'file-failed',
      runId: ctx.runId,
      operation: ctx.operation,
      version: m.version,
      file,
      index,
      total,
      durationMs,
      error: error.details,
    });

  return {
    opts,
    connection,
    dir,
    downDir,
    target,
    listeners,
    emit,
    connect,
    newContext,
    run,
    withLock,
    sessionReset,
    emitStart,
    emitEnd,
    emitFailed,
  };
}
