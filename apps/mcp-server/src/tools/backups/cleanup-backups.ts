import type { RetentionOptions } from '@supaops/backup-engine';
import { z } from 'zod';
import { backupEngine } from '../../libs.js';
import { defineTool } from '../../registry/types.js';
import { DESTRUCTIVE, instanceArg } from '../common.js';
import { type BackupSetup, backupSetup } from './storage.js';

const DAY_MS = 86_400_000;

const input = z.object({
  instance: instanceArg,
  keepLast: z.number().int().min(0).max(10_000).optional(),
  keepDaily: z.number().int().min(0).max(10_000).optional(),
  keepWeekly: z.number().int().min(0).max(10_000).optional(),
  keepMonthly: z.number().int().min(0).max(10_000).optional(),
  keepDays: z.number().int().min(0).max(36_500).optional().describe('Keep all younger ones'),
});
type Args = z.output<typeof input>;

/** The call's rules, else the instance's configured retention (keepDays = keep the younger ones). */
function policy(args: Args, setup: BackupSetup): Omit<RetentionOptions, 'storage'> {
  const given =
    args.keepLast ?? args.keepDaily ?? args.keepWeekly ?? args.keepMonthly ?? args.keepDays;
  const r = given === undefined ? (setup.retention ?? {}) : args;
  const keepDays = (r as { keepDays?: number }).keepDays;
  return {
    ...(r.keepLast !== undefined ? { keepLast: r.keepLast } : {}),
    ...(args.keepDaily !== undefined ? { keepDaily: args.keepDaily } : {}),
    ...(args.keepWeekly !== undefined ? { keepWeekly: args.keepWeekly } : {}),
    ...(args.keepMonthly !== undefined ? { keepMonthly: args.keepMonthly } : {}),
    ...(keepDays !== undefined ? { olderThanMs: keepDays * DAY_MS } : {}),
  };
}

export default defineTool({
  name: 'cleanup_backups',
  title: 'Clean up backups',
  description:
    "Deletes the backups that retention rules (the call's, else the config's) do not keep; the newest verified one stays.",
  group: 'backups',
  annotations: DESTRUCTIVE,
  write: true,
  input,
  output: z.object({
    instance: z.string(),
    deleted: z.array(z.string()),
    /** id → why it stays */
    kept: z.record(z.string(), z.array(z.string())),
  }),
  confirmWhen: 'always',
  confirm: () => true,
  async dryRun(args, ctx) {
    const instance = await ctx.instance(args.instance, ['backups']);
    const [engine, setup] = await Promise.all([backupEngine(), backupSetup(instance)]);
    const plan = await engine.applyRetention({
      storage: setup.storage,
      ...policy(args, setup),
      dryRun: true,
    });
    return {
      summary: `Would delete ${plan.deleted.length} backup(s) of "${instance.name}" and keep ${plan.kept.length}.`,
      details: {
        deleted: plan.deleted.map((d) => d.id),
        kept: plan.kept.map((d) => ({ id: d.id, reasons: d.reasons })),
        orphans: plan.orphans,
      },
    };
  },
  async handler(args, ctx) {
    const instance = await ctx.instance(args.instance, ['backups']);
    const [engine, setup] = await Promise.all([backupEngine(), backupSetup(instance)]);
    const result = await engine.applyRetention({ storage: setup.storage, ...policy(args, setup) });
    return {
      structured: {
        instance: instance.name,
        deleted: result.deleted.map((d) => d.id),
        kept: Object.fromEntries(result.kept.map((d) => [d.id, d.reasons])),
      },
    };
  },
});
