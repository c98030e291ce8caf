import type { CommandDef } from '../command.js';
import { optNumber, optString } from '../command.js';
import { usageError } from '../errors.js';
import { renderTable } from '../output/table.js';
import { parseInteger } from './shared.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since 2h`, `7d`, or an ISO date. */
export function parseSince(value: string, now = Date.now()): Date {
  const relative = /^(\d+)([mhdw])$/.exec(value);
  if (relative) return new Date(now - Number(relative[1]) * (UNITS[relative[2]!] ?? 0));
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw usageError(
      'SINCE_INVALID',
      `--since "${value}" is neither a duration nor a date.`,
      'Use 30m, 12h, 7d, 2w or an ISO date like 2026-01-31.',
    );
  }
  return date;
}

export const auditCommand: CommandDef = {
  name: 'audit',
  description: 'Read the audit log every write of the CLI and the MCP server appends to',
  options: [
    { flags: '--since <when>', description: 'entries newer than 30m, 12h, 7d, 2w or an ISO date' },
    {
      flags: '--action <name>',
      description: "only this action, e.g. 'backup create' or execute_sql",
    },
    { flags: '-i, --instance <name>', description: 'only this instance' },
    {
      flags: '-n, --limit <n>',
      description: 'the newest n entries',
      parse: parseInteger(1),
      default: 50,
    },
  ],
  examples: [
    { command: 'supaops audit --since 1d', description: 'what happened today' },
    {
      command: "supaops audit --action 'migration up' --instance prod --json",
      description: 'migrations on prod, as JSON',
    },
  ],
  async action(ctx, { options }) {
    const since = optString(options.since);
    const action = optString(options.action);
    const instance = optString(options.instance);
    const loaded = await ctx.config();
    const { openAuditLog } = await import('@supaops/config');
    const log = openAuditLog(loaded);
    const entries = await log.read({
      ...(since ? { since: parseSince(since) } : {}),
      ...(action ? { action } : {}),
      ...(instance ? { instance } : {}),
      limit: optNumber(options.limit) ?? 50,
    });
    return {
      data: { path: log.path, entries },
      human: (c) =>
        entries.length === 0
          ? `No audit entries (${log.path}).`
          : renderTable(
              entries,
              [
                { header: 'TIME', value: (e) => e.time },
                { header: 'SOURCE', value: (e) => e.source },
                { header: 'ACTION', value: (e) => e.action },
                { header: 'INSTANCE', value: (e) => e.instance },
                {
                  header: 'OUTCOME',
                  value: (e) =>
                    e.outcome === 'ok'
                      ? c.green(e.outcome)
                      : e.outcome === 'error'
                        ? c.red(e.outcome)
                        : c.yellow(e.outcome),
                },
                { header: 'MS', value: (e) => e.durationMs, align: 'right' },
                { header: 'ERROR', value: (e) => e.error?.code ?? '' },
              ],
              c,
            ),
    };
  },
};
