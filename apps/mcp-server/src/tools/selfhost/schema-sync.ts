import type { ResolvedInstance } from '@supaops/config';
import type { SyncBackupOptions, SyncEvent, SyncSchemaResult } from '@supaops/selfhost';
import { z } from 'zod';
import { ToolCancelledError } from '../../errors.js';
import { selfhost } from '../../libs.js';
import type { ToolContext } from '../../registry/types.js';
import { backupSetup } from '../backups/storage.js';
import { looseRecord } from '../common.js';
import { type PhaseProgress, syncEventMessage } from './phase-progress.js';

/**
 * Where the target's backup goes before a migration: the target instance's `backups`, resolved
 * as the backup tools do (an instance without one fails with the fix). No encryption key in the
 * config means an unencrypted backup, the config's own choice.
 */
export async function syncBackupOf(
  target: ResolvedInstance,
): Promise<{ backup: SyncBackupOptions; where: string }> {
  const setup = await backupSetup(target);
  return {
    backup: { storage: setup.storage, encryption: setup.key ?? false },
    where: setup.storage.description,
  };
}

/** A dry run that found divergence: refused before any token, with the library's fixes. */
export async function refuseDivergence(result: SyncSchemaResult): Promise<void> {
  if (result.divergence.length === 0) return;
  const sh = await selfhost();
  throw new sh.SchemaDivergenceError(result.divergence);
}

const label = (m: { version: string; name: string }) => `${m.version} ${m.name}`;

/** The schema part of a sync or promote result. */
export const schemaOutput = z.object({
  applied: z.array(z.string()),
  alreadyPresent: z.number(),
  skipped: z.array(z.string()),
  historiesMatch: z.boolean(),
  backup: looseRecord.optional(),
});

export function schemaResult(result: SyncSchemaResult): z.output<typeof schemaOutput> {
  return {
    applied: result.applied.map(label),
    alreadyPresent: result.alreadyPresent.length,
    skipped: result.skipped.map((m) => `${label(m)}: ${m.reason}`),
    historiesMatch: result.histories.match,
    ...(result.backup ? { backup: { ...result.backup } } : {}),
  };
}

/** What the dry run of a sync shows: the plan, with the skipped files and both histories. */
export function schemaPlan(result: SyncSchemaResult, where: string) {
  return {
    toApply: result.applied.map(label),
    alreadyPresent: result.alreadyPresent.map(label),
    skipped: result.skipped.map((m) => `${label(m)}: ${m.reason}`),
    backupTo: result.applied.length ? where : '(nothing to apply: no backup)',
    histories: {
      source: result.histories.source.length,
      target: result.histories.target.length,
      match: result.histories.match,
    },
  };
}

/** Sync events as progress. */
export function syncProgress(progress: PhaseProgress, prefix = ''): (e: SyncEvent) => void {
  return (e) => {
    const { milestone, message } = syncEventMessage(e);
    if (milestone) progress.milestone(`${prefix}${message}`);
    else progress.note(`${prefix}${message}`);
  };
}

/** A sync or promote the client cancelled: the library's abort as the server's cancellation. */
export async function cancelled(error: unknown, what: string, ctx: ToolContext): Promise<never> {
  if (!ctx.signal.aborted) throw error;
  const sh = await selfhost();
  const phase = sh.SyncAbortedError.isInstance(error) ? ` during "${error.phase}"` : '';
  throw new ToolCancelledError(
    what,
    `It stopped${phase}; migrations committed before it stay applied, an interrupted one was rolled back, and a compose write already made is recorded (dokploy_rollback undoes it).`,
    'call the tool again: the migrations already applied are skipped.',
    { cause: error },
  );
}
