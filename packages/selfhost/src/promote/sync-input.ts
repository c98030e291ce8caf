import type { KeySource } from '@supaops/backup-engine';
import type { MigratorEvent } from '@supaops/migrator';
import type { ConnectionTarget } from '@supaops/pg-connect';
import { z } from 'zod';
import { keySourceSchema, type StorageInput, storageInputSchema } from '../clone/backup-storage.js';
import { databaseRefSchema } from '../clone/database-ref.js';
import { signalSchema } from '../ops/common.js';

/** Sync strategies: only `migrations` exists; `diff` (a schema diff) is planned. */
export const SYNC_STRATEGIES = ['migrations', 'diff'] as const;
export type SyncStrategy = (typeof SYNC_STRATEGIES)[number];

/** Where the target's backup goes before any migration is applied. */
export interface SyncBackupOptions {
  storage: StorageInput;
  /** A backup-engine key source, or false for an unencrypted backup (an explicit choice). */
  encryption: KeySource | false;
  /** Read the backup back in full (hashes, pg_restore --list) before going on (default true). */
  verify?: boolean;
  pgBin?: string;
}

export interface SyncSchemaInput {
  /** The database whose migration history is the truth (a URL or a pg-connect target). */
  source: string | ConnectionTarget;
  /** The database that gets the migrations it lacks. */
  target: string | ConnectionTarget;
  /** The source's migrations directory (supabase/migrations). */
  migrationsDir: string;
  /** Required unless `dryRun`. */
  backup?: SyncBackupOptions;
  strategy?: SyncStrategy;
  /** The plan only: no backup, no write. */
  dryRun?: boolean;
  /** The migrator's lock: `fail` at once when held (default) or `wait` up to `timeoutMs`. */
  lock?: { mode?: 'fail' | 'wait'; timeoutMs?: number };
  onEvent?: (event: SyncEvent) => void;
  signal?: AbortSignal;
}

export type SyncPhase = 'plan' | 'backup' | 'apply' | 'verify';

/** What syncSchema tells its caller while it runs (no secret, URLs never included). */
export type SyncEvent =
  | { type: 'phase'; phase: SyncPhase; status: 'start' | 'done'; detail?: unknown }
  | { type: 'migration'; event: MigratorEvent }
  | { type: 'progress'; phase: SyncPhase; message: string; detail?: Record<string, unknown> };

const connectionSchema = databaseRefSchema.refine((v) => typeof v !== 'function', {
  message: 'a URL or a pg-connect target (functions are for instances: promoteDeployment)',
});

export const syncInputSchema = z
  .object({
    source: connectionSchema,
    target: connectionSchema,
    migrationsDir: z.string().min(1),
    backup: z
      .object({
        storage: storageInputSchema,
        encryption: keySourceSchema,
        verify: z.boolean().optional(),
        pgBin: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    strategy: z.enum(SYNC_STRATEGIES).optional(),
    dryRun: z.boolean().optional(),
    lock: z
      .object({
        mode: z.enum(['fail', 'wait']).optional(),
        timeoutMs: z.number().int().min(0).max(3_600_000).optional(),
      })
      .strict()
      .optional(),
    onEvent: z.custom<(event: SyncEvent) => void>((v) => typeof v === 'function').optional(),
    signal: signalSchema.optional(),
  })
  .strict()
  .refine((o) => o.dryRun === true || o.backup !== undefined, {
    message: 'give backup: { storage, encryption }: the target is backed up before any migration',
    path: ['backup'],
  });

export type SyncAnswers = z.output<typeof syncInputSchema>;
