import type { RestoreBackupOptions } from '@supaops/backup-engine';
import type { ResolvedInstance } from '@supaops/config';
import { z } from 'zod';
import { RestoreRefusedError } from '../../errors.js';
import { backupEngine, pgConnect } from '../../libs.js';
import { defineTool, type ToolContext } from '../../registry/types.js';
import { DESTRUCTIVE, instanceArg } from '../common.js';
import { backupSetup, bytesProgress, databaseUrl } from './storage.js';

const input = z.object({
  instance: instanceArg,
  id: z.string().min(1).max(200),
  database: z.string().min(1).max(63).optional().describe("Default: the instance's"),
  clean: z.boolean().optional().describe('Drop what the backup recreates first'),
  atomic: z.boolean().optional().describe('Restore aside, then swap by rename'),
});
type Args = z.output<typeof input>;

async function targetUrl(instance: ResolvedInstance, args: Args): Promise<string> {
  const url = databaseUrl(instance);
  if (!args.database) return url;
  const pg = await pgConnect();
  return pg.renderUrl({ ...pg.parseConnectionTarget(url), database: args.database });
}

/** The same options for the dry run (planRestore) and the restore: the plan is of this restore. */
async function restoreOptions(args: Args, ctx: ToolContext) {
  const instance = await ctx.instance(args.instance, ['database', 'backups']);
  const [engine, setup] = await Promise.all([backupEngine(), backupSetup(instance)]);
  const options: RestoreBackupOptions = {
    storage: setup.storage,
    id: args.id,
    ...(setup.key ? { key: setup.key } : {}),
    target: await targetUrl(instance, args),
    ...(args.clean ? { clean: true } : {}),
    ...(args.atomic ? { atomic: true } : {}),
    signal: ctx.signal,
    onProgress: bytesProgress(ctx),
  };
  return { instance, engine, options };
}

export default defineTool({
  name: 'restore_backup',
  title: 'Restore backup',
  description:
    'Restores a backup into the instance database (or another): pre-checks, pg_restore, row-count check.',
  group: 'backups',
  annotations: DESTRUCTIVE,
  write: true,
  input,
  output: z.object({
    instance: z.string(),
    id: z.string(),
    database: z.string(),
    previousDatabase: z.string().optional(),
    durationMs: z.number(),
    data: z.string(),
  }),
  confirmWhen: 'always',
  confirm: () => true,
  async dryRun(args, ctx) {
    const { instance, engine, options } = await restoreOptions(args, ctx);
    const pg = await pgConnect();
    // every check the restore runs before it writes, every part read in full; nothing changes
    const plan = await engine.planRestore(options);
    if (!plan.ok) throw new RestoreRefusedError(plan.refusals);
    const t = plan.target;
    const how: Record<typeof t.mode, string> = {
      create: `creating it from template "${t.template}"`,
      existing: 'into the existing database',
      clean: 'dropping the objects it recreates first',
      atomic: `restored aside and swapped in by rename (the previous database ${t.previousDatabase ?? 'kept'})`,
    };
    const checked = plan.parts.filter((p) => p.verified).map((p) => p.name);
    const manual = plan.parts.filter((p) => p.restore === 'manual').map((p) => p.name);
    const byHand = manual.length ? `; ${manual.join(', ')} not restored (by hand)` : '';
    return {
      summary: `Would restore backup ${plan.id} (${plan.sizes.stored} bytes stored; ${checked.join(', ') || 'no part'} read and checked${byHand}) into database "${t.database}" of instance "${instance.name}", ${how[t.mode]}; ${plan.rowCounts.tables} table(s) row-counted after. Every pre-check passed.`,
      details: {
        backup: { id: plan.id, ...plan.sizes },
        target: pg.redactTarget(pg.parseConnectionTarget(options.target)),
        mode: t.mode,
        exists: t.exists,
        ...(t.template ? { template: t.template } : {}),
        server: { version: t.server.version, role: t.server.role },
        parts: plan.parts.map((p) => ({
          name: p.name,
          restore: p.restore,
          rawSize: p.rawSize,
          verified: p.verified,
        })),
        rowCounts: plan.rowCounts,
        // object names and the backup's warnings come from the database
        reconcile: ctx.untrusted('what the restore would keep and skip', {
          ...plan.reconcile,
          warnings: plan.warnings,
        }),
      },
    };
  },
  async handler(args, ctx) {
    const { instance, engine, options } = await restoreOptions(args, ctx);
    const result = await engine.restoreBackup(options);
    return {
      structured: {
        instance: instance.name,
        id: result.id,
        database: result.database,
        ...(result.previousDatabase ? { previousDatabase: result.previousDatabase } : {}),
        durationMs: result.durationMs,
        data: ctx.untrusted('the row-count check of the restore', {
          rowCounts: result.rowCounts,
          skippedEntries: result.skippedEntries,
        }),
      },
    };
  },
});
