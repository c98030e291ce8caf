import type { DokployClient } from '@supaops/dokploy-client';
import { z } from 'zod';
import type { HistoryStore } from '../safety/history.js';
import type { DeploymentReport } from '../validate/validate-deployment.js';

/** zod pieces shared by the day-2 operations' input schemas. */
export const clientSchema = z.custom<DokployClient>(
  (v) => typeof v === 'object' && v !== null && 'compose' in v && 'docker' in v,
  'a DokployClient of @supaops/dokploy-client',
);
export const historySchema = z.custom<HistoryStore>(
  (v) => typeof v === 'object' && v !== null && 'record' in v && 'list' in v,
  'a HistoryStore (createHistoryStore)',
);
export const signalSchema = z.custom<AbortSignal>((v) => v instanceof AbortSignal);
export const fetchSchema = z.custom<typeof fetch>((v) => typeof v === 'function', 'a fetch');

/** Options of the redeploy-and-validate tail every write operation shares. */
export const deployOptionsShape = {
  timeoutMs: z.number().int().min(1000).optional(),
  pollMs: z.number().int().min(1).optional(),
  validate: z.boolean().optional(),
  validateAttempts: z.number().int().min(1).max(100).optional(),
  validateRetryMs: z.number().int().min(0).optional(),
  fetch: fetchSchema.optional(),
  signal: signalSchema.optional(),
};

/** The redeploy-and-validate options of a write operation's input (its `redeploy` flag apart). */
export interface DeployTailInput {
  validate?: boolean;
  timeoutMs?: number;
  pollMs?: number;
  validateAttempts?: number;
  validateRetryMs?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** How far a write operation's change has gone: written only, or redeployed (and validated). */
export interface DeployTailResult {
  /** Whether the running stack uses the change now (only after a redeploy). */
  readonly effective: boolean;
  readonly needsRedeploy: boolean;
  readonly deploymentId?: string;
  readonly validation?: DeploymentReport;
}

/**
 * The input schema of a write operation on one compose: client, history and composeId first, the
 * operation's own fields, then `redeploy` and the deploy options, in that order (zod lists issues
 * in shape order).
 */
export function writeOperationSchema<S extends z.ZodRawShape>(shape: S) {
  return z
    .object({
      client: clientSchema,
      history: historySchema,
      composeId: z.string().min(1),
      ...shape,
      redeploy: z.boolean().optional(),
      ...deployOptionsShape,
    })
    .strict();
}

export const callOf = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
