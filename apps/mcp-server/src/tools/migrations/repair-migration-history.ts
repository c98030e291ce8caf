import { z } from 'zod';
import { defineTool } from '../../registry/types.js';
import { instanceArg, WRITE } from '../common.js';
import { cancellable, openMigrator, runFiles, runFilesSchema } from './open-migrator.js';

export default defineTool({
  name: 'repair_migration_history',
  title: 'Repair migration history',
  description:
    'Marks versions applied or reverted in the history without running SQL (supabase migration repair).',
  group: 'migrations',
  annotations: { ...WRITE, idempotentHint: true },
  write: true,
  input: z.object({
    instance: instanceArg,
    status: z.enum(['applied', 'reverted']),
    versions: z.array(z.string().regex(/^\d+$/)).min(1).max(1000).optional(),
    all: z.boolean().optional().describe('The whole history'),
  }),
  output: z.object({ instance: z.string(), files: runFilesSchema }),
  confirmWhen: '`all: true`',
  confirm: (args) => args.all === true,
  async dryRun(args, ctx) {
    const instance = await ctx.instance(args.instance, ['database']);
    const m = await openMigrator(ctx, instance);
    const status = await cancellable(ctx, 'repair_migration_history', (signal) =>
      m.status({ signal }),
    );
    return {
      summary: `Would ${args.status === 'reverted' ? 'empty' : 'rebuild from the local files'} the whole migration history of "${instance.name}" (${status.summary.applied} applied, ${status.summary.local} local).`,
      details: { instance: instance.name, summary: status.summary },
    };
  },
  async handler(args, ctx) {
    const instance = await ctx.instance(args.instance, ['database']);
    const m = await openMigrator(ctx, instance);
    const report = await cancellable(ctx, 'repair_migration_history', (signal) =>
      m.repair(
        args.all
          ? { all: true, status: args.status, signal }
          : { versions: args.versions ?? [], status: args.status, signal },
      ),
    );
    return { structured: { instance: instance.name, files: runFiles(report) } };
  },
});
