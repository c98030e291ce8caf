import type { CommandDef } from '../../command.js';
import { optBool, optNumber, optString } from '../../command.js';
import { usageError } from '../../errors.js';
import { renderTable } from '../../output/table.js';
import { instanceFlags, parseInteger, readTextFile } from '../shared.js';
import { jsonRow, textValue } from './values.js';

function parseParams(value: string | undefined): unknown[] | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw usageError(
      'PARAMS_INVALID',
      `--params is not JSON: ${(error as Error).message}`,
      `Pass a JSON array, e.g. --params '[42, "text"]'.`,
    );
  }
  if (!Array.isArray(parsed)) {
    throw usageError(
      'PARAMS_INVALID',
      '--params must be a JSON array.',
      `Pass a JSON array, e.g. --params '[42, "text"]'.`,
    );
  }
  return parsed;
}

export const dbSql: CommandDef = {
  name: 'sql',
  description:
    'Run SQL from an argument, a file or stdin; optionally as a role, read-only, with parameters',
  arguments: [{ name: '[query]', description: 'the SQL (default: --file, else stdin)' }],
  options: [
    { flags: '-f, --file <file>', description: 'read the SQL from a file', complete: 'file' },
    {
      flags: '--role <role>',
      description:
        "SET LOCAL ROLE for the transaction (anon, authenticated, service_role, …; 'auto' picks the owner of what the SQL touches)",
    },
    { flags: '--read-only', description: 'a READ ONLY transaction: PostgreSQL refuses writes' },
    { flags: '--params <json>', description: 'values for $1…$n as a JSON array (one statement)' },
    {
      flags: '--max-rows <n>',
      description: 'rows kept in the output',
      parse: parseInteger(1),
      default: 1000,
    },
    {
      flags: '--timeout <ms>',
      description: 'cancel the query after this many milliseconds',
      parse: parseInteger(1),
    },
    { flags: '-y, --yes', description: 'do not ask before writing to a production instance' },
  ],
  database: true,
  audit: true,
  examples: [
    {
      command: 'supaops db sql "select id, email from auth.users limit 5" --read-only',
      description: 'a quick read',
    },
    {
      command:
        "supaops db sql 'select * from notes where owner = $1' --params '[\"u1\"]' --role authenticated",
      description: 'with RLS applied',
    },
    {
      command: 'supaops db sql -f migration-test.sql --db-url "$DATABASE_URL"',
      description: 'a file on an ad-hoc database',
    },
    { command: 'echo "select 1" | supaops db sql --json', description: 'from stdin, as JSON' },
  ],
  async action(ctx, input) {
    const { args, options } = input;
    const file = optString(options.file);
    const inline = typeof args[0] === 'string' ? args[0] : undefined;
    if (inline && file)
      throw usageError(
        'SQL_SOURCE_CONFLICT',
        'Both a query argument and --file were given.',
        'Pass one of them.',
      );
    const sql = inline ?? (file ? await readTextFile(ctx, file) : await ctx.readStdin('SQL'));
    if (sql.trim() === '')
      throw usageError(
        'SQL_EMPTY',
        'The SQL is empty.',
        'Pass a query, --file FILE, or pipe SQL into stdin.',
      );
    const params = parseParams(optString(options.params));
    const readOnly = optBool(options.readOnly);
    const role = optString(options.role);
    const instance = await ctx.instance(instanceFlags(input), ['database']);
    if (instance.production && !readOnly) {
      await ctx.confirm(
        `Run SQL that may write on production instance "${instance.name}"?`,
        optBool(options.yes),
      );
    }
    const url = ctx.databaseUrl(instance);
    const { executeSql } = await import('@supaops/pg-connect');
    const timeoutMs = optNumber(options.timeout);
    const result = await executeSql(url, sql, {
      ...(params ? { params } : {}),
      ...(role ? { role } : {}),
      readOnly,
      maxRows: optNumber(options.maxRows) ?? 1000,
      ...(timeoutMs ? { timeoutMs } : {}),
      signal: ctx.signal,
    });
    const statements = result.statements.map((s) => ({
      command: s.command,
      rowCount: s.rowCount,
      truncated: s.truncated,
      columns: s.columns.map((col) => ({ name: col.name, type: col.type })),
      rows: s.rows.map(jsonRow),
    }));
    const roleChoice = result.roleChoice;
    const last = statements.at(-1);
    const data = {
      instance: instance.name,
      command: last?.command ?? null,
      rowCount: last?.rowCount ?? null,
      truncated: last?.truncated ?? false,
      columns: last?.columns ?? [],
      rows: last?.rows ?? [],
      durationMs: result.durationMs,
      statements,
      ...(roleChoice ? { roleChoice } : {}),
    };
    return {
      data,
      human: (c) =>
        (roleChoice
          ? `${c.dim(`role auto: ${roleChoice.used ?? 'the session user'} (${roleChoice.reason})`)}\n`
          : '') +
        statements
          .map((s) => {
            const tag = `${s.command ?? 'OK'}${s.rowCount === null ? '' : ` ${s.rowCount}`}`;
            if (s.columns.length === 0) return c.dim(tag);
            const table = renderTable(
              s.rows,
              s.columns.map((col) => ({
                header: col.name,
                value: (row: Record<string, unknown>) => textValue(row[col.name]),
              })),
              c,
            );
            const more = s.truncated
              ? c.yellow(
                  `\n(only the first ${s.rows.length} rows are shown; --max-rows raises the limit)`,
                )
              : '';
            return `${table}\n${c.dim(`(${s.rowCount ?? s.rows.length} rows)`)}${more}`;
          })
          .join('\n\n'),
    };
  },
};
