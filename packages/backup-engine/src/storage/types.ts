import type { Readable } from 'node:stream';
import { BackupValidationError } from '../errors.js';

export interface StorageObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
}

export interface PutOptions {
  signal?: AbortSignal;
}

export interface CleanupResult {
  /** What was removed: temp files (local) or `key#uploadId` (S3). */
  removed: string[];
}

/**
 * What the engine needs from a place that keeps backups. `put` must be atomic: until it
 * resolves, no object with the final key is visible, and a failed or aborted `put` leaves
 * none behind.
 */
export interface BackupStorage {
  readonly kind: 'local' | 's3';
  /** Human-readable location, without credentials. */
  readonly description: string;
  put(key: string, body: Readable, options?: PutOptions): Promise<{ size: number }>;
  get(key: string): Promise<Readable>;
  head(key: string): Promise<StorageObjectInfo | undefined>;
  list(prefix?: string): Promise<StorageObjectInfo[]>;
  delete(key: string): Promise<void>;
  /**
   * Removes what interrupted writes left: temp files (local) or multipart uploads still in
   * progress (S3), older than `olderThanMs` (default one hour). Run it after a crash.
   */
  cleanupIncompleteUploads(options?: { olderThanMs?: number }): Promise<CleanupResult>;
}

const KEY_RE = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** Object keys: `/`-separated segments of letters, digits, `.`, `_`, `-`; no `..` segment. */
export function assertKey(key: string): void {
  if (
    typeof key !== 'string' ||
    !KEY_RE.test(key) ||
    key.split('/').some((s) => s === '..' || s === '.') ||
    key.includes('.partial-')
  ) {
    throw new BackupValidationError('object key', [
      `"${String(key).slice(0, 200)}" must be /-separated segments of [A-Za-z0-9._-], without "." or ".." segments or ".partial-"`,
    ]);
  }
}
