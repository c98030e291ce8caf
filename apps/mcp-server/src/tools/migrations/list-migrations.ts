import { z } from 'zod';
import { defineTool } from '../../registry/types.js';
import { instanceArg, READ } from '../common.js';
import { cancellable, openMigrator } from './open-migrator.js';

export default defineTool({
  name: 'list_migrations',
  title: 'List migrations',
  description:
    'Local migration files vs the instance history: applied, pending, out of order, missing locally, changed (drift).',
  group: 'migrations',
  annotations: READ,
  write: false,
  input: z.object({ instance: instanceArg }),
  output: z.object({
    instance: z.string(),
    summary: z.record(z.string(), z.number()),
    pending: z.array(z.string()),
    drifted: z.array(z.string()),
    data: z.string(),
  }),
  async handler(args, ctx) {
    const instance = await ctx.instance(args.instance, ['database']);
    const m = await openMigrator(ctx, instance);
    const status = await cancellable(ctx, 'list_migrations', (signal) => m.status({ signal }));
    const data = ctx.untrusted(
      'the migration history',
      status.entries.map((e) => ({
        version: e.version,
        name: e.name,
        state: e.state,
        drift: e.drift,
        appliedAt: e.appliedAt,
      })),
    );
    return {
      structured: {
        instance: instance.name,
        summary: status.summary,
        pending: status.pending,
        drifted: status.drifted,
        data,
      },
      text: `${JSON.stringify(status.summary)}; pending: ${status.pending.join(', ') || 'none'}; drifted: ${status.drifted.join(', ') || 'none'}\n\n${data}`,
    };
  },
});
