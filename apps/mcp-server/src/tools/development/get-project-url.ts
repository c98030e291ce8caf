import { z } from 'zod';
import { InstanceCapabilityError } from '../../errors.js';
import { defineTool } from '../../registry/types.js';
import { instanceArg, READ } from '../common.js';

export default defineTool({
  name: 'get_project_url',
  title: 'Get project URL',
  description: 'The API URL of the instance (what supabase-js createClient takes).',
  group: 'development',
  annotations: READ,
  write: false,
  input: z.object({ instance: instanceArg }),
  output: z.object({ instance: z.string(), url: z.string() }),
  async handler(args, ctx) {
    const instance = await ctx.instance(args.instance, ['api']);
    if (!instance.api?.url) {
      throw new InstanceCapabilityError(
        instance.name,
        'API URL',
        `add "api": { "url": "https://supabase.example.com" } to instance "${instance.name}" in supaops.config.json.`,
      );
    }
    return { structured: { instance: instance.name, url: instance.api.url } };
  },
});
