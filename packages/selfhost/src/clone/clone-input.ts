import type { KeySource } from '@supaops/backup-engine';
import type { DokployClient } from '@supaops/dokploy-client';
import { z } from 'zod';
import { clientSchema, fetchSchema, historySchema, signalSchema } from '../ops/common.js';
import type { HistoryStore } from '../safety/history.js';
import type { WizardEvent } from '../wizard/events.js';
import { type WizardInput, wizardInputSchema } from '../wizard/input.js';
import { keySourceSchema, type StorageInput, storageInputSchema } from './backup-storage.js';
import type { DataCopyStrategy } from './data-copy.js';
import { type DatabaseRef, databaseRefSchema } from './database-ref.js';

/** Where a clone goes (default: the source's Dokploy, project and environment). */
export interface CloneTarget {
  /** Another Dokploy server's client (default the source's). */
  client?: DokployClient;
  projectName?: string;
  /** Created when missing (v0.25.0+). */
  environmentName?: string;
  /** A Dokploy remote server id (default the source's, on the same Dokploy). */
  serverId?: string;
}

/** The optional data copy: databases, strategy, and the default strategy's backup options. */
export interface CloneDataOptions {
  /** Default: the source's Supavisor session string (from its env). */
  source?: DatabaseRef;
  /** Default: the clone's Supavisor session string, as poolerConnectionStrings builds it. */
  target?: DatabaseRef;
  /** Default `backupRestoreCopy(...)` with the options below. */
  copy?: DataCopyStrategy;
  storage?: StorageInput;
  encryption?: KeySource | false;
  keepBackup?: boolean;
  pgBin?: string;
}

export interface CloneInstanceInput {
  /** The source's Dokploy. */
  client: DokployClient;
  /** The source compose. */
  composeId: string;
  /** Every write of the clone is recorded here first (the target server's history). */
  history: HistoryStore;
  target?: CloneTarget;
  /** The clone's compose name (default `<source name>-clone`). */
  name?: string;
  domain: WizardInput['domain'];
  /** Default: the source's SITE_URL when it is another app, else the clone's own URL. */
  siteUrl?: string;
  /** Default: the source's list with its gateway host replaced by the clone's. */
  additionalRedirectUrls?: string[];
  /** Default: the source's SMTP settings (or its development autoconfirm). */
  smtp?: WizardInput['smtp'];
  /** Where the clone's secrets go, as the wizard's secretsOutput. */
  secretsOutput: WizardInput['secretsOutput'];
  /** A wizard state file (0600): an interrupted clone resumes with it. Default: in memory. */
  statePath?: string;
  data?: CloneDataOptions;
  onEvent?: (event: CloneEvent) => void;
  signal?: AbortSignal;
  /** The fetch of the post-deploy HTTP checks (default the global fetch). */
  fetch?: typeof fetch;
  deployTimeoutMs?: number;
  deployPollMs?: number;
  validateAttempts?: number;
  validateRetryMs?: number;
}

export type ClonePhase = 'source' | 'wizard' | 'mounts' | 'data' | 'row-counts' | 'source-check';

/** What cloneInstance tells its caller while it runs. No event holds a secret. */
export type CloneEvent =
  | { type: 'phase'; phase: ClonePhase; status: 'start' | 'done'; detail?: unknown }
  | { type: 'wizard'; event: WizardEvent }
  | { type: 'progress'; phase: ClonePhase; message: string; detail?: Record<string, unknown> }
  | { type: 'warning'; phase: ClonePhase; code: string; message: string };

const nameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and -');

const dataSchema = z
  .object({
    source: databaseRefSchema.optional(),
    target: databaseRefSchema.optional(),
    copy: z
      .custom<DataCopyStrategy>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          typeof (v as DataCopyStrategy).copy === 'function' &&
          typeof (v as DataCopyStrategy).name === 'string',
        'a DataCopyStrategy ({ name, copy(context) })',
      )
      .optional(),
    storage: storageInputSchema.optional(),
    encryption: keySourceSchema.optional(),
    keepBackup: z.boolean().optional(),
    pgBin: z.string().min(1).optional(),
  })
  .strict()
  .refine((d) => d.storage === undefined || d.encryption !== undefined, {
    message: 'give encryption (a key source, or false) with storage: a kept backup needs its key',
    path: ['encryption'],
  });

const shape = wizardInputSchema.shape;

export const cloneInputSchema = z
  .object({
    client: clientSchema,
    composeId: z.string().min(1),
    history: historySchema,
    target: z
      .object({
        client: clientSchema.optional(),
        projectName: shape.projectName.optional(),
        environmentName: shape.environmentName,
        serverId: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    name: nameSchema.optional(),
    domain: shape.domain,
    siteUrl: shape.siteUrl,
    additionalRedirectUrls: shape.additionalRedirectUrls,
    smtp: shape.smtp.optional(),
    secretsOutput: shape.secretsOutput,
    statePath: z.string().min(1).optional(),
    data: dataSchema.optional(),
    onEvent: z.custom<(event: CloneEvent) => void>((v) => typeof v === 'function').optional(),
    signal: signalSchema.optional(),
    fetch: fetchSchema.optional(),
    deployTimeoutMs: shape.deployTimeoutMs.unwrap().optional(),
    deployPollMs: shape.deployPollMs.unwrap().optional(),
    validateAttempts: shape.validateAttempts.unwrap().optional(),
    validateRetryMs: shape.validateRetryMs.unwrap().optional(),
  })
  .strict();

export type CloneAnswers = z.output<typeof cloneInputSchema>;
