import type { DokployClient } from '@supaops/dokploy-client';
import { z } from 'zod';
import type { HistoryStore } from '../safety/history.js';

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

export const callOf = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
