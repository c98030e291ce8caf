import { z } from 'zod';
import { defineTool } from '../../registry/types.js';
import { READ } from '../common.js';
import { fitPage } from './page.js';

export default defineTool({
  name: 'fetch_result_page',
  title: 'Fetch result page',
  description: 'Reads the next rows of a large execute_sql result from its cursor.',
  group: 'database',
  annotations: { ...READ, idempotentHint: false },
  write: false,
  input: z.object({
    cursor: z.string().min(1).max(100),
    limit: z.number().int().min(1).max(1000).optional().describe('Default 50'),
  }),
  output: z.object({
    instance: z.string(),
    offset: z.number(),
    returned: z.number(),
    rowCount: z.number(),
    cursor: z.string().optional(),
    columns: z.array(z.object({ name: z.string(), type: z.string() })),
    data: z.string(),
  }),
  async handler(args, ctx) {
    const { pageRows = 50, pageBytes = 16_384 } = ctx.runtime.options;
    const entry = await ctx.session.cursors.get(args.cursor);
    const rows = await entry.source.page({ offset: entry.offset, limit: args.limit ?? pageRows });
    const page = fitPage(rows, pageBytes);
    const offset = entry.offset;
    const more = await ctx.session.cursors.advance(args.cursor, offset + page.rows.length);
    const data = ctx.untrusted('rows of the SQL query result', page.rows);
    const last = offset + page.rows.length;
    return {
      structured: {
        instance: entry.meta.instance,
        offset,
        returned: page.rows.length,
        rowCount: entry.total,
        ...(more ? { cursor: args.cursor } : {}),
        columns: entry.meta.columns,
        data,
      },
      text: `Rows ${offset + 1}-${last} of ${entry.total}.${more ? ` More with cursor ${args.cursor}.` : ' End of the result.'}\n\n${data}`,
    };
  },
});
