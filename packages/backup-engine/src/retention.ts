import { z } from 'zod';
import { type BackupSummary, listBackups, storageSchema } from './backup-store.js';
import { BackupValidationError } from './errors.js';
import { MANIFEST_FILE } from './manifest.js';
import type { BackupStorage } from './storage/types.js';
import { parseInput } from './validation.js';

export interface RetentionOptions {
  storage: BackupStorage;
  /** Keep the N newest backups. */
  keepLast?: number;
  /** Keep the newest backup of each of the N most recent days (UTC) that have backups. */
  keepDaily?: number;
  /** Same per ISO week. */
  keepWeekly?: number;
  /** Same per calendar month. */
  keepMonthly?: number;
  /** Only backups older than this many milliseconds may be deleted. */
  olderThanMs?: number;
  /** List what would go, delete nothing. */
  dryRun?: boolean;
  /** Also delete objects of backups that never got a manifest, older than this (default 24 h). */
  orphanAfterMs?: number;
  /** Clock for the age rules (tests). */
  now?: Date;
}

export interface RetentionDecision {
  id: string;
  createdAt: Date;
  /** Why it stays: `last`, `daily`, `weekly`, `monthly`, `newest-verified`, `too-young`. */
  reasons: string[];
}

export interface RetentionResult {
  dryRun: boolean;
  kept: RetentionDecision[];
  deleted: RetentionDecision[];
  /** Ids of incomplete backups (no manifest) whose objects were (or would be) removed. */
  orphans: string[];
  /** The newest verified backup, always kept. */
  protectedId: string | undefined;
}

const optionsSchema = z
  .object({
    storage: storageSchema,
    keepLast: z.number().int().min(0).optional(),
    keepDaily: z.number().int().min(0).optional(),
    keepWeekly: z.number().int().min(0).optional(),
    keepMonthly: z.number().int().min(0).optional(),
    olderThanMs: z.number().int().min(0).optional(),
    dryRun: z.boolean().optional(),
    orphanAfterMs: z.number().int().min(0).optional(),
    now: z.date().optional(),
  })
  .strict();

function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d.getTime() - yearStart.getTime()) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

const bucketers: Record<'daily' | 'weekly' | 'monthly', (d: Date) => string> = {
  daily: (d) => d.toISOString().slice(0, 10),
  weekly: isoWeek,
  monthly: (d) => d.toISOString().slice(0, 7),
};

/** Decides which backups a policy keeps; pure, newest first in the result. */
export function planRetention(
  backups: BackupSummary[],
  policy: Omit<RetentionOptions, 'storage' | 'dryRun' | 'orphanAfterMs'>,
): { kept: RetentionDecision[]; deleted: RetentionDecision[]; protectedId: string | undefined } {
  const newestFirst = [...backups].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const reasons = new Map<string, string[]>(newestFirst.map((b) => [b.id, []]));
  const hasKeepRule =
    policy.keepLast !== undefined ||
    policy.keepDaily !== undefined ||
    policy.keepWeekly !== undefined ||
    policy.keepMonthly !== undefined;
  newestFirst.slice(0, policy.keepLast ?? 0).forEach((b) => {
    reasons.get(b.id)!.push('last');
  });
  for (const kind of ['daily', 'weekly', 'monthly'] as const) {
    const limit =
      policy[kind === 'daily' ? 'keepDaily' : kind === 'weekly' ? 'keepWeekly' : 'keepMonthly'] ??
      0;
    const seen = new Set<string>();
    for (const b of newestFirst) {
      if (seen.size >= limit) break;
      const bucket = bucketers[kind](b.createdAt);
      if (seen.has(bucket)) continue;
      seen.add(bucket);
      reasons.get(b.id)!.push(kind);
    }
  }
  const now = (policy.now ?? new Date()).getTime();
  if (policy.olderThanMs !== undefined) {
    for (const b of newestFirst) {
      if (now - b.createdAt.getTime() < policy.olderThanMs) reasons.get(b.id)!.push('too-young');
    }
  } else if (!hasKeepRule) {
    // no rule at all keeps everything (applyRetention refuses this case earlier)
    for (const b of newestFirst) reasons.get(b.id)!.push('no-rule');
  }
  const newestVerified = newestFirst.find((b) => b.verifiedAt !== undefined);
  if (newestVerified) reasons.get(newestVerified.id)!.push('newest-verified');
  const kept: RetentionDecision[] = [];
  const deleted: RetentionDecision[] = [];
  for (const b of newestFirst) {
    const decision = { id: b.id, createdAt: b.createdAt, reasons: reasons.get(b.id)! };
    (decision.reasons.length > 0 ? kept : deleted).push(decision);
  }
  return { kept, deleted, protectedId: newestVerified?.id };
}

/**
 * Applies a retention policy: keep-last N, daily/weekly/monthly buckets and an age limit.
 * The newest verified backup is never deleted. With `dryRun`, nothing is deleted.
 */
export async function applyRetention(options: RetentionOptions): Promise<RetentionResult> {
  const opts = parseInput(optionsSchema, options, 'applyRetention options');
  if (
    opts.keepLast === undefined &&
    opts.keepDaily === undefined &&
    opts.keepWeekly === undefined &&
    opts.keepMonthly === undefined &&
    opts.olderThanMs === undefined
  ) {
    throw new BackupValidationError('applyRetention options', [
      'no rule given (keepLast, keepDaily, keepWeekly, keepMonthly or olderThanMs); refusing to delete every backup',
    ]);
  }
  const backups = await listBackups(opts.storage);
  const plan = planRetention(backups, opts);
  const objects = await opts.storage.list('');
  const complete = new Set(backups.map((b) => b.id));
  const withManifest = new Set(
    objects.filter((o) => o.key.endsWith(`/${MANIFEST_FILE}`)).map((o) => o.key.split('/')[0]!),
  );
  const now = (opts.now ?? new Date()).getTime();
  const orphanAfter = opts.orphanAfterMs ?? 86_400_000;
  const orphanKeys = objects.filter((o) => {
    const id = o.key.split('/')[0]!;
    return (
      !complete.has(id) && !withManifest.has(id) && now - o.lastModified.getTime() >= orphanAfter
    );
  });
  const orphans = [...new Set(orphanKeys.map((o) => o.key.split('/')[0]!))];
  if (!opts.dryRun) {
    for (const decision of plan.deleted) {
      // the manifest goes first: a half-deleted backup is then no longer listed as complete
      await opts.storage.delete(`${decision.id}/${MANIFEST_FILE}`);
      for (const o of objects.filter((x) => x.key.startsWith(`${decision.id}/`))) {
        if (o.key !== `${decision.id}/${MANIFEST_FILE}`) await opts.storage.delete(o.key);
      }
    }
    for (const o of orphanKeys) await opts.storage.delete(o.key);
  }
  return { dryRun: Boolean(opts.dryRun), ...plan, orphans };
}
