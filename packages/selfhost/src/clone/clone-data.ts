import { SelfhostError } from '../errors.js';
import {
  CloneAbortedError,
  DataCopyError,
  type RowCountDifference,
  RowCountMismatchError,
} from './clone-errors.js';
import type { CloneDataOptions, CloneEvent } from './clone-input.js';
import { backupRestoreCopy } from './data-copy.js';
import { type InstanceInfo, resolveDatabase } from './database-ref.js';
import { countRows, userTables } from './row-counts.js';

/** One table of the row-count proof. */
export interface TableRowCount {
  readonly table: string;
  /** The source's rows as copied (the backup's snapshot), or counted after the copy. */
  readonly source: number;
  readonly clone: number;
}

export interface CloneDataResult {
  readonly strategy: string;
  /** Every table compared, equal on both sides (a difference throws RowCountMismatchError). */
  readonly rowCounts: readonly TableRowCount[];
  readonly tables: number;
  readonly rows: number;
  readonly details?: Readonly<Record<string, unknown>>;
}

type Emit = (event: CloneEvent) => void;

async function counted<T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (signal?.aborted) throw new CloneAbortedError('row-counts', { cause: error });
    throw new DataCopyError(
      'row count',
      `a database could not be read to compare row counts (${(error as Error).message}).`,
      { cause: error },
    );
  }
}

/**
 * Copies the source's data into the clone with the given strategy (backup and restore by
 * default), then proves it: the row count of every copied table in the clone equals the
 * source's (as copied when the strategy knows it, else counted now).
 */
export async function copyCloneData(
  options: CloneDataOptions,
  source: InstanceInfo,
  clone: InstanceInfo,
  emit: Emit,
  signal: AbortSignal | undefined,
): Promise<CloneDataResult> {
  const sourceUrl = await resolveDatabase(options.source, source, 'source database');
  const cloneUrl = await resolveDatabase(options.target, clone, 'clone database');
  const strategy =
    options.copy ??
    backupRestoreCopy({
      ...(options.storage ? { storage: options.storage } : {}),
      ...(options.encryption !== undefined ? { encryption: options.encryption } : {}),
      ...(options.keepBackup !== undefined ? { keepBackup: options.keepBackup } : {}),
      ...(options.pgBin ? { pgBin: options.pgBin } : {}),
    });
  emit({ type: 'phase', phase: 'data', status: 'start', detail: { strategy: strategy.name } });
  let outcome: Awaited<ReturnType<typeof strategy.copy>>;
  try {
    outcome = await strategy.copy({
      source: sourceUrl,
      target: cloneUrl,
      signal,
      onProgress: (message, detail) =>
        emit({ type: 'progress', phase: 'data', message, ...(detail ? { detail } : {}) }),
    });
  } catch (error) {
    if (SelfhostError.isInstance(error)) throw error;
    if (signal?.aborted) throw new CloneAbortedError('data', { cause: error });
    throw new DataCopyError(
      `${strategy.name} copy`,
      `the strategy failed (${(error as Error)?.message ?? String(error)}).`,
      { cause: error },
    );
  }
  emit({ type: 'phase', phase: 'data', status: 'done', detail: outcome.details });
  emit({ type: 'phase', phase: 'row-counts', status: 'start' });
  const known = outcome.sourceRowCounts;
  const tables = known
    ? Object.keys(known).sort()
    : await counted(signal, () => userTables(sourceUrl, signal));
  const sourceCounts: Record<string, number | null> = known
    ? { ...known }
    : await counted(signal, () => countRows(sourceUrl, tables, signal));
  const cloneCounts = await counted(signal, () => countRows(cloneUrl, tables, signal));
  const differences: RowCountDifference[] = [];
  const rowCounts: TableRowCount[] = [];
  for (const table of tables) {
    const s = sourceCounts[table] ?? null;
    const c = cloneCounts[table] ?? null;
    if (s === null || c === null || s !== c) differences.push({ table, source: s, clone: c });
    else rowCounts.push({ table, source: s, clone: c });
  }
  if (differences.length > 0) throw new RowCountMismatchError(differences);
  const rows = rowCounts.reduce((n, r) => n + r.clone, 0);
  emit({
    type: 'phase',
    phase: 'row-counts',
    status: 'done',
    detail: { tables: rowCounts.length, rows },
  });
  return {
    strategy: outcome.strategy,
    rowCounts,
    tables: rowCounts.length,
    rows,
    ...(outcome.details ? { details: outcome.details } : {}),
  };
}
