import { z } from 'zod';
import { defineTool } from '../../registry/types.js';
import { DESTRUCTIVE, instanceArg } from '../common.js';
import { cancellable, openMigrator, runFiles, runFilesSchema } from './open-migrator.js';

const input = z.object({
  instance: instanceArg,
  last: z.number().int().min(1).max(1000).optional().describe('Newest N (default 1)'),
  to: z.string().regex(/^\d+$/).optional().describe('Revert versions newer than this'),
});

function selection(args: z.output<typeof input>): { to: string } | { last: number } {
  return args.to !== undefined ? { to: args.to } : { last: args.last ?? 1 };
}

export default defineTool({
  name: 'rollback_migration',
  title: 'Roll back migrations',
  description: 'Runs the .down.sql files of the newest applied migrations, newest first.',
  group: 'migrations',
  annotations: DESTRUCTIVE,
  write: true,
  input,
  output: z.object({ instance: z.string(), files: runFilesSchema }),
  confirmWhen: 'always',
  confirm: () => true,
  async dryRun(args, ctx) {
    const instance = await ctx.instance(args.instance, ['database']);
    const m = await openMigrator(ctx, instance);
    const report = await cancellable(ctx, 'rollback_migration', (signal) =>
      m.down({ ...selection(args), dryRun: true, signal }),
    );
    const files = runFiles(report);
    return {
      summary: `Would revert ${files.length} migration(s) on "${instance.name}": ${files.map((f) => `${f.version}_${f.name}`).join(', ') || 'none'}.`,
      details: { instance: instance.name, files },
    };
  },
  async handler(args, ctx) {
    const instance = await ctx.instance(args.instance, ['database']);
    const m = await openMigrator(ctx, instance);
    const report = await cancellable(ctx, 'rollback_migration', (signal) =>
      m.down({ ...selection(args), signal }),
    );
    return { structured: { instance: instance.name, files: runFiles(report) } };
  },
});
