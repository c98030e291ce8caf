import {
  BackupAbortedError,
  BackupError,
  createBackup,
  verifyBackup,
} from '@supaops/backup-engine';
import { openStorage } from '../clone/backup-storage.js';
import { SchemaBackupFailedError, SyncAbortedError } from './promote-errors.js';
import type { SyncBackupOptions } from './sync-input.js';

/** The target's backup, made before any migration. */
export interface SyncBackup {
  readonly id: string;
  /** Where it is: a directory path or an s3:// URL (no credentials). */
  readonly location: string;
  /** Read back in full (every part decrypted and hashed, pg_restore --list) after writing. */
  readonly verified: boolean;
  readonly warnings: readonly string[];
}

function failed(step: string, error: unknown): Error {
  if (BackupAbortedError.isInstance(error)) return new SyncAbortedError('backup', { cause: error });
  const message = BackupError.isInstance(error)
    ? (error as Error).message
    : `an unexpected error (${(error as Error)?.message ?? String(error)})`;
  return new SchemaBackupFailedError(`${step}: ${message}`, { cause: error });
}

/** Backs up the target with backup-engine and (by default) verifies it; throws typed on failure. */
export async function backupTarget(
  target: string,
  options: SyncBackupOptions,
  signal?: AbortSignal,
): Promise<SyncBackup> {
  let opened: ReturnType<typeof openStorage>;
  try {
    opened = openStorage(options.storage);
  } catch (error) {
    throw failed('the storage', error);
  }
  const { storage, locate } = opened;
  const abort = signal ? { signal } : {};
  const pgBin = options.pgBin ? { pgBin: options.pgBin } : {};
  let created: Awaited<ReturnType<typeof createBackup>>;
  try {
    created = await createBackup({
      source: target,
      storage,
      encryption: options.encryption,
      tags: { purpose: 'schema-sync' },
      ...abort,
      ...pgBin,
    });
  } catch (error) {
    throw failed('the backup', error);
  }
  const verify = options.verify !== false;
  if (verify) {
    try {
      await verifyBackup({
        storage,
        id: created.id,
        ...(options.encryption ? { key: options.encryption } : {}),
        ...abort,
        ...pgBin,
      });
    } catch (error) {
      throw failed(`the verification of backup ${created.id}`, error);
    }
  }
  return {
    id: created.id,
    location: locate(created.id),
    verified: verify,
    warnings: created.warnings,
  };
}
