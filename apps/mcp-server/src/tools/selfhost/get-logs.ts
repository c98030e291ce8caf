import { defineTool } from '../../registry/types.js';
import { READ } from '../common.js';
import { logsInput, logsOutput } from '../log-lines.js';
import { composeLogs } from './compose-logs.js';
import { dokployTarget } from './dokploy.js';

export default defineTool({
  name: 'dokploy_get_logs',
  title: 'Get logs',
  description: 'Log lines of the Dokploy compose (service: a,b; since: 10m; grep: text).',
  group: 'selfhost',
  annotations: { ...READ, idempotentHint: false },
  write: false,
  input: logsInput,
  output: logsOutput,
  async handler(args, ctx) {
    return composeLogs(await dokployTarget(args.instance, ctx), args, ctx);
  },
});
