import { z } from 'zod';
import { defineTool } from '../../registry/types.js';
import { instanceArg, READ } from '../common.js';
import { healthOutput, instanceHealth } from '../instance-health.js';

export default defineTool({
  name: 'get_health',
  title: 'Get health',
  description:
    "Health of any instance from the parts it has: Dokploy containers, the API's HTTP checks with the config's keys, database connection pressure.",
  group: 'instances',
  annotations: { ...READ, idempotentHint: false },
  write: false,
  input: z.object({ instance: instanceArg }),
  output: healthOutput.extend({ instance: z.string() }),
  async handler(args, ctx) {
    // every configured part is needed: one whose reference does not resolve fails with its name
    const instance = await ctx.instance(args.instance, ['dokploy', 'api', 'database']);
    const out = await instanceHealth(instance, ctx, { api: true });
    return { structured: { instance: instance.name, ...out.structured }, text: out.text };
  },
});
