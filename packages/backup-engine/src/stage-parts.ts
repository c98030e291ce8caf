import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { LoadedBackup } from './backup-store.js';
import { decryptTransform } from './encryption.js';
import { BackupAbortedError, BackupIntegrityError, RestoreError } from './errors.js';
import type { ManifestPart } from './manifest.js';
import { Meter } from './meter.js';
import { type ProgressListener, ProgressTracker } from './progress.js';
import { OWNED_READS, ReleasingSink } from './release.js';
import type { BackupStorage } from './storage/types.js';

/**
 * Parts whose every byte has been checked against the authenticated manifest before a restore
 * writes anything. `open(part)` gives the verified bytes again: from the spill file for remote
 * storage (so what is restored is exactly what was checked, not a second download), from the
 * storage for local storage (its files are already on this disk).
 */
export interface StagedParts {
  open(part: ManifestPart): Promise<Readable>;
  /** Whether `open` returns this package's own buffers (local reads): they may be released. */
  owned(part: ManifestPart): boolean;
  /** Bytes spilled to local disk. */
  spilledBytes: number;
  cleanup(): Promise<void>;
}

function discard(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

/** Checks a stored object's size and SHA-256 against its manifest entry. */
export function assertStoredMatches(part: ManifestPart, meter: Meter): void {
  if (meter.bytes !== part.stored_size || meter.sha256() !== part.stored_sha256) {
    throw new BackupIntegrityError(
      'BACKUP_HASH_MISMATCH',
      `The stored object ${part.key} has ${meter.bytes} bytes and SHA-256 ${meter.sha256().slice(0, 16)}…, the manifest says ${part.stored_size} bytes and ${part.stored_sha256.slice(0, 16)}…. Fix: the object was replaced, truncated or corrupted (or belongs to another backup); use another copy.`,
    );
  }
}

/**
 * Reads every part once, before the restore touches the target: size and SHA-256 of the stored
 * object against the authenticated manifest and, for encrypted backups, every chunk's GCM tag.
 * A missing, truncated, tampered or foreign object therefore fails here, before a database is
 * created or a byte reaches pg_restore. Remote objects are spilled (as stored: compressed and
 * encrypted, so the spill is the small size) to `tempDir` and restored from there.
 */
export async function stageParts(
  storage: BackupStorage,
  loaded: LoadedBackup,
  parts: ManifestPart[],
  options: { tempDir?: string; onProgress?: ProgressListener; signal?: AbortSignal },
): Promise<StagedParts> {
  const local = storage.kind === 'local';
  const ownedReads = (storage as { [OWNED_READS]?: boolean })[OWNED_READS] === true;
  const encrypted = Boolean(loaded.manifest.encryption);
  let root: string | undefined;
  const files = new Map<string, string>();
  let spilledBytes = 0;
  const opener = (releaseInput: boolean) => decryptTransform({ key: loaded.master! }, releaseInput);
  // the decrypted chunks are cipher outputs of their own: freed at once (release.ts)
  const sink = () => (encrypted ? new ReleasingSink(discard(), 0) : discard());
  const cleanup = async () => {
    if (root) await rm(root, { recursive: true, force: true });
  };
  try {
    if (!local && parts.length > 0) {
      const dir = options.tempDir ?? tmpdir();
      const needed = parts.reduce((sum, p) => sum + p.stored_size, 0);
      const fs = await statfs(dir);
      if (fs.bavail * fs.bsize < needed * 1.05) {
        throw new RestoreError(
          'RESTORE_DISK_INSUFFICIENT',
          `Verifying the backup before the restore needs ${Math.ceil(needed / 1048576)} MiB in ${dir} for the downloaded objects, but only ${Math.floor((fs.bavail * fs.bsize) / 1048576)} MiB are free. Fix: free space or pass tempDir on a larger disk.`,
        );
      }
      root = await mkdtemp(join(dir, 'supaops-stage-'));
    }
    for (const part of parts) {
      if (options.signal?.aborted) throw new BackupAbortedError('The restore was aborted.');
      const stored = new Meter(
        new ProgressTracker('verify', part.name, part.stored_size, options.onProgress),
      );
      // missing objects fail here, at once, with BackupNotFoundError
      const source = await storage.get(part.key);
      const signal = options.signal ? { signal: options.signal } : {};
      if (root) {
        const file = join(root, `${part.name}.stored`);
        const spill = createWriteStream(file, { mode: 0o600 });
        // chunks of a download nothing else holds (S3 bodies): freed once on disk (release.ts)
        await pipeline([source, stored, ownedReads ? new ReleasingSink(spill, 0) : spill], signal);
        files.set(part.key, file);
        spilledBytes += stored.bytes;
        assertStoredMatches(part, stored);
        // the hash already proves the bytes are the ones written; opening every chunk also
        // proves the key and the format (cheap: AES-GCM runs at GB/s, and the file is local)
        if (encrypted) await pipeline([createReadStream(file), opener(true), sink()], signal);
      } else {
        // local storage: one read hashes and opens every chunk
        await pipeline(
          [source, stored, ...(encrypted ? [opener(ownedReads)] : []), sink()],
          signal,
        );
        assertStoredMatches(part, stored);
      }
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    spilledBytes,
    owned: (part) => (files.has(part.key) ? true : ownedReads),
    async open(part) {
      const file = files.get(part.key);
      return file ? createReadStream(file) : storage.get(part.key);
    },
    cleanup,
  };
}
