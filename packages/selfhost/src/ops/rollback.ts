import type { DokployClient } from '@supaops/dokploy-client';
import { z } from 'zod';
import { diffEnv, type EnvDiff } from '../env/diff.js';
import { assertEnvWritable } from '../env/guard.js';
import { parseInput } from '../errors.js';
import type { HistoryRecord, HistoryStore } from '../safety/history.js';
import {
  callOf,
  type DeployTailInput,
  type DeployTailResult,
  writeOperationSchema,
} from './common.js';
import { deployAndValidate } from './deploy-and-validate.js';
import { RollbackStaleError, RollbackUnavailableError } from './ops-errors.js';

export interface RollbackInput extends DeployTailInput {
  client: DokployClient;
  history: HistoryStore;
  composeId: string;
  /** Show what would be restored; nothing is written (default false). */
  dryRun?: boolean;
  /** Restore even when the compose changed after the recorded write (default false). */
  force?: boolean;
  /** Deploy after the restore so it takes effect (default true). */
  redeploy?: boolean;
}

/** The recorded change a rollback undoes, without its values. */
export interface RollbackTarget {
  readonly recordId: string;
  readonly kind: 'compose.env' | 'compose.file';
  readonly actor: string;
  readonly at: string;
}

export interface RollbackResult extends DeployTailResult {
  readonly composeId: string;
  readonly applied: boolean;
  readonly target: RollbackTarget;
  /** For an env restore: what changes back, secrets masked. */
  readonly diff?: EnvDiff;
  /** The rollback's own history record (so a later rollback goes one step further back). */
  readonly recordId?: string;
}

const schema = writeOperationSchema({
  dryRun: z.boolean().optional(),
  force: z.boolean().optional(),
});

type Undoable = HistoryRecord & { kind: 'compose.env' | 'compose.file' };

/**
 * The newest env or compose-file write of the compose that is neither a rollback nor undone by
 * one: repeated rollbacks walk back through the history one change at a time.
 */
export function rollbackTarget(
  records: readonly HistoryRecord[],
  composeId: string,
): Undoable | undefined {
  const undone = new Set<string>();
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i] as HistoryRecord;
    if (r.composeId !== composeId) continue;
    if (r.kind !== 'compose.env' && r.kind !== 'compose.file') continue;
    if (r.rollbackOf) {
      undone.add(r.rollbackOf);
      continue;
    }
    if (undone.has(r.id) || typeof r.before !== 'string' || typeof r.after !== 'string') continue;
    return r as Undoable;
  }
  return undefined;
}

/**
 * Restores the value before the last recorded env or compose-file change of a compose: checks
 * that the compose still holds what that change wrote (RollbackStaleError otherwise, unless
 * `force`), writes the recorded text byte for byte through the env guard, records the rollback
 * itself, redeploys and validates.
 */
export async function rollback(input: RollbackInput): Promise<RollbackResult> {
  const o = parseInput('rollback', schema, input);
  const { client, history, composeId } = o;
  const call = callOf(o.signal);
  const record = rollbackTarget(await history.list(), composeId);
  if (!record) throw new RollbackUnavailableError(composeId, history.dir);
  const target: RollbackTarget = {
    recordId: record.id,
    kind: record.kind,
    actor: record.actor,
    at: record.at,
  };
  const restore = record.before as string;
  const compose = await client.compose.one({ composeId }, call);
  const isEnv = record.kind === 'compose.env';
  const current = (isEnv ? compose.env : compose.composeFile) ?? '';
  const diff = isEnv ? diffEnv(current, restore) : undefined;
  const base = { composeId, target, ...(diff ? { diff } : {}) };
  if (o.dryRun) return { ...base, applied: false, effective: false, needsRedeploy: false };
  if (current !== record.after && !o.force)
    throw new RollbackStaleError(composeId, record.id, isEnv ? 'env' : 'compose file');
  if (isEnv) assertEnvWritable(restore);
  const own = await history.record({
    kind: record.kind,
    actor: 'rollback',
    composeId,
    rollbackOf: record.id,
    before: current,
    after: restore,
  });
  await client.compose.update(
    isEnv ? { composeId, env: restore } : { composeId, composeFile: restore },
    call,
  );
  const written = { ...base, applied: true, recordId: own.id };
  if (o.redeploy === false) return { ...written, effective: false, needsRedeploy: true };
  const done = await deployAndValidate(
    client,
    history,
    {
      composeId,
      actor: 'rollback',
      title: 'supaops rollback',
      env: isEnv ? restore : (compose.env ?? ''),
    },
    o,
  );
  return { ...written, effective: true, needsRedeploy: false, ...done };
}
