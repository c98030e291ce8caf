import type { ResolvedInstance } from '@supaops/config';
import { z } from 'zod';
import { migrator, pgConnect } from '../../libs.js';
import { defineTool, type ToolContext } from '../../registry/types.js';
import { instanceArg } from '../common.js';
import { fitPage } from './page.js';

const input = z.object({
  instance: instanceArg,
  sql: z.string().min(1).max(1_000_000),
  params: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  role: z.string().min(1).max(63).optional().describe("SET LOCAL ROLE; 'auto': the owner"),
  // its default (true on production) is in the description
  readOnly: z.boolean().optional(),
});
type Args = z.output<typeof input>;

function readOnlyFor(args: Args, instance: ResolvedInstance, ctx: ToolContext): boolean {
  return ctx.readOnly || (args.readOnly ?? instance.production);
}

async function statementsOf(sql: string): Promise<string[]> {
  const { splitStatements } = await migrator();
  return splitStatements(sql);
}

/** The statements that need a person's yes, by pg-connect's classifier (with its reasons). */
async function destructiveOf(sql: string) {
  const pg = await pgConnect();
  return pg
    .classifyStatements(sql)
    .flatMap((s) =>
      s.destructive
        ? [{ index: s.index, kind: s.destructive.kind, sql: s.sql, reason: s.destructive.reason }]
        : [],
    );
}

export default defineTool({
  name: 'execute_sql',
  title: 'Execute SQL',
  description:
    'Runs SQL (params, role); read-only on production unless readOnly: false. Large results: a first page and a cursor.',
  group: 'database',
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: false,
  },
  write: false,
  input,
  output: z.object({
    instance: z.string(),
    command: z.string().nullable(),
    columns: z.array(z.object({ name: z.string(), type: z.string() })),
    rowCount: z.number().nullable(),
    returned: z.number(),
    cursor: z.string().optional(),
    readOnly: z.boolean(),
    role: z.object({ used: z.string().nullable(), reason: z.string().optional() }).optional(),
    data: z.string(),
  }),
  confirmWhen: 'destructive SQL on a production instance',
  async confirm(args, ctx) {
    const instance = await ctx.instance(args.instance, ['database']);
    if (!instance.production || readOnlyFor(args, instance, ctx)) return false;
    return (await destructiveOf(args.sql)).length > 0;
  },
  async dryRun(args, ctx) {
    const instance = await ctx.instance(args.instance, ['database']);
    const found = await destructiveOf(args.sql);
    return {
      summary: `${found.length} destructive statement(s) would run on production instance "${instance.name}": ${found.map((f) => f.reason).join('; ')}.`,
      details: {
        instance: instance.name,
        statements: found.map(({ index, kind, sql }) => ({ index, kind, sql })),
      },
    };
  },
  audit: (args, ctx) => !ctx.readOnly && args.readOnly !== true,
  async handler(args, ctx) {
    const instance = await ctx.instance(args.instance, ['database']);
    const readOnly = readOnlyFor(args, instance, ctx);
    const [pg, statements, pool] = await Promise.all([
      pgConnect(),
      statementsOf(args.sql),
      ctx.pool(instance),
    ]);
    const { pageRows = 50, pageBytes = 16_384 } = ctx.runtime.options;
    const res = await pg.executeSql(pool, statements.length > 1 ? statements : args.sql, {
      ...(args.params ? { params: args.params } : {}),
      ...(args.role ? { role: args.role } : {}),
      ...(statements.length > 1 ? { transaction: true } : {}),
      readOnly,
      stream: true,
      maxRows: pageRows,
      signal: ctx.signal,
    });
    const columns = res.columns.map((c) => ({ name: c.name, type: c.type }));
    const page = fitPage(res.rows, pageBytes);
    const total = res.rowCount ?? res.rows.length;
    let cursor: string | undefined;
    if (total > page.rows.length && res.pageable) {
      cursor = await ctx.session.cursors.open(res, page.rows.length, total, {
        instance: instance.name,
        columns,
      });
    } else {
      await res.dispose();
    }
    const choice = res.roleChoice;
    const role = choice
      ? { used: choice.used, reason: choice.reason }
      : args.role
        ? { used: args.role }
        : undefined;
    const data = ctx.untrusted('the result of the SQL query', page.rows);
    const structured = {
      instance: instance.name,
      command: res.command,
      columns,
      rowCount: res.rowCount,
      returned: page.rows.length,
      ...(cursor ? { cursor } : {}),
      readOnly,
      ...(role ? { role } : {}),
      data,
    };
    const more = cursor
      ? ` Rows ${page.rows.length + 1}-${total} wait behind cursor ${cursor}: call fetch_result_page.`
      : '';
    const roleLine = role
      ? ` Ran as role ${role.used ?? 'of the session'}${choice ? ` (${choice.reason})` : ''}.`
      : '';
    return {
      structured,
      text: `${res.command ?? 'OK'}: ${page.rows.length} of ${total} row(s) shown${readOnly ? ', read-only' : ''}.${roleLine}${more}${page.valuesCut ? ' Long values were cut.' : ''}\n\n${data}`,
    };
  },
});
