import type { DokployClient } from '@supaops/dokploy-client';
import { z } from 'zod';
import { parseInput } from '../errors.js';
import { callOf, clientSchema, historySchema, signalSchema } from '../ops/common.js';
import type { HistoryStore } from './history.js';
import { assertTemplateValid, type TemplateCheck, type TemplateInput } from './template-check.js';

export interface ImportTemplateInput extends TemplateInput {
  client: DokployClient;
  history: HistoryStore;
  composeId: string;
  signal?: AbortSignal;
}

export interface ImportTemplateResult {
  readonly composeId: string;
  /** The check that passed (its warnings, `incompleteMounts`). */
  readonly check: TemplateCheck;
  /** Dokploy writes the env, mounts and Traefik labels only at deploy: redeploy to apply. */
  readonly needsRedeploy: true;
}

const schema = z
  .object({
    client: clientSchema,
    history: historySchema,
    composeId: z.string().min(1),
    compose: z.string().optional(),
    config: z.string().optional(),
    base64: z.string().min(1).optional(),
    placeholderMounts: z.enum(['error', 'warning']).optional(),
    signal: signalSchema.optional(),
  })
  .strict();

/**
 * `compose.import` made safe: the template is checked first (validateTemplate) and refused with
 * TemplateInvalidError before anything is sent, because Dokploy's import deletes the compose's
 * mounts and domains before it parses. The compose's file, env, mounts and domains are recorded
 * in the history before the import.
 */
export async function importTemplate(input: ImportTemplateInput): Promise<ImportTemplateResult> {
  const o = parseInput('importTemplate', schema, input);
  const template: TemplateInput = {
    ...(o.base64 !== undefined ? { base64: o.base64 } : {}),
    ...(o.compose !== undefined ? { compose: o.compose } : {}),
    ...(o.config !== undefined ? { config: o.config } : {}),
    ...(o.placeholderMounts ? { placeholderMounts: o.placeholderMounts } : {}),
  };
  const check = assertTemplateValid(template);
  const call = callOf(o.signal);
  const before = await o.client.compose.one({ composeId: o.composeId }, call);
  const base64 =
    o.base64 ??
    Buffer.from(JSON.stringify({ compose: o.compose, config: o.config })).toString('base64');
  await o.history.record({
    kind: 'compose.import',
    actor: 'import',
    composeId: o.composeId,
    before: {
      composeFile: before.composeFile ?? null,
      env: before.env ?? null,
      mounts: before.mounts ?? [],
      domains: before.domains ?? [],
    },
    after: { base64 },
  });
  await o.client.compose.import({ composeId: o.composeId, base64 }, call);
  return { composeId: o.composeId, check, needsRedeploy: true };
}
