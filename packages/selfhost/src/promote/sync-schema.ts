import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMigrator,
  MigrationAbortedError,
  type MigrationStatus,
  MigratorError,
  type RunReport,
} from '@supaops/migrator';
import { resolveDatabase } from '../clone/database-ref.js';
import { parseInput } from '../errors.js';
import {
  type Divergence,
  SchemaDivergenceError,
  SchemaHistoryMismatchError,
  SchemaSyncFailedError,
  SyncAbortedError,
  SyncStrategyNotYetError,
} from './promote-errors.js';
import { backupTarget, type SyncBackup } from './sync-backup.js';
import { type SyncEvent, type SyncSchemaInput, syncInputSchema } from './sync-input.js';
import {
  historyDifferences,
  historyOf,
  type MigrationRef,
  planSync,
  type SkippedMigration,
  type SyncPlan,
} from './sync-plan.js';

export interface SyncSchemaResult {
  readonly strategy: 'migrations';
  readonly dryRun: boolean;
  /** The target's backup, made before the first write (absent in a dry run or with nothing to do). */
  readonly backup?: SyncBackup;
  /** Applied by this run (a dry run: would be applied). */
  readonly applied: readonly MigrationRef[];
  readonly alreadyPresent: readonly MigrationRef[];
  /** In the directory but not applied on the source: not promoted. */
  readonly skipped: readonly SkippedMigration[];
  /** Empty, except in a dry run that found some (a real run refuses with SchemaDivergenceError). */
  readonly divergence: readonly Divergence[];
  /** Both histories after the run (names and checksums); `match` after a real run is true. */
  readonly histories: {
    readonly source: readonly MigrationRef[];
    readonly target: readonly MigrationRef[];
    readonly match: boolean;
  };
  /** The migrator's report of the apply run (files, durations). */
  readonly report?: RunReport;
}

type Emit = (event: SyncEvent) => void;

async function readStatus(url: string, dir: string, signal: AbortSignal | undefined) {
  try {
    return await createMigrator({ connection: url, dir }).status(signal ? { signal } : {});
  } catch (error) {
    if (MigrationAbortedError.isInstance(error))
      throw new SyncAbortedError('plan', { cause: error });
    throw new SchemaSyncFailedError('read', (error as Error).message, undefined, { cause: error });
  }
}

/** Applies exactly the planned files: a directory holding only what the source applied. */
async function applyPlanned(
  target: string,
  dir: string,
  source: MigrationStatus,
  o: { lock?: SyncSchemaInput['lock']; signal?: AbortSignal | undefined; backupId?: string },
  emit: Emit,
): Promise<RunReport> {
  const staging = await mkdtemp(join(tmpdir(), 'supaops-sync-'));
  try {
    for (const e of source.entries)
      if (e.remote && e.file) await copyFile(join(dir, e.file), join(staging, e.file));
    const migrator = createMigrator({
      connection: target,
      dir: staging,
      ...(o.lock ? { lock: o.lock } : {}),
      onEvent: (event) => emit({ type: 'migration', event }),
    });
    // includeAll: a version the target lacks below its newest one is still the source's history
    return await migrator.up({ includeAll: true, ...(o.signal ? { signal: o.signal } : {}) });
  } catch (error) {
    if (MigrationAbortedError.isInstance(error))
      throw new SyncAbortedError('apply', { cause: error });
    if (MigratorError.isInstance(error) || error instanceof Error)
      throw new SchemaSyncFailedError('apply', error.message, o.backupId, { cause: error });
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Brings the target's schema to the source's by migrations only, never data: reads both
 * histories against the source's migrations directory, refuses any divergence before writing,
 * backs up the target (backup-engine; a failed backup stops it), applies the migrations the
 * target lacks under the migrator's lock, then checks that both histories match (versions,
 * names and checksums). `dryRun` gives the plan without the backup or any write.
 */
export async function syncSchema(input: SyncSchemaInput): Promise<SyncSchemaResult> {
  const o = parseInput('syncSchema', syncInputSchema, input);
  if (o.strategy && o.strategy !== 'migrations') throw new SyncStrategyNotYetError(o.strategy);
  const emit: Emit = (event) => {
    try {
      o.onEvent?.(event);
    } catch {
      // a listener's bug must not break a sync half-way
    }
  };
  const signal = o.signal;
  const sourceUrl = await resolveDatabase(o.source, undefined, 'source');
  const targetUrl = await resolveDatabase(o.target, undefined, 'target');
  const dir = o.migrationsDir;
  emit({ type: 'phase', phase: 'plan', status: 'start' });
  const [source, target] = await Promise.all([
    readStatus(sourceUrl, dir, signal),
    readStatus(targetUrl, dir, signal),
  ]);
  const plan: SyncPlan = planSync(source, target);
  emit({
    type: 'phase',
    phase: 'plan',
    status: 'done',
    detail: {
      toApply: plan.toApply.map((m) => m.version),
      alreadyPresent: plan.alreadyPresent.length,
      skipped: plan.skipped.map((m) => m.version),
      divergence: plan.divergence.map((d) => `${d.version}:${d.kind}`),
    },
  });
  const base = {
    strategy: 'migrations' as const,
    alreadyPresent: plan.alreadyPresent,
    skipped: plan.skipped,
  };
  if (o.dryRun) {
    const differences = historyDifferences(source, target);
    return {
      ...base,
      dryRun: true,
      applied: plan.toApply,
      divergence: plan.divergence,
      histories: {
        source: historyOf(source),
        target: historyOf(target),
        match: differences.length === 0,
      },
    };
  }
  if (plan.divergence.length > 0) throw new SchemaDivergenceError(plan.divergence);
  let backup: SyncBackup | undefined;
  let report: RunReport | undefined;
  let after = target;
  if (plan.toApply.length > 0) {
    if (signal?.aborted) throw new SyncAbortedError('backup', { cause: signal.reason });
    emit({ type: 'phase', phase: 'backup', status: 'start' });
    backup = await backupTarget(targetUrl, o.backup!, signal);
    emit({ type: 'phase', phase: 'backup', status: 'done', detail: backup });
    if (signal?.aborted) throw new SyncAbortedError('apply', { cause: signal.reason });
    emit({
      type: 'phase',
      phase: 'apply',
      status: 'start',
      detail: { files: plan.toApply.length },
    });
    report = await applyPlanned(
      targetUrl,
      dir,
      source,
      { lock: o.lock, signal, backupId: backup.id },
      emit,
    );
    emit({
      type: 'phase',
      phase: 'apply',
      status: 'done',
      detail: { durationMs: report.durationMs },
    });
  }
  emit({ type: 'phase', phase: 'verify', status: 'start' });
  if (report) after = await readStatus(targetUrl, dir, signal);
  const differences = historyDifferences(source, after);
  if (differences.length > 0) throw new SchemaHistoryMismatchError(differences, backup?.id);
  emit({ type: 'phase', phase: 'verify', status: 'done', detail: { match: true } });
  const appliedNow = new Set(
    (report?.files ?? []).filter((f) => f.status === 'applied').map((f) => f.version),
  );
  return {
    ...base,
    dryRun: false,
    ...(backup ? { backup } : {}),
    applied: plan.toApply.filter((m) => appliedNow.has(m.version)),
    divergence: [],
    histories: { source: historyOf(source), target: historyOf(after), match: true },
    ...(report ? { report } : {}),
  };
}
