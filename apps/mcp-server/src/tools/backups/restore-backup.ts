import type { ResolvedInstance } from '@supaops/config';
import { z } from 'zod';
import { backupEngine, pgConnect } from '../../libs.js';
import { defineTool } from '../../registry/types.js';
import { DESTRUCTIVE, instanceArg } from '../common.js';
import { backupSetup, bytesProgress, databaseUrl } from './storage.js';

const input = z.object({
  instance: instanceArg,
  id: z.string().min(1).max(200),
  database: z
    .string()
    .min(1)
    .max(63)
    .optional()
    .describe("Target database (default: the instance's)"),
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
    const instance = await ctx.instance(args.instance, ['database', 'backups']);
    const [engine, setup, pg] = await Promise.all([
      backupEngine(),
      backupSetup(instance),
      pgConnect(),
    ]);
    const backup = (await engine.listBackups(setup.storage)).find((b) => b.id === args.id);
    if (!backup) {
      throw new engine.BackupNotFoundError(
        `No complete backup "${args.id}" in the storage of instance "${instance.name}". Fix: pick an id from list_backups.`,
      );
    }
    const target = pg.parseConnectionTarget(await targetUrl(instance, args));
    return {
      summary: `Would restore backup ${backup.id} (${backup.createdAt.toISOString()}, ${backup.storedSize} bytes stored, ${backup.verifiedAt ? 'verified' : 'never verified'}) into database "${target.database}" of instance "${instance.name}"${args.clean ? ', dropping the objects it recreates first' : ''}${args.atomic ? ', restored aside and swapped in by rename' : ''}.`,
      details: {
        backup: {
          id: backup.id,
          createdAt: backup.createdAt.toISOString(),
          storedBytes: backup.storedSize,
          verifiedAt: backup.verifiedAt?.toISOString() ?? null,
        },
        target: pg.redactTarget(target),
        clean: args.clean ?? false,
        atomic: args.atomic ?? false,
      },
    };
  },
  async handler(args, ctx) {
    const instance = await ctx.instance(args.instance, ['database', 'backups']);
    const [engine, setup] = await Promise.all([backupEngine(), backupSetup(instance)]);
    const result = await engine.restoreBackup({
      storage: setup.storage,
      id: args.id,
      ...(setup.key ? { key: setup.key } : {}),
      target: await targetUrl(instance, args),
      ...(args.clean ? { clean: true } : {}),
      ...(args.atomic ? { atomic: true } : {}),
      signal: ctx.signal,
      onProgress: bytesProgress(ctx),
    });
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
