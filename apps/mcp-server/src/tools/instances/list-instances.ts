import { z } from 'zod';
import { defineTool } from '../../registry/types.js';
import { READ } from '../common.js';

export default defineTool({
  name: 'list_instances',
  title: 'List instances',
  description: 'The configured Supabase instances (no secrets) and which one is the default.',
  group: 'instances',
  annotations: READ,
  write: false,
  input: z.object({}),
  output: z.object({
    instances: z.array(
      z.object({
        name: z.string(),
        kind: z.string(),
        description: z.string().optional(),
        production: z.boolean(),
        isDefault: z.boolean(),
        hasDatabase: z.boolean(),
        apiUrl: z.string().optional(),
      }),
    ),
  }),
  async handler(_args, ctx) {
    const instances = ctx.runtime.summaries().map((i) => ({
      name: i.name,
      kind: i.kind,
      ...(i.description ? { description: i.description } : {}),
      production: i.production,
      isDefault: i.isDefault,
      hasDatabase: i.hasSession || i.hasTransaction,
      ...(i.apiUrl ? { apiUrl: i.apiUrl } : {}),
    }));
    return { structured: { instances } };
  },
});
