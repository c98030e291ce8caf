import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import {
  backupIdSchema,
  decodeTransforms,
  loadBackup,
  storageSchema,
  toReadable,
} from './backup-store.js';
import { CHUNK } from './compression.js';
import {
  connect,
  connectionUrlSchema,
  parseConnection,
  quoteIdent,
  withDatabase,
} from './connection.js';
import { BackupIntegrityError } from './errors.js';
import { type KeySource, keySourceSchema } from './keys.js';
import { VERIFIED_FILE } from './manifest.js';
import { openMetadata } from './metadata-part.js';
import { Meter } from './meter.js';
import { findPgTool } from './pg-tools.js';
import { type ProgressListener, ProgressTracker } from './progress.js';
import { OWNED_READS, ReleasingSink } from './release.js';
import { type RestoreBackupResult, restoreBackup } from './restore-backup.js';
import type { BackupStorage } from './storage/types.js';
import { readToc } from './toc.js';
import { parseInput } from './validation.js';

export interface VerifyBackupOptions {
  storage: BackupStorage;
  id: string;
  /** Required for encrypted backups. */
  key?: KeySource;
  /** Run `pg_restore --list` on each archive part (default true). */
  listContents?: boolean;
  /**
   * Restore into a scratch database on this server (a postgres:// URL of a role that may
   * create databases) and compare row counts with the manifest; the scratch database is dropped.
   */
  restoreTest?: {
    server: string;
    keepDatabase?: boolean;
    /**
     * Database to copy the scratch database from (default: an empty one from template0). A
     * Supabase backup needs a Supabase-initialised template, since its `supabase-data` part
     * fills the platform's own `auth`/`storage` tables.
     */
    template?: string;
  };
  /** Write `<id>/verified.json` on success (default true); retention protects the newest one. */
  markVerified?: boolean;
  pgBin?: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface VerifyBackupResult {
  id: string;
  /** `hmac` (encrypted) or `sha256` (unencrypted) manifest authentication. */
  manifestAuthentication: 'hmac' | 'sha256';
  parts: { name: string; rawSize: number; storedSize: number; tocEntries: number | undefined }[];
  /** Objects and database settings in the manifest's metadata (absent in older backups). */
  metadata: { acls: number; settingScopes: number } | undefined;
  restoreTest: (RestoreBackupResult & { scratchDatabase: string }) | undefined;
  verifiedAt: string;
}

const optionsSchema = z
  .object({
    storage: storageSchema,
    id: backupIdSchema,
    key: keySourceSchema.optional(),
    listContents: z.boolean().optional(),
    restoreTest: z
      .object({
        server: connectionUrlSchema,
        keepDatabase: z.boolean().optional(),
        template: z.string().min(1).max(63).optional(),
      })
      .strict()
      .optional(),
    markVerified: z.boolean().optional(),
    pgBin: z.string().min(1).optional(),
    onProgress: z.custom<ProgressListener>((v) => typeof v === 'function').optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  })
  .strict();

function discard(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

/**
 * Verifies a backup end to end: authenticates the manifest, downloads, decrypts, decompresses
 * and hashes every part against the manifest, lists each archive's table of contents with
 * `pg_restore --list`, and optionally restores into a scratch database and compares row counts.
 */
export async function verifyBackup(options: VerifyBackupOptions): Promise<VerifyBackupResult> {
  const opts = parseInput(optionsSchema, options, 'verifyBackup options');
  const loaded = await loadBackup(opts.storage, opts.id, opts.key);
  const { manifest } = loaded;
  const parts: VerifyBackupResult['parts'] = [];
  for (const part of manifest.parts) {
    const stored = new Meter(
      new ProgressTracker('verify', part.name, part.stored_size, opts.onProgress),
    );
    const raw = new Meter();
    const source = await opts.storage.get(part.key);
    // local reads and the decoded chunks are this pipeline's own: freed once used (release.ts)
    const owned = (opts.storage as { [OWNED_READS]?: boolean })[OWNED_READS] === true;
    const sink =
      manifest.compression.algorithm === 'none' ? discard() : new ReleasingSink(discard(), CHUNK);
    await pipeline([source, stored, ...decodeTransforms(loaded, owned), raw, sink], {
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (stored.bytes !== part.stored_size || stored.sha256() !== part.stored_sha256) {
      throw new BackupIntegrityError(
        'BACKUP_HASH_MISMATCH',
        `The stored object ${part.key} has ${stored.bytes} bytes and SHA-256 ${stored.sha256().slice(0, 16)}…, the manifest says ${part.stored_size} bytes and ${part.stored_sha256.slice(0, 16)}…. Fix: the object was replaced or corrupted; use another copy.`,
      );
    }
    if (raw.bytes !== part.raw_size || raw.sha256() !== part.raw_sha256) {
      throw new BackupIntegrityError(
        'BACKUP_HASH_MISMATCH',
        `The decoded ${part.name} part has ${raw.bytes} bytes and a different SHA-256 than the manifest records. Fix: use another copy of the backup.`,
      );
    }
    let tocEntries: number | undefined;
    if (part.format === 'pg_dump-custom' && opts.listContents !== false) {
      const tool = await findPgTool('pg_restore', {
        minMajor: manifest.pg_dump.major,
        ...(opts.pgBin ? { pgBin: opts.pgBin } : {}),
      });
      const listing = await readToc(opts.storage, loaded, part.key, tool);
      tocEntries = listing
        .split('\n')
        .filter((line) => line.trim() && !line.startsWith(';')).length;
    }
    parts.push({ name: part.name, rawSize: raw.bytes, storedSize: stored.bytes, tocEntries });
  }

  let restoreTest: VerifyBackupResult['restoreTest'];
  if (opts.restoreTest) {
    const server = parseConnection(opts.restoreTest.server);
    const scratch = `supaops_verify_${manifest.id
      .replace(/[^a-z0-9]/gi, '')
      .slice(-12)
      .toLowerCase()}_${randomBytes(3).toString('hex')}`;
    const scratchUrl = withDatabase(server, scratch).url;
    try {
      const result = await restoreBackup({
        storage: opts.storage,
        id: opts.id,
        ...(opts.key ? { key: opts.key } : {}),
        target: scratchUrl,
        ...(opts.restoreTest.template ? { template: opts.restoreTest.template } : {}),
        ...(opts.pgBin ? { pgBin: opts.pgBin } : {}),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      restoreTest = { ...result, scratchDatabase: scratch };
    } finally {
      if (!opts.restoreTest.keepDatabase) {
        const admin = await connect(withDatabase(server, 'postgres'), 'scratch database cleanup');
        await admin
          .query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`)
          .catch(() => {});
        await admin.end();
      }
    }
  }

  // the metadata decrypts and has its shape (its bytes are under the manifest's HMAC)
  const opened = manifest.metadata
    ? await openMetadata(manifest.metadata, loaded.master, `backup ${manifest.id}`)
    : undefined;
  const metadata = opened
    ? { acls: opened.acls?.length ?? 0, settingScopes: opened.database_settings.length }
    : undefined;
  const verifiedAt = new Date().toISOString();
  if (opts.markVerified !== false) {
    await opts.storage.put(
      `${opts.id}/${VERIFIED_FILE}`,
      toReadable(
        `${JSON.stringify({ manifest_id: manifest.id, verified_at: verifiedAt, restore_tested: Boolean(restoreTest) }, null, 2)}\n`,
      ),
    );
  }
  return {
    id: manifest.id,
    manifestAuthentication: loaded.authenticated,
    parts,
    metadata,
    restoreTest,
    verifiedAt,
  };
}
