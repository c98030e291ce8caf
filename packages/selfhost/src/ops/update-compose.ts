import type { DokployClient } from '@supaops/dokploy-client';
import { z } from 'zod';
import { diffEnv, type EnvDiff } from '../env/diff.js';
import { editEnv } from '../env/edit.js';
import { assertEnvWritable } from '../env/guard.js';
import { parseInput } from '../errors.js';
import type { HistoryStore } from '../safety/history.js';
import {
  callOf,
  type DeployTailInput,
  type DeployTailResult,
  writeOperationSchema,
} from './common.js';
import { deployAndValidate } from './deploy-and-validate.js';

export interface UpdateComposeInput extends DeployTailInput {
  client: DokployClient;
  /** Every write is recorded here first: rollback restores from it. */
  history: HistoryStore;
  composeId: string;
  /** Keys to set and unset; every other line of the env stays byte for byte. */
  env?: { set?: Record<string, string>; unset?: string[] };
  /** A whole new compose file (raw source). */
  composeFile?: string;
  /** Who makes the change, for the history (default `operator`). */
  actor?: string;
  /** Deploy after the write so it takes effect (default false: the result says it is pending). */
  redeploy?: boolean;
}

export interface UpdateComposeResult extends DeployTailResult {
  readonly composeId: string;
  readonly envChanged: boolean;
  readonly composeFileChanged: boolean;
  /** The env diff, secrets masked. */
  readonly diff?: EnvDiff;
}

const schema = writeOperationSchema({
  env: z
    .object({
      set: z.record(z.string(), z.string()).optional(),
      unset: z.array(z.string()).optional(),
    })
    .strict()
    .optional(),
  composeFile: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
}).refine((v) => v.env !== undefined || v.composeFile !== undefined, {
  message: 'give env and/or composeFile',
});

/**
 * Changes a compose's env (through the env guard: no ciphertext or unparseable text is written
 * back) and/or its compose file, recording each write with the value before it so `rollback`
 * can restore it. Dokploy applies both only at the next deploy: `redeploy: true` does it.
 */
export async function updateCompose(input: UpdateComposeInput): Promise<UpdateComposeResult> {
  const o = parseInput('updateCompose', schema, input);
  const { client, history, composeId } = o;
  const call = callOf(o.signal);
  const actor = o.actor ?? 'operator';
  const compose = await client.compose.one({ composeId }, call);
  const before = compose.env ?? '';
  let envText = before;
  let envChanged = false;
  let diff: EnvDiff | undefined;
  if (o.env) {
    const edit = editEnv(before, { set: o.env.set ?? {}, unset: o.env.unset ?? [] });
    if (edit.text !== before) {
      assertEnvWritable(edit.text);
      await history.record({ kind: 'compose.env', actor, composeId, before, after: edit.text });
      await client.compose.update({ composeId, env: edit.text }, call);
      envText = edit.text;
      envChanged = true;
      diff = diffEnv(before, edit.text);
    }
  }
  let composeFileChanged = false;
  if (o.composeFile !== undefined && o.composeFile !== (compose.composeFile ?? '')) {
    await history.record({
      kind: 'compose.file',
      actor,
      composeId,
      before: compose.composeFile ?? '',
      after: o.composeFile,
    });
    await client.compose.update({ composeId, composeFile: o.composeFile }, call);
    composeFileChanged = true;
  }
  const changed = envChanged || composeFileChanged;
  const base = { composeId, envChanged, composeFileChanged, ...(diff ? { diff } : {}) };
  if (!changed) return { ...base, effective: true, needsRedeploy: false };
  if (!o.redeploy) return { ...base, effective: false, needsRedeploy: true };
  const done = await deployAndValidate(
    client,
    history,
    {
      composeId,
      actor,
      title: 'supaops compose update',
      env: envText,
    },
    o,
  );
  return { ...base, effective: true, needsRedeploy: false, ...done };
}
