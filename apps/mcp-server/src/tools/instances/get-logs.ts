import { z } from 'zod';
import { InstanceCapabilityError } from '../../errors.js';
import { defineTool } from '../../registry/types.js';
import { READ } from '../common.js';
import { logsInput, logsOutput } from '../log-lines.js';
import { composeLogs } from '../selfhost/compose-logs.js';
import { dokployTargetOf } from '../selfhost/dokploy.js';
import { sandboxLogs } from './sandbox-logs.js';

export default defineTool({
  name: 'get_logs',
  title: 'Get logs',
  description:
    "Log lines of an instance: its Dokploy compose, or the sandbox's postgres (service: a,b; since: 10m; grep: text).",
  group: 'instances',
  annotations: { ...READ, idempotentHint: false },
  write: false,
  input: logsInput,
  output: logsOutput.extend({ instance: z.string() }),
  async handler(args, ctx) {
    // `dokploy` resolved strictly when the instance has one; a sandbox is not started for this
    const instance = await ctx.instance(args.instance, ['dokploy']);
    let out: Awaited<ReturnType<typeof sandboxLogs>>;
    if (instance.dokploy) out = await composeLogs(await dokployTargetOf(instance, ctx), args, ctx);
    else if (instance.kind === 'sandbox') out = await sandboxLogs(instance, args, ctx);
    else {
      throw new InstanceCapabilityError(
        instance.name,
        'log source',
        `add "dokploy": { "server": "<a dokployServers name>", "composeId": "…" } to instance "${instance.name}" in supaops.config.json: supaops reads logs through the Dokploy API or from the local sandbox, and kind ${instance.kind} without a Dokploy compose has neither.`,
      );
    }
    return {
      structured: { instance: instance.name, ...out.structured },
      text: `${instance.name}: ${out.text}`,
    };
  },
});
