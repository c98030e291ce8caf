import { type Duplex, Readable } from 'node:stream';
import { z } from 'zod';
import { compressionStage } from './compression.js';
import { decryptTransform, HEADER_SIZE, headerKeyMatches } from './encryption.js';
import {
  BackupError,
  BackupIntegrityError,
  BackupNotFoundError,
  BackupValidationError,
} from './errors.js';
import { deriveKey, type KeySource, keySourceSchema, type MasterKey } from './keys.js';
import {
  type BackupManifest,
  MANIFEST_FILE,
  type ManifestPart,
  openManifest,
  parseManifestEnvelope,
  VERIFIED_FILE,
} from './manifest.js';
import type { BackupStorage } from './storage/types.js';

export const backupIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, ".", "_" and "-" (max 128)');

export const storageSchema = z.custom<BackupStorage>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as BackupStorage).put === 'function' &&
    typeof (value as BackupStorage).get === 'function' &&
    typeof (value as BackupStorage).list === 'function',
  'a BackupStorage from createLocalStorage() or createS3Storage()',
);

export { keySourceSchema };

export async function readAll(stream: Readable, limit = 16 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw new BackupValidationError('object', [
        `larger than ${limit} bytes where a small file was expected`,
      ]);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads the first `n` bytes of an object and stops the download. */
export async function readHead(storage: BackupStorage, key: string, n: number): Promise<Buffer> {
  const stream = await storage.get(key);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= n) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, n);
}

export interface LoadedBackup {
  manifest: BackupManifest;
  master: MasterKey | undefined;
  authenticated: 'hmac' | 'sha256';
}

/** Reads and authenticates a backup's manifest, deriving the master key once. */
export async function loadBackup(
  storage: BackupStorage,
  id: string,
  key: KeySource | undefined,
): Promise<LoadedBackup> {
  const manifestKey = `${id}/${MANIFEST_FILE}`;
  const text = (
    await readAll(
      await storage.get(manifestKey).catch((error: unknown) => {
        if (BackupError.isInstance(error) && error.code === 'BACKUP_NOT_FOUND') {
          throw new BackupNotFoundError(
            `Backup ${id} has no manifest in ${storage.description} (it does not exist or its creation did not finish). Fix: pick an id from listBackups().`,
            { cause: error },
          );
        }
        throw error;
      }),
    )
  ).toString('utf8');
  const { manifest } = parseManifestEnvelope(text, manifestKey);
  let master: MasterKey | undefined;
  if (manifest.encryption && key) master = await deriveKey(key, manifest.encryption.kdf);
  const opened = await openManifest(text, manifestKey, master, async () => {
    const first = manifest.parts[0]!;
    const header = await readHead(storage, first.key, HEADER_SIZE);
    try {
      return headerKeyMatches(master!, header);
    } catch {
      return false;
    }
  });
  assertBelongsTo(opened.manifest, id, manifestKey);
  return {
    manifest: opened.manifest,
    master,
    authenticated: opened.authenticated as 'hmac' | 'sha256',
  };
}

/**
 * A manifest authenticates only its own content: a validly signed manifest of backup B copied
 * under A's name (same key) would pass the HMAC. It must name the backup it was asked for and
 * only objects under that backup's own prefix, or a restore of A could silently become B.
 */
export function assertBelongsTo(manifest: BackupManifest, id: string, manifestKey: string): void {
  if (manifest.id !== id) {
    throw new BackupIntegrityError(
      'BACKUP_MANIFEST_MISMATCH',
      `The manifest ${manifestKey} belongs to backup ${manifest.id}, not to ${id} (it was copied or replayed under this name). Fix: use backup ${manifest.id} by its own id, or restore ${id}'s own manifest from another copy.`,
    );
  }
  const foreign = manifest.parts.filter((p) => !p.key.startsWith(`${id}/`));
  if (foreign.length > 0) {
    throw new BackupIntegrityError(
      'BACKUP_MANIFEST_MISMATCH',
      `The manifest of backup ${id} points at objects outside ${id}/ (${foreign.map((p) => p.key).join(', ')}). Fix: the manifest was altered; use another copy.`,
    );
  }
}

/**
 * The stages that turn a stored part back into its raw bytes. `ownedInput`: the source's chunks
 * are buffers of their own that nothing else uses (this package's local storage), so they are
 * released once consumed; the decrypted chunks always are (see release.ts).
 */
export function decodeTransforms(loaded: LoadedBackup, ownedInput = false): Duplex[] {
  const out: Duplex[] = [];
  const encrypted = Boolean(loaded.manifest.encryption);
  if (encrypted) out.push(decryptTransform({ key: loaded.master! }, ownedInput));
  out.push(
    compressionStage(
      'decompress',
      { kind: loaded.manifest.compression.algorithm, level: 0 },
      encrypted || ownedInput,
    ),
  );
  return out;
}

export function findPart(manifest: BackupManifest, name: string): ManifestPart | undefined {
  return manifest.parts.find((p) => p.name === name);
}

export interface BackupSummary {
  id: string;
  createdAt: Date;
  tags: Record<string, string>;
  /** When verifyBackup last succeeded (from `<id>/verified.json`). */
  verifiedAt: Date | undefined;
  storedSize: number;
}

/** Lists complete backups (those with a manifest), oldest first. Manifests are not authenticated here. */
export async function listBackups(storage: BackupStorage): Promise<BackupSummary[]> {
  const objects = await storage.list('');
  const out: BackupSummary[] = [];
  const verified = new Set(
    objects.filter((o) => o.key.endsWith(`/${VERIFIED_FILE}`)).map((o) => o.key.split('/')[0]),
  );
  for (const object of objects) {
    if (!object.key.endsWith(`/${MANIFEST_FILE}`)) continue;
    const id = object.key.slice(0, -(MANIFEST_FILE.length + 1));
    try {
      const { manifest } = parseManifestEnvelope(
        (await readAll(await storage.get(object.key))).toString('utf8'),
        object.key,
      );
      // a manifest replayed under another backup's name is not that backup (see assertBelongsTo)
      if (manifest.id !== id) continue;
      let verifiedAt: Date | undefined;
      if (verified.has(id)) {
        const marker = JSON.parse(
          (await readAll(await storage.get(`${id}/${VERIFIED_FILE}`))).toString('utf8'),
        ) as { verified_at?: string; manifest_id?: string };
        if (marker.manifest_id === manifest.id && marker.verified_at) {
          verifiedAt = new Date(marker.verified_at);
        }
      }
      out.push({
        id,
        createdAt: new Date(manifest.created_at),
        tags: manifest.tags,
        verifiedAt,
        storedSize: manifest.parts.reduce((sum, p) => sum + p.stored_size, 0),
      });
    } catch {
      // an unreadable manifest is not a usable backup; verifyBackup reports why
    }
  }
  return out.sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1),
  );
}

export function toReadable(data: string | Buffer): Readable {
  return Readable.from([Buffer.from(data)]);
}
