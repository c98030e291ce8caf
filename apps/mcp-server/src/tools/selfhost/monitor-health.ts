import { z } from 'zod';
import { defineTool } from '../../registry/types.js';
import { instanceArg, READ } from '../common.js';
import { healthOutput, instanceHealth } from '../instance-health.js';
import { dokployTarget } from './dokploy.js';

export default defineTool({
  name: 'dokploy_monitor_health',
  title: 'Monitor health',
  description: 'Containers, HTTP checks and connection pressure of the instance on Dokploy.',
  group: 'selfhost',
  annotations: { ...READ, idempotentHint: false },
  write: false,
  input: z.object({ instance: instanceArg }),
  output: healthOutput,
  async handler(args, ctx) {
    // get_health's code on the Dokploy part: the env's keys against its public URL
    const target = await dokployTarget(args.instance, ctx);
    return instanceHealth(target.instance, ctx, { api: false, target });
  },
});
