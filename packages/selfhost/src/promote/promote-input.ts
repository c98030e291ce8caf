import type { DokployClient } from '@supaops/dokploy-client';
import { z } from 'zod';
import { type DatabaseRef, databaseRefSchema } from '../clone/database-ref.js';
import {
  clientSchema,
  type DeployTailInput,
  deployOptionsShape,
  historySchema,
} from '../ops/common.js';
import type { HistoryStore } from '../safety/history.js';
import {
  SYNC_STRATEGIES,
  type SyncBackupOptions,
  type SyncEvent,
  type SyncSchemaInput,
  type SyncStrategy,
  syncInputSchema,
} from './sync-input.js';

/** One end of a promotion: a Dokploy compose and (optionally) how to reach its database. */
export interface PromoteInstance {
  client: DokployClient;
  composeId: string;
  /** Default: the instance's Supavisor session string, built from its env. */
  database?: DatabaseRef;
}

export interface PromoteTarget extends PromoteInstance {
  /** Every compose write is recorded here first, so `rollback` can undo it. */
  history: HistoryStore;
  /** The instance is production (config `labels.production`): needs `confirmProduction`. */
  production?: boolean;
}

export interface PromoteDeploymentInput extends DeployTailInput {
  /** dev → staging, staging → prod: the instance whose schema (and images) go forward. */
  source: PromoteInstance;
  target: PromoteTarget;
  /** The source's migrations directory. */
  migrationsDir: string;
  /** Where the target's backup goes before any migration (required unless `dryRun`). */
  backup?: SyncBackupOptions;
  /** Required when the target is labelled production. */
  confirmProduction?: boolean;
  /** Also give the target's services the source's images (a compose-file change; default false). */
  alignImages?: boolean;
  /** Redeploy after the images changed, then validate (default true). */
  redeploy?: boolean;
  strategy?: SyncStrategy;
  dryRun?: boolean;
  lock?: SyncSchemaInput['lock'];
  onEvent?: (event: PromoteEvent) => void;
}

export type PromotePhase = 'read' | 'schema' | 'images' | 'deploy';

/** What promoteDeployment tells its caller while it runs (no secret). */
export type PromoteEvent =
  | { type: 'phase'; phase: PromotePhase; status: 'start' | 'done'; detail?: unknown }
  | { type: 'sync'; event: SyncEvent }
  | { type: 'warning'; phase: PromotePhase; code: string; message: string };

const instanceShape = {
  client: clientSchema,
  composeId: z.string().min(1),
  database: databaseRefSchema.optional(),
};

const syncShape = syncInputSchema.shape;

export const promoteInputSchema = z
  .object({
    source: z.object(instanceShape).strict(),
    target: z
      .object({ ...instanceShape, history: historySchema, production: z.boolean().optional() })
      .strict(),
    migrationsDir: z.string().min(1),
    backup: syncShape.backup,
    confirmProduction: z.boolean().optional(),
    alignImages: z.boolean().optional(),
    redeploy: z.boolean().optional(),
    strategy: z.enum(SYNC_STRATEGIES).optional(),
    dryRun: z.boolean().optional(),
    lock: syncShape.lock,
    onEvent: z.custom<(event: PromoteEvent) => void>((v) => typeof v === 'function').optional(),
    ...deployOptionsShape,
  })
  .strict()
  .refine((o) => o.dryRun === true || o.backup !== undefined, {
    message: 'give backup: { storage, encryption }: the target is backed up before any migration',
    path: ['backup'],
  });
