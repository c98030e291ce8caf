import { z } from 'zod';
import { selfhost } from '../../libs.js';
import { defineTool } from '../../registry/types.js';
import { instanceArg, looseRecord, READ } from '../common.js';
import { redactEnvSecrets } from '../env-source.js';
import { deployOptions, dokployTarget } from './dokploy.js';

export default defineTool({
  name: 'dokploy_monitor_health',
  title: 'Monitor health',
  description: 'Containers, HTTP checks and connection pressure of the instance on Dokploy.',
  group: 'selfhost',
  annotations: { ...READ, idempotentHint: false },
  write: false,
  input: z.object({ instance: instanceArg }),
  output: z.object({ ok: z.boolean(), report: looseRecord }),
  async handler(args, ctx) {
    const [sh, target] = await Promise.all([selfhost(), dokployTarget(args.instance, ctx)]);
    const { instance, client, composeId } = target;
    const compose = await client.compose.one({ composeId }, { signal: ctx.signal });
    await redactEnvSecrets(compose.env ?? '', ctx);
    const hasDb = Boolean(instance.database.session ?? instance.database.transaction);
    const { fetch } = deployOptions(ctx);
    const report = await sh.checkHealth({
      client,
      composeId,
      // connection pressure only when the instance's database resolved (best-effort part)
      ...(hasDb ? { database: await ctx.pool(instance) } : {}),
      ...(fetch ? { fetch } : {}),
      signal: ctx.signal,
    });
    const bad = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.reason}`);
    return {
      structured: { ok: report.ok, report: { ...report } },
      text: `${instance.name} (compose ${composeId}): ${report.ok ? 'healthy' : 'unhealthy'}.${bad.length ? `\n${bad.join('\n')}` : ''}${report.connections ? `\nconnections: ${report.connections.used}/${report.connections.maxConnections} (${report.connections.level})` : ''}`,
    };
  },
});
