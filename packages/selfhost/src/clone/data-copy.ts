import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BackupAbortedError,
  BackupError,
  createBackup,
  type KeySource,
  restoreBackup,
} from '@supaops/backup-engine';
import { openStorage, type StorageInput } from './backup-storage.js';
import { CloneAbortedError, DataCopyError } from './clone-errors.js';

/** What a data copy strategy gets: both databases as URLs (passwords inside: never log them). */
export interface DataCopyContext {
  readonly source: string;
  readonly target: string;
  readonly signal?: AbortSignal | undefined;
  /** Progress for the caller's events (no secrets). */
  readonly onProgress?: ((message: string, detail?: Record<string, unknown>) => void) | undefined;
}

export interface DataCopyOutcome {
  /** The strategy's name, as reported. */
  readonly strategy: string;
  /**
   * The source's exact row count per `schema.table` as it was copied (one consistent snapshot).
   * Without them cloneInstance counts the source itself after the copy.
   */
  readonly sourceRowCounts?: Readonly<Record<string, number>>;
  /** What the strategy wants reported (ids, locations, warnings), secret-free. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The seam for how a clone's data gets copied. `backupRestoreCopy()` is today's; the migrator's
 * table-by-table copy can implement the same interface and replace it.
 */
export interface DataCopyStrategy {
  readonly name: string;
  copy(context: DataCopyContext): Promise<DataCopyOutcome>;
}

export interface BackupRestoreCopyOptions {
  /** Where the backup goes; default a temp directory, removed afterwards. */
  storage?: StorageInput;
  /** Required with `storage`; default (temp directory) a random key held only in memory. */
  encryption?: KeySource | false;
  /** Keep the backup after the restore (default: kept only when `storage` was given). */
  keepBackup?: boolean;
  /** Where the backup engine finds pg_dump / pg_restore. */
  pgBin?: string;
}

function wrap(step: string, error: unknown): Error {
  if (BackupAbortedError.isInstance(error))
    return new CloneAbortedError(`data-${step}`, { cause: error });
  const reason = BackupError.isInstance(error)
    ? (error as Error).message
    : `an unexpected error (${(error as Error)?.message ?? String(error)})`;
  return new DataCopyError(step, reason, { cause: error });
}

/**
 * Today's data copy: a backup of the source (backup-engine: pg_dump in one snapshot with exact row
 * counts, Supabase-aware), restored into the clone's database (verified before anything is
 * written, row counts compared), then the backup removed unless asked to keep it.
 */
export function backupRestoreCopy(options: BackupRestoreCopyOptions = {}): DataCopyStrategy {
  return {
    name: 'backup-restore',
    async copy(ctx) {
      if (options.storage && options.encryption === undefined)
        throw new DataCopyError(
          'backup',
          'a storage was given without encryption, so the backup it keeps could never be read again.',
        );
      const tempDir = options.storage
        ? undefined
        : await mkdtemp(join(tmpdir(), 'supaops-clone-data-'));
      const { storage, locate } = openStorage(options.storage ?? { type: 'local', dir: tempDir! });
      const key: KeySource | false = options.encryption ?? { key: randomBytes(32) };
      const keep = options.keepBackup ?? options.storage !== undefined;
      const signal = ctx.signal ? { signal: ctx.signal } : {};
      const pgBin = options.pgBin ? { pgBin: options.pgBin } : {};
      try {
        ctx.onProgress?.('backing up the source database');
        let created: Awaited<ReturnType<typeof createBackup>>;
        try {
          created = await createBackup({
            source: ctx.source,
            storage,
            encryption: key,
            tags: { purpose: 'clone' },
            ...signal,
            ...pgBin,
          });
        } catch (error) {
          throw wrap('backup', error);
        }
        ctx.onProgress?.('restoring into the clone database', { backupId: created.id });
        let restored: Awaited<ReturnType<typeof restoreBackup>>;
        try {
          restored = await restoreBackup({
            storage,
            id: created.id,
            ...(key ? { key } : {}),
            target: ctx.target,
            ...signal,
            ...pgBin,
          });
        } catch (error) {
          throw wrap('restore', error);
        }
        if (!keep && !tempDir) {
          for (const o of await storage.list(`${created.id}/`)) await storage.delete(o.key);
        }
        const counts = created.manifest.row_counts;
        return {
          strategy: 'backup-restore',
          ...(counts.mode === 'exact' ? { sourceRowCounts: { ...counts.tables } } : {}),
          details: {
            backupId: created.id,
            ...(keep ? { backup: locate(created.id) } : {}),
            warnings: [...created.warnings, ...restored.warnings],
            skippedEntries: restored.skippedEntries,
          },
        };
      } finally {
        if (tempDir) await rm(tempDir, { recursive: true, force: true });
      }
    },
  };
}
