import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { type CatalogSnapshot, diffCatalog, snapshotCatalog } from './catalog-changes.js';
import {
  assertNotTransactionPooler,
  describeTarget,
  type MigratorConnection,
  redactConnectionString,
  toClientConfig,
} from './connection.js';
import {
  MigrationDriftError,
  MigrationFailedError,
  MigrationFileError,
  MigrationHistoryMismatchError,
  MigratorDatabaseError,
  MigratorError,
  MissingDownFileError,
} from './errors.js';
import type { FileReport, MigratorEvent, Operation, RunReport, StatementResult } from './events.js';
import {
  compareVersions,
  createMigrationFile,
  type LocalMigration,
  type NewMigrationResult,
  scanMigrations,
} from './files.js';
import {
  DELETE_CLI_ROWS,
  DELETE_META_ROWS,
  ensureHistoryTables,
  RECORD_APPLIED,
  RECORD_REVERTED,
  readHistory,
  UPSERT_CLI_ROW,
  UPSERT_META_ROW,
} from './history.js';
import { acquireLock, DEFAULT_LOCK_KEY, type HeldLock } from './lock.js';
import {
  downOptionsSchema,
  fetchOptionsSchema,
  migratorOptionsSchema,
  newMigrationSchema,
  repairOptionsSchema,
  upOptionsSchema,
} from './options.js';
import { type SplitStatement, splitStatementsWithOffsets } from './split-statements.js';
import { describeStatementFailure, formatFailure } from './sql-error.js';
import { computeStatus, type MigrationStatus } from './status.js';
import { validate } from './validate.js';

export interface MigratorOptions {
  /** Connection string or pg ClientConfig. Transaction-pooler targets are refused. */
  connection: MigratorConnection;
  /** Migrations directory; default `supabase/migrations` (relative to the working directory). */
  dir?: string;
  /**
   * Where `.down.sql` files live; default `<dir>/down`, where the Supabase CLI does not look.
   * Down files next to the up files are read too, but the CLI would run them as migrations.
   */
  downDir?: string;
  /** The run lock: `fail` at once when held (default), or `wait` up to `timeoutMs` (default 60 s). */
  lock?: { mode?: 'fail' | 'wait'; timeoutMs?: number; key?: string | bigint | number };
  /** lock_timeout of each migration transaction in ms (default 10 000; 0 = none). */
  lockTimeoutMs?: number;
  /** statement_timeout of each migration statement in ms (default 600 000; 0 = none). */
  statementTimeoutMs?: number;
  /** Recorded as applied_by; defaults to the database role. */
  appliedBy?: string;
  /** Writes each run's JSON report to `<reportDir>/<startedAt>-<operation>-<runId>.json`. */
  reportDir?: string;
  /** Receives progress events. */
  onEvent?: (event: MigratorEvent) => void;
  /** Clock for `newMigration` (tests). */
  now?: () => Date;
}

export interface UpOptions {
  /** Run every pending file in one transaction that is rolled back; report what would change. */
  dryRun?: boolean;
  /** Apply pending versions up to and including this one. */
  to?: string;
  /** Also apply local files older than the newest applied version (CLI `--include-all`). */
  includeAll?: boolean;
  /** Apply even though applied files changed on disk. */
  allowDrift?: boolean;
}

export interface DownOptions {
  /** Revert every applied version newer than this one ("0" reverts all). */
  to?: string;
  /** Revert the newest `last` applied versions. */
  last?: number;
  /** Run the down files in a transaction that is rolled back. */
  dryRun?: boolean;
}

export interface RepairOptions {
  /** Versions to mark. */
  versions?: string[];
  /** Instead of versions: the whole history (CLI `migration repair` without versions). */
  all?: true;
  /** `applied` inserts history rows from the local files, `reverted` deletes them. No SQL runs. */
  status: 'applied' | 'reverted';
}

export interface FetchOptions {
  /** Where to write the files; default the migrator's dir. */
  dir?: string;
  /** Replace local files whose content differs from history. */
  overwrite?: boolean;
}

export interface VerifyResult {
  ok: boolean;
  /** 0 when clean, 1 on drift or history mismatch: use as the process exit code in CI. */
  exitCode: 0 | 1;
  problems: string[];
  status: MigrationStatus;
}

/** Metadata about each operation, so apps can ask for confirmation before destructive ones. */
export const MIGRATOR_OPERATIONS = {
  status: { destructive: false, writesDatabase: false },
  verify: { destructive: false, writesDatabase: false },
  up: { destructive: false, writesDatabase: true },
  down: {
    destructive: true,
    writesDatabase: true,
    warning: 'Runs down files, which usually drop tables, columns or data.',
  },
  repair: { destructive: false, writesDatabase: true },
  fetch: { destructive: false, writesDatabase: false },
  newMigration: { destructive: false, writesDatabase: false },
} as const;

export interface Migrator {
  readonly dir: string;
  status(): Promise<MigrationStatus>;
  up(options?: UpOptions): Promise<RunReport>;
  /** Destructive: runs down files. See {@link MIGRATOR_OPERATIONS}. */
  down(options: DownOptions): Promise<RunReport>;
  repair(options: RepairOptions): Promise<RunReport>;
  fetch(options?: FetchOptions): Promise<RunReport>;
  verify(): Promise<VerifyResult>;
  newMigration(
    name: string,
    options?: { down?: boolean; sql?: string },
  ): Promise<NewMigrationResult>;
  /** Subscribes to progress events; returns the unsubscribe function. */
  on(event: 'progress', listener: (event: MigratorEvent) => void): () => void;
}

interface RunContext {
  runId: string;
  operation: Operation;
  dryRun: boolean;
  started: number;
  startedAt: string;
  lockWaitedMs: number | null;
  files: FileReport[];
}

const APP_NAME = 'supaops-migrator';

/** Per migration connection: what to run before each file (RESET ALL, like the CLI). */
const sessionSql = new WeakMap<pg.Client, string>();

const onArgsSchema = z.object({
  event: z.literal('progress'),
  listener: z.custom<(event: MigratorEvent) => void>(
    (v) => typeof v === 'function',
    'must be a function',
  ),
});

/** Creates a migrator for one database and one migrations directory. */
export function createMigrator(options: MigratorOptions): Migrator {
  const opts = validate(migratorOptionsSchema, options, 'createMigrator options');
  const connection = opts.connection as MigratorConnection;
  const dir = resolve(opts.dir);
  const downDir = opts.downDir ? resolve(opts.downDir) : join(dir, 'down');
  const target = describeTarget(connection);
  const lockKey = opts.lock.key ?? DEFAULT_LOCK_KEY;
  const listeners = new Set<(event: MigratorEvent) => void>();
  const onEvent = options.onEvent;
  const now = options.now ?? (() => new Date());

  const emit = (event: MigratorEvent) => {
    for (const l of [onEvent, ...listeners]) {
      try {
        l?.(event);
      } catch {
        // a listener's failure must not break a migration run
      }
    }
  };

  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client(toClientConfig(connection, APP_NAME));
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

  const newContext = (operation: Operation, dryRun: boolean): RunContext => {
    const ctx: RunContext = {
      runId: randomUUID(),
      operation,
      dryRun,
      started: performance.now(),
      startedAt: new Date().toISOString(),
      lockWaitedMs: null,
      files: [],
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

  /** Lock first, then the migration connection; both released on every path. */
  const withLock = async <T>(
    ctx: RunContext,
    body: (client: pg.Client, lock: HeldLock) => Promise<T>,
  ): Promise<T> => {
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
    });
    ctx.lockWaitedMs = lock.waitedMs;
    emit({ type: 'lock-acquired', runId: ctx.runId, waitedMs: lock.waitedMs });
    let client: pg.Client | undefined;
    try {
      client = await connect();
      // a killed client must not leave its backend running a long statement (PostgreSQL 14+)
      const { rows } = await client.query<{ v: number }>(
        "SELECT current_setting('server_version_num')::int AS v",
      );
      const checkInterval = (rows[0]?.v ?? 0) >= 140000;
      sessionSql.set(
        client,
        checkInterval ? 'RESET ALL; SET client_connection_check_interval = 1000' : 'RESET ALL',
      );
      return await body(client, lock);
    } finally {
      await client?.end().catch(() => {});
      await lock.release();
    }
  };

  const sessionReset = (client: pg.Client) => sessionSql.get(client) ?? 'RESET ALL';

  const assertLock = (lock: HeldLock) => {
    const lost = lock.lost();
    if (lost) {
      throw new MigratorDatabaseError(
        'MIGRATION_LOCK_LOST',
        `The connection holding the migration lock dropped (${lost.message}); stopped before the next file. ` +
          'Fix: check the network/server and re-run; committed files stay applied.',
        { cause: lost },
      );
    }
  };

  const timeouts = (local: boolean) =>
    `SET ${local ? 'LOCAL ' : ''}lock_timeout = ${opts.lockTimeoutMs}; SET ${local ? 'LOCAL ' : ''}statement_timeout = ${opts.statementTimeoutMs}`;

  /** Runs statements in order; on failure returns the index and the error. */
  const runStatements = async (
    client: pg.Client,
    statements: SplitStatement[],
    collect: boolean,
  ): Promise<{ failedAt?: number; error?: unknown; results: StatementResult[] }> => {
    const results: StatementResult[] = [];
    for (let i = 0; i < statements.length; i++) {
      try {
        const res = await client.query((statements[i] as SplitStatement).text);
        if (collect) {
          const last = Array.isArray(res) ? res[res.length - 1] : res;
          results.push({
            index: i,
            command: last?.command ?? null,
            rowCount: last?.rowCount ?? null,
          });
        }
      } catch (error) {
        return { failedAt: i, error, results };
      }
    }
    return { results };
  };

  const failure = (
    m: { version: string; file: string; sql: string },
    statements: SplitStatement[],
    index: number,
    error: unknown,
    partial: boolean,
  ): MigrationFailedError => {
    const details = describeStatementFailure(error, m, statements, index);
    if (partial) details.partiallyApplied = true;
    const note = partial
      ? `\nThis file is marked no-transaction: statements 1..${index} stayed applied and it is NOT recorded as applied. ` +
        'Fix the statement, make the file safe to re-run (IF NOT EXISTS), then run up again.'
      : '\nThe file was rolled back; files before it stay applied. Fix the statement and run up again.';
    return new MigrationFailedError(`${formatFailure(details)}${note}`, details, { cause: error });
  };

  type Direction = 'up' | 'down';
  /** One file, in its own transaction (or statement by statement for no-transaction files). */
  const applyFile = async (
    client: pg.Client,
    lock: HeldLock,
    m: LocalMigration,
    direction: Direction,
  ): Promise<{ durationMs: number }> => {
    const source =
      direction === 'up' ? m : { ...m, file: m.down?.file ?? '', sql: m.down?.sql ?? '' };
    const statements =
      direction === 'up' ? m.statements : splitStatementsWithOffsets(m.down?.sql ?? '');
    const noTx = direction === 'up' ? m.noTransaction : Boolean(m.down?.noTransaction);
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
    /** Writes the history rows in the open transaction and commits; rolls back if that fails. */
    const recordAndCommit = async (durationMs: number) => {
      try {
        await writeHistory(durationMs);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw historyWriteError(error, m.version);
      }
    };
    if (noTx) {
      await client.query(`${sessionReset(client)}; ${timeouts(false)}`);
      const run = await runStatements(client, statements, false);
      if (run.failedAt !== undefined) {
        await client.query('RESET ALL').catch(() => {});
        throw failure(source, statements, run.failedAt, run.error, run.failedAt > 0);
      }
      const durationMs = Math.round(performance.now() - started);
      await client.query('BEGIN');
      await recordAndCommit(durationMs);
      return { durationMs };
    }
    // one round trip: reset the session like the CLI, open the file's transaction, set its timeouts
    await client.query(`${sessionReset(client)}; BEGIN; ${timeouts(true)}`);
    const run = await runStatements(client, statements, false);
    if (run.failedAt !== undefined) {
      await client.query('ROLLBACK').catch(() => {});
      throw failure(source, statements, run.failedAt, run.error, false);
    }
    const durationMs = Math.round(performance.now() - started);
    try {
      // never commit without the lock: if its connection died meanwhile, roll this file back
      assertLock(lock);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
    await recordAndCommit(durationMs);
    return { durationMs };
  };

  const historyWriteError = (error: unknown, version: string) => {
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
  };

  /** Dry run: every file in one transaction, rolled back at the end. */
  const dryRunFiles = async (
    client: pg.Client,
    ctx: RunContext,
    files: LocalMigration[],
    direction: Direction,
  ): Promise<void> => {
    await client.query(sessionReset(client));
    await client.query('BEGIN');
    try {
      if (direction === 'up') await ensureHistoryTables(client, { inTransaction: true });
      let before: CatalogSnapshot = await snapshotCatalog(client);
      for (const [index, m] of files.entries()) {
        const file = direction === 'up' ? m.file : (m.down?.file as string);
        const noTx = direction === 'up' ? m.noTransaction : Boolean(m.down?.noTransaction);
        const statements =
          direction === 'up' ? m.statements : splitStatementsWithOffsets(m.down?.sql ?? '');
        emitStart(ctx, m, file, index, files.length);
        const started = performance.now();
        const entry: FileReport = {
          version: m.version,
          name: m.name,
          file,
          direction,
          status: direction === 'up' ? 'would-apply' : 'would-revert',
          noTransaction: noTx,
          statements: statements.length,
          durationMs: 0,
          sha256: direction === 'up' ? m.sha256 : (m.down?.sha256 as string),
        };
        if (noTx) {
          entry.status = 'skipped';
          entry.note =
            'no-transaction file: it cannot run inside the dry-run transaction, so it was not executed; later files see the database without it.';
        } else {
          await client.query(`SAVEPOINT f; ${timeouts(true)}`);
          const run = await runStatements(client, statements, true);
          entry.results = run.results;
          if (run.failedAt !== undefined) {
            entry.status = 'failed';
            entry.durationMs = Math.round(performance.now() - started);
            ctx.files.push(entry);
            const source = {
              version: m.version,
              file,
              sql: direction === 'up' ? m.sql : (m.down?.sql ?? ''),
            };
            const err = failure(source, statements, run.failedAt, run.error, false);
            emitFailed(ctx, m, file, index, files.length, entry.durationMs, err);
            throw err;
          }
          await client.query('RELEASE SAVEPOINT f');
          const after = await snapshotCatalog(client);
          entry.changes = diffCatalog(before, after);
          before = after;
        }
        entry.durationMs = Math.round(performance.now() - started);
        ctx.files.push(entry);
        emitEnd(ctx, m, file, index, files.length, entry.durationMs, entry.status);
      }
    } finally {
      await client.query('ROLLBACK').catch(() => {});
    }
  };

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

  /** Runs `body`; always produces a report, attached to MigratorErrors on failure. */
  const run = async (ctx: RunContext, body: () => Promise<void>): Promise<RunReport> => {
    try {
      await body();
    } catch (error) {
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

  const status = async (): Promise<MigrationStatus> => {
    const scanPromise = scanMigrations(dir, downDir);
    const client = await connect();
    try {
      const [scan, history] = await Promise.all([scanPromise, readHistory(client)]);
      return computeStatus(dir, scan, history);
    } finally {
      await client.end().catch(() => {});
    }
  };

  const up = async (input?: UpOptions): Promise<RunReport> => {
    const o = validate(upOptionsSchema, input ?? {}, 'up options');
    const ctx = newContext('up', o.dryRun);
    return run(ctx, () =>
      withLock(ctx, async (client, lock) => {
        if (!o.dryRun) await ensureHistoryTables(client);
        const [scan, history] = await Promise.all([
          scanMigrations(dir, downDir),
          readHistory(client),
        ]);
        const st = computeStatus(dir, scan, history);
        if (st.missingLocally.length > 0) {
          throw new MigrationHistoryMismatchError(
            'MIGRATION_REMOTE_MISSING_LOCALLY',
            `Remote migration versions not found in local migrations directory ${dir}: ${st.missingLocally.join(', ')}. Nothing was applied. ` +
              `Fix: restore the files (fetch rebuilds them from history), or forget them with repair --status reverted ${st.missingLocally.join(' ')}.`,
            st.missingLocally,
          );
        }
        if (st.drifted.length > 0 && !o.allowDrift) {
          throw new MigrationDriftError(
            `Applied migration file(s) changed since they were applied: ${st.drifted.join(', ')}. Nothing was applied. ` +
              'Fix: revert the edits and put the change in a new migration, or accept the files as they are with repair --status applied <version>, or pass allowDrift.',
            st.drifted,
          );
        }
        if (st.outOfOrder.length > 0 && !o.includeAll) {
          throw new MigrationHistoryMismatchError(
            'MIGRATION_OUT_OF_ORDER',
            `Found local migration files to be inserted before the last migration on remote database: ${st.outOfOrder.join(', ')}. Nothing was applied. ` +
              'Fix: rename them to a newer timestamp, or pass includeAll to apply them anyway.',
            st.outOfOrder,
          );
        }
        const wanted = new Set([...st.pending, ...(o.includeAll ? st.outOfOrder : [])]);
        const files = scan.migrations.filter(
          (m) =>
            wanted.has(m.version) && (o.to === undefined || compareVersions(m.version, o.to) <= 0),
        );
        if (o.dryRun) {
          await dryRunFiles(client, ctx, files, 'up');
          return;
        }
        for (const [index, m] of files.entries()) {
          assertLock(lock);
          emitStart(ctx, m, m.file, index, files.length);
          const started = performance.now();
          try {
            const { durationMs } = await applyFile(client, lock, m, 'up');
            ctx.files.push(fileEntry(m, 'up', 'applied', durationMs));
            emitEnd(ctx, m, m.file, index, files.length, durationMs, 'applied');
          } catch (error) {
            const durationMs = Math.round(performance.now() - started);
            ctx.files.push(fileEntry(m, 'up', 'failed', durationMs));
            if (MigrationFailedError.isInstance(error)) {
              emitFailed(ctx, m, m.file, index, files.length, durationMs, error);
            }
            throw error;
          }
        }
      }),
    );
  };

  const fileEntry = (
    m: LocalMigration,
    direction: Direction,
    status: FileReport['status'],
    durationMs: number,
  ): FileReport => {
    const up = direction === 'up';
    return {
      version: m.version,
      name: m.name,
      file: up ? m.file : (m.down?.file ?? `${m.version}_${m.name}.down.sql`),
      direction,
      status,
      noTransaction: up ? m.noTransaction : Boolean(m.down?.noTransaction),
      statements: up ? m.statements.length : splitStatementsWithOffsets(m.down?.sql ?? '').length,
      durationMs,
      sha256: up ? m.sha256 : (m.down?.sha256 ?? ''),
    };
  };

  const down = async (input: DownOptions): Promise<RunReport> => {
    const o = validate(downOptionsSchema, input, 'down options');
    const ctx = newContext('down', o.dryRun);
    return run(ctx, () =>
      withLock(ctx, async (client, lock) => {
        const [scan, history] = await Promise.all([
          scanMigrations(dir, downDir),
          readHistory(client),
        ]);
        // a CLI-only history has no meta table yet; reverting deletes from both
        if (history.exists && !history.metaExists && !o.dryRun) await ensureHistoryTables(client);
        const applied = history.rows
          .map((r) => r.version)
          .sort(compareVersions)
          .reverse();
        let targets = applied;
        if (o.last !== undefined) targets = applied.slice(0, o.last);
        // '0' means all; as a bound it would keep `0001`, which sorts before `0` by file name
        else if (o.to !== '0')
          targets = applied.filter((v) => compareVersions(v, o.to as string) > 0);
        const local = new Map(scan.migrations.map((m) => [m.version, m]));
        const missing: string[] = [];
        const files: LocalMigration[] = [];
        for (const v of targets) {
          const m = local.get(v);
          const row = history.rows.find((r) => r.version === v);
          if (!m?.down) missing.push(join(downDir, `${v}_${m?.name ?? row?.name ?? ''}.down.sql`));
          else files.push(m);
        }
        if (missing.length > 0) throw new MissingDownFileError(missing);
        if (o.dryRun) {
          await dryRunFiles(client, ctx, files, 'down');
          return;
        }
        for (const [index, m] of files.entries()) {
          assertLock(lock);
          const file = m.down?.file as string;
          emitStart(ctx, m, file, index, files.length);
          const started = performance.now();
          try {
            const { durationMs } = await applyFile(client, lock, m, 'down');
            ctx.files.push(fileEntry(m, 'down', 'reverted', durationMs));
            emitEnd(ctx, m, file, index, files.length, durationMs, 'reverted');
          } catch (error) {
            const durationMs = Math.round(performance.now() - started);
            ctx.files.push(fileEntry(m, 'down', 'failed', durationMs));
            if (MigrationFailedError.isInstance(error)) {
              emitFailed(ctx, m, file, index, files.length, durationMs, error);
            }
            throw error;
          }
        }
      }),
    );
  };

  const repair = async (input: RepairOptions): Promise<RunReport> => {
    const o = validate(repairOptionsSchema, input, 'repair options');
    const ctx = newContext('repair', false);
    return run(ctx, () =>
      withLock(ctx, async (client) => {
        await ensureHistoryTables(client);
        const scan = await scanMigrations(dir, downDir);
        const local = new Map(scan.migrations.map((m) => [m.version, m]));
        // `all`: like the CLI without versions, the history is emptied and (applied) refilled from local files
        const previous = o.all ? (await readHistory(client)).rows.map((r) => r.version) : [];
        const versions = [
          ...new Set(
            o.all ? (o.status === 'applied' ? [...local.keys()] : previous) : (o.versions ?? []),
          ),
        ].sort(compareVersions);
        if (o.status === 'applied') {
          const missing = versions.filter((v) => !local.has(v));
          if (missing.length > 0) {
            throw new MigrationFileError(
              'MIGRATION_FILE_NOT_FOUND',
              `Cannot mark ${missing.join(', ')} as applied: no local file in ${dir}. Nothing was changed. ` +
                'Fix: restore the file(s) (fetch rebuilds them from history) or check the version numbers.',
            );
          }
        }
        await client.query('BEGIN');
        try {
          if (o.all && previous.length > 0) {
            await client.query(DELETE_CLI_ROWS, [previous]);
            await client.query(DELETE_META_ROWS, [previous]);
          }
          if (o.status === 'applied') {
            for (const v of versions) {
              const m = local.get(v) as LocalMigration;
              await client.query(UPSERT_CLI_ROW, [
                m.version,
                m.name,
                m.statements.map((s) => s.text),
              ]);
              await client.query(UPSERT_META_ROW, [
                m.version,
                m.sha256,
                opts.appliedBy ?? null,
                null,
                m.down?.sha256 ?? null,
                new Date(),
                m.noTransaction,
              ]);
            }
          } else {
            await client.query(DELETE_CLI_ROWS, [versions]);
            await client.query(DELETE_META_ROWS, [versions]);
          }
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw historyWriteError(error, versions.join(', '));
        }
        for (const v of versions) {
          const m = local.get(v);
          ctx.files.push({
            version: v,
            name: m?.name ?? '',
            file: m?.file ?? '',
            direction: o.status === 'applied' ? 'up' : 'down',
            status: o.status === 'applied' ? 'marked-applied' : 'marked-reverted',
            noTransaction: m?.noTransaction ?? false,
            statements: 0,
            durationMs: 0,
            ...(m ? { sha256: m.sha256 } : {}),
          });
        }
      }),
    );
  };

  const fetch = async (input?: FetchOptions): Promise<RunReport> => {
    const o = validate(fetchOptionsSchema, input ?? {}, 'fetch options');
    const outDir = resolve(o.dir ?? dir);
    const ctx = newContext('fetch', false);
    return run(ctx, async () => {
      const client = await connect();
      let rows: Awaited<ReturnType<typeof readHistory>>['rows'];
      try {
        rows = (await readHistory(client)).rows;
      } finally {
        await client.end().catch(() => {});
      }
      rows.sort((a, b) => compareVersions(a.version, b.version));
      try {
        await mkdir(outDir, { recursive: true });
      } catch (error) {
        throw new MigrationFileError(
          'MIGRATION_DIR_UNWRITABLE',
          `Cannot create "${outDir}": ${(error as Error).message}. Fix: check the path and its permissions.`,
          { cause: error },
        );
      }
      const scan = await scanMigrations(outDir);
      const local = new Map(scan.migrations.map((m) => [m.version, m]));
      for (const row of rows) {
        const statements = row.statements ?? [];
        // byte-identical to `supabase migration fetch`
        const content = `${statements.join(';\n')};\n`;
        const existing = local.get(row.version);
        const file = existing?.file ?? `${row.version}_${row.name}.sql`;
        const path = join(outDir, file);
        let status: FileReport['status'] = 'written';
        if (existing) {
          const current = await readFile(path, 'utf8');
          if (current === content) status = 'unchanged';
          else if (!o.overwrite) status = 'conflict';
        }
        if (status === 'written') {
          try {
            await writeFile(path, content);
          } catch (error) {
            throw new MigrationFileError(
              'MIGRATION_FILE_UNWRITABLE',
              `Cannot write "${path}": ${(error as Error).message}. Fix: check the directory permissions.`,
              { cause: error },
            );
          }
        }
        ctx.files.push({
          version: row.version,
          name: row.name,
          file,
          direction: 'up',
          status,
          noTransaction: row.meta?.noTransaction ?? false,
          statements: statements.length,
          durationMs: 0,
          ...(status === 'conflict'
            ? { note: 'local file differs from history; kept (pass overwrite to replace it)' }
            : {}),
        });
      }
    });
  };

  const verify = async (): Promise<VerifyResult> => {
    const st = await status();
    const problems: string[] = [];
    for (const e of st.entries) {
      if (e.drift === 'changed') {
        problems.push(
          `${e.file ?? e.version}: changed since it was applied (compared by ${e.driftBasis}).`,
        );
      }
      if (e.state === 'missing-locally') {
        problems.push(`${e.version} (${e.name}): applied but missing locally.`);
      }
    }
    const ok = problems.length === 0;
    return { ok, exitCode: ok ? 0 : 1, problems, status: st };
  };

  const newMigration = async (
    name: string,
    options?: { down?: boolean; sql?: string },
  ): Promise<NewMigrationResult> => {
    const input = validate(newMigrationSchema, { name, options: options ?? {} }, 'newMigration');
    return createMigrationFile(dir, input.name, {
      now: now(),
      downDir,
      down: input.options.down,
      ...(input.options.sql !== undefined ? { sql: input.options.sql } : {}),
    });
  };

  return {
    dir,
    status,
    up,
    down,
    repair,
    fetch,
    verify,
    newMigration,
    on(event, listener) {
      validate(onArgsSchema, { event, listener }, 'on(event, listener)');
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
