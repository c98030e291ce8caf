import { z } from 'zod';
import { pgConnect } from '../../libs.js';
import { defineTool } from '../../registry/types.js';
import { instanceArg, looseRecord, READ } from '../common.js';

export default defineTool({
  name: 'monitor_connections',
  title: 'Monitor connections',
  description:
    'Connections in use vs max_connections per Supabase service, with long-running and idle-in-transaction sessions.',
  group: 'database',
  annotations: { ...READ, idempotentHint: false },
  write: false,
  input: z.object({ instance: instanceArg }),
  output: z.object({
    instance: z.string(),
    maxConnections: z.number(),
    used: z.number(),
    percentUsed: z.number(),
    level: z.string(),
    recommendedPoolerPoolSize: z.number(),
    byService: looseRecord,
    data: z.string(),
  }),
  async handler(args, ctx) {
    const instance = await ctx.instance(args.instance, ['database']);
    const pg = await pgConnect();
    const r = await pg.monitorConnections(await ctx.pool(instance));
    const data = ctx.untrusted('sessions from pg_stat_activity', {
      groups: r.groups,
      idleInTransaction: r.idleInTransaction,
      longRunning: r.longRunning,
      recommendations: r.recommendations,
    });
    return {
      structured: {
        instance: instance.name,
        maxConnections: r.maxConnections,
        used: r.used,
        percentUsed: r.percentUsed,
        level: r.level,
        recommendedPoolerPoolSize: r.recommendedPoolerPoolSize,
        byService: r.byService,
        data,
      },
      text: `${r.used} of ${r.maxConnections} connections used (${r.percentUsed}%, ${r.level}); recommended pooler pool size ${r.recommendedPoolerPoolSize}. By service: ${JSON.stringify(r.byService)}\n\n${data}`,
    };
  },
});
