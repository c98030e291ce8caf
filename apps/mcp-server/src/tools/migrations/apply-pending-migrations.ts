import { z } from 'zod';
import { defineTool } from '../../registry/types.js';
import { instanceArg, WRITE } from '../common.js';
import { cancellable, openMigrator, runFiles, runFilesSchema } from './open-migrator.js';

export default defineTool({
  name: 'apply_pending_migrations',
  title: 'Apply pending migrations',
  description:
    'Applies pending migration files in order under the lock, one transaction each; dryRun rolls back.',
  group: 'migrations',
  annotations: WRITE,
  write: true,
  input: z.object({
    instance: instanceArg,
    dryRun: z.boolean().optional(),
    includeAll: z.boolean().optional().describe('Also out-of-order files'),
  }),
  output: z.object({
    instance: z.string(),
    dryRun: z.boolean(),
    files: runFilesSchema,
  }),
  async handler(args, ctx) {
    const instance = await ctx.instance(args.instance, ['database']);
    const m = await openMigrator(ctx, instance);
    const report = await cancellable(ctx, 'apply_pending_migrations', (signal) =>
      m.up({
        ...(args.dryRun ? { dryRun: true } : {}),
        ...(args.includeAll ? { includeAll: true } : {}),
        signal,
      }),
    );
    return {
      structured: { instance: instance.name, dryRun: report.dryRun, files: runFiles(report) },
    };
  },
});
