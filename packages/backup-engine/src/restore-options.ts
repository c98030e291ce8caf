import { z } from 'zod';
import { backupIdSchema, storageSchema } from './backup-store.js';
import { connectionUrlSchema } from './connection.js';
import { type KeySource, keySourceSchema } from './keys.js';
import type { ProgressListener } from './progress.js';
import type { BackupStorage } from './storage/types.js';

/** Options of restoreBackup, and of planRestore, which checks the same restore without writing. */
export interface RestoreBackupOptions {
  storage: BackupStorage;
  id: string;
  /** Required for encrypted backups. */
  key?: KeySource;
  /** postgres:// URL of the target database (created when missing). */
  target: string;
  /** Drop and recreate the objects the backup contains (pg_restore --clean --if-exists). */
  clean?: boolean;
  /** Skip the emptiness and version pre-checks. */
  force?: boolean;
  /** Restore into a new database, verify it, then swap it in by rename. */
  atomic?: boolean;
  /** With `atomic`: drop the previous database after the swap (default: keep it, renamed). */
  dropPrevious?: boolean;
  /**
   * Template for the databases the restore creates (a missing target, or the new database of
   * `atomic`); default `template0`. A Supabase backup needs a Supabase-initialised template,
   * because its `supabase-data` part fills the platform's own `auth`/`storage` tables.
   */
  template?: string;
  /** Parallel pg_restore jobs; > 1 downloads the archive to a local temp file first. */
  jobs?: number;
  noOwner?: boolean;
  noPrivileges?: boolean;
  /** Compare row counts with the manifest afterwards (default true; exact counts only). */
  verifyRowCounts?: boolean;
  /** Where the temp archive goes when `jobs` > 1 (default the OS temp dir). */
  tempDir?: string;
  pgBin?: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export const restoreOptionsSchema = z
  .object({
    storage: storageSchema,
    id: backupIdSchema,
    key: keySourceSchema.optional(),
    target: connectionUrlSchema,
    clean: z.boolean().optional(),
    force: z.boolean().optional(),
    atomic: z.boolean().optional(),
    dropPrevious: z.boolean().optional(),
    template: z.string().min(1).max(63).optional(),
    jobs: z.number().int().min(1).max(64).optional(),
    noOwner: z.boolean().optional(),
    noPrivileges: z.boolean().optional(),
    verifyRowCounts: z.boolean().optional(),
    tempDir: z.string().min(1).optional(),
    pgBin: z.string().min(1).optional(),
    onProgress: z.custom<ProgressListener>((v) => typeof v === 'function').optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  })
  .strict();
