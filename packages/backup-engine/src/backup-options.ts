import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { backupIdSchema, storageSchema } from './backup-store.js';
import type { CompressionKind } from './compression.js';
import { connectionUrlSchema } from './connection.js';
import { type KeySource, keySourceSchema } from './keys.js';
import type { BackupManifest } from './manifest.js';
import type { ProgressListener } from './progress.js';
import type { RowCountMode } from './row-counts.js';
import type { BackupStorage } from './storage/types.js';

export interface CreateBackupOptions {
  /** postgres:// URL of the database to back up. */
  source: string;
  storage: BackupStorage;
  /** The key source, or `false` for an unencrypted backup (manifest gets a SHA-256 only). */
  encryption: KeySource | false;
  /** Default `zstd` (gzip where node:zlib lacks zstd). */
  compression?: CompressionKind;
  /** zstd 1..19 (default 1), gzip 1..9 (default 6). */
  compressionLevel?: number;
  schemaOnly?: boolean;
  dataOnly?: boolean;
  /** pg_dump schema patterns (`*`, `?`). */
  includeSchemas?: string[];
  excludeSchemas?: string[];
  /** `schema.table` patterns (`*`, `?`); unqualified names mean `public`. */
  includeTables?: string[];
  excludeTables?: string[];
  tags?: Record<string, string>;
  /** Supabase handling; `auto` (default) detects the `auth` schema and `supabase_admin` role. */
  supabase?: boolean | 'auto';
  /** Dump roles with `pg_dumpall --roles-only --no-role-passwords` (default: on for Supabase). */
  roles?: boolean;
  /**
   * Fail (`BACKUP_PERMISSION_DENIED`, naming the tables) instead of leaving out `auth`/`storage`
   * tables the role may not read (Supabase's `postgres` cannot read `auth.refresh_tokens`'
   * sequence). Default false: they are left out, listed in `warnings` and `leftOut`.
   */
  requireAllData?: boolean;
  /** Default `exact` (counted inside the dump's snapshot). */
  rowCounts?: RowCountMode;
  /** Directory of pg_dump/pg_dumpall (otherwise PG_BIN, PATH, /usr/lib/postgresql/<major>/bin). */
  pgBin?: string;
  /** log2 of the encryption chunk size (default 16 = 64 KiB). */
  chunkSizeLog2?: number;
  /** Backup id; default `<UTC timestamp>-<random>`. */
  id?: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface CreateBackupResult {
  id: string;
  manifest: BackupManifest;
  manifestKey: string;
  warnings: string[];
  /**
   * Tables and sequences of `auth`/`storage` the backup role could not read and that are
   * therefore not in the backup (also in `warnings`), each with the reason; `fix` says how to
   * include them. Empty when the backup is complete.
   */
  leftOut: { object: string; reason: string }[];
  fix: string | undefined;
}

export const createOptionsSchema = z
  .object({
    source: connectionUrlSchema,
    storage: storageSchema,
    encryption: z.union([z.literal(false), keySourceSchema]),
    compression: z.enum(['zstd', 'gzip', 'none']).optional(),
    compressionLevel: z.number().int().min(0).max(19).optional(),
    schemaOnly: z.boolean().optional(),
    dataOnly: z.boolean().optional(),
    includeSchemas: z.array(z.string().min(1)).optional(),
    excludeSchemas: z.array(z.string().min(1)).optional(),
    includeTables: z.array(z.string().min(1)).optional(),
    excludeTables: z.array(z.string().min(1)).optional(),
    tags: z.record(z.string().min(1).max(128), z.string().max(1024)).optional(),
    supabase: z.union([z.boolean(), z.literal('auto')]).optional(),
    roles: z.boolean().optional(),
    rowCounts: z.enum(['exact', 'estimated', 'none']).optional(),
    requireAllData: z.boolean().optional(),
    pgBin: z.string().min(1).optional(),
    chunkSizeLog2: z.number().int().min(10).max(24).optional(),
    id: backupIdSchema.optional(),
    onProgress: z.custom<ProgressListener>((v) => typeof v === 'function').optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  })
  .strict()
  .refine((o) => !(o.schemaOnly && o.dataOnly), 'schemaOnly and dataOnly exclude each other');

/** The options after validation. */
export type CreateOptions = z.output<typeof createOptionsSchema>;

export function newBackupId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
