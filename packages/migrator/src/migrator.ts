import { join } from 'node:path';
import type pg from 'pg';
import { z } from 'zod';
import { createRunAbort, RunInterrupted } from './abort.js';
import { abortedError } from './abort-error.js';
import { createFileRunner, type Direction, fileEntry, fileSide } from './apply-file.js';
import { dryRunFiles } from './dry-run.js';
import {
  MigrationDriftError,
  MigrationFailedError,
  MigrationHistoryMismatchError,
  MissingDownFileError,
} from './errors.js';
import type { MigratorEvent, RunReport } from './events.js';
import { runFetch } from './fetch.js';
import {
  compareVersions,
  createMigrationFile,
  type LocalMigration,
  type NewMigrationResult,
  scanMigrations,
} from './files.js';
import { ensureHistoryTables, readHistory } from './history.js';
import { assertLockHeld, type HeldLock } from './lock.js';
import type {
  DownOptions,
  FetchOptions,
  Migrator,
  MigratorOptions,
  RepairOptions,
  StatusOptions,
  UpOptions,
  VerifyResult,
} from './migrator-types.js';
import {
  downOptionsSchema,
  fetchOptionsSchema,
  migratorOptionsSchema,
  newMigrationSchema,
  readOptionsSchema,
  repairOptionsSchema,
  upOptionsSchema,
} from './options.js';
import { runRepair } from './repair.js';
import { createRunCore, type RunContext } from './run-core.js';
import { computeStatus, type MigrationStatus } from './status.js';
import { validate } from './validate.js';

export {
  type DownOptions,
  type FetchOptions,
  MIGRATOR_OPERATIONS,
  type Migrator,
  type MigratorOptions,
  type RepairOptions,
  type StatusOptions,
  type UpOptions,
  type VerifyResult,
} from './migrator-types.js';

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
  const core = createRunCore(opts, options);
  const runner = createFileRunner(core);
  const { dir, downDir, listeners, connect, withLock, run, newContext } = core;
  const { emitStart, emitEnd, emitFailed } = core;
  const now = options.now ?? (() => new Date());

  const readStatus = async (
    input: StatusOptions | undefined,
    operation: 'status' | 'verify',
  ): Promise<MigrationStatus> => {
    const o = validate(readOptionsSchema, input ?? {}, `${operation} options`);
    const abort = createRunAbort(o.signal, opts.cancelGraceMs);
    try {
      abort.check('before-start');
      const scanPromise = scanMigrations(dir, downDir);
      // awaited below; keeps a failed scan from being unhandled when connecting fails first
      scanPromise.catch(() => {});
      const client = await connect(operation);
      try {
        abort.check('files');
        const [scan, history] = await Promise.all([scanPromise, readHistory(abort.bind(client))]);
        return computeStatus(dir, scan, history);
      } finally {
        await client.end().catch(() => {});
      }
    } catch (error) {
      if (error instanceof RunInterrupted) {
        throw abortedError(operation, false, [], error, abort.reason());
      }
      throw error;
    }
  };

  /** Applies (up) or reverts (down) files in order, each committed on its own. */
  const applyFiles = async (
    ctx: RunContext,
    client: pg.Client,
    lock: HeldLock,
    files: LocalMigration[],
    direction: Direction,
  ): Promise<void> => {
    const done = direction === 'up' ? 'applied' : 'reverted';
    const names = files.map((m) => fileSide(m, direction).file);
    for (const [index, m] of files.entries()) {
      const file = names[index] as string;
      if (ctx.abort.aborted) {
        // between files (or before the first): nothing is open, nothing more starts
        const stopped = new RunInterrupted('files', { cause: ctx.abort.signal?.reason });
        stopped.notStarted = names.slice(index);
        throw stopped;
      }
      assertLockHeld(lock);
      emitStart(ctx, m, file, index, files.length);
      const started = performance.now();
      try {
        const { durationMs } = await runner.applyFile(client, lock, m, direction, ctx.abort);
        ctx.files.push(fileEntry(m, direction, done, durationMs));
        emitEnd(ctx, m, file, index, files.length, durationMs, done);
      } catch (error) {
        const durationMs = Math.round(performance.now() - started);
        if (error instanceof RunInterrupted) {
          const status = error.partial ? 'partially-applied' : 'rolled-back';
          ctx.files.push({
            ...fileEntry(m, direction, status, durationMs),
            interruptedAt: error.statementIndex ?? 0,
          });
          emitEnd(ctx, m, file, index, files.length, durationMs, status);
          error.file = file;
          error.notStarted = names.slice(index + 1);
          throw error;
        }
        ctx.files.push(fileEntry(m, direction, 'failed', durationMs));
        if (MigrationFailedError.isInstance(error)) {
          emitFailed(ctx, m, file, index, files.length, durationMs, error);
        }
        throw error;
      }
    }
  };

  const up = async (input?: UpOptions): Promise<RunReport> => {
    const o = validate(upOptionsSchema, input ?? {}, 'up options');
    const ctx = newContext('up', o.dryRun, createRunAbort(o.signal, opts.cancelGraceMs));
    return run(ctx, () =>
      withLock(ctx, async (client, lock) => {
        if (!o.dryRun) await ensureHistoryTables(client);
        const [scan, history] = await Promise.all([
          scanMigrations(dir, downDir),
          readHistory(ctx.abort.bind(client)),
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
          await dryRunFiles(core, runner, client, ctx, files, 'up');
          return;
        }
        await applyFiles(ctx, client, lock, files, 'up');
      }),
    );
  };

  const down = async (input: DownOptions): Promise<RunReport> => {
    const o = validate(downOptionsSchema, input, 'down options');
    const ctx = newContext('down', o.dryRun, createRunAbort(o.signal, opts.cancelGraceMs));
    return run(ctx, () =>
      withLock(ctx, async (client, lock) => {
        const [scan, history] = await Promise.all([
          scanMigrations(dir, downDir),
          readHistory(ctx.abort.bind(client)),
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
          await dryRunFiles(core, runner, client, ctx, files, 'down');
          return;
        }
        await applyFiles(ctx, client, lock, files, 'down');
      }),
    );
  };

  const repair = async (input: RepairOptions): Promise<RunReport> =>
    runRepair(core, validate(repairOptionsSchema, input, 'repair options'));

  const fetch = async (input?: FetchOptions): Promise<RunReport> =>
    runFetch(core, validate(fetchOptionsSchema, input ?? {}, 'fetch options'));

  const status = (input?: StatusOptions): Promise<MigrationStatus> => readStatus(input, 'status');

  const verify = async (input?: StatusOptions): Promise<VerifyResult> => {
    const st = await readStatus(input, 'verify');
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
