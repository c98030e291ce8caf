import type { ResolvedInstance } from '@supaops/config';
import type { CommandResult } from '../../command.js';
import type { CommandContext } from '../../context.js';
import { usageError } from '../../errors.js';
import { formatLogLines, type LogFilter } from './view.js';

/** The sandbox is one PostgreSQL server; `db` is its service's name in the Supabase compose. */
const SERVICE = 'postgres';
const SERVICE_NAMES = new Set([SERVICE, 'db']);

/**
 * @supaops/sandbox's readSandboxLog: the end of the sandbox server's log, filtered by the
 * library (tail, since, search), its password masked. The sandbox is the one the instance
 * resolves to (same environment), and it need not be running.
 */
export async function sandboxLogs(
  ctx: CommandContext,
  instance: ResolvedInstance,
  filter: LogFilter,
): Promise<CommandResult> {
  const { services = [], ...query } = filter;
  const other = services.filter((s) => !SERVICE_NAMES.has(s));
  if (other.length > 0) {
    throw usageError(
      'LOGS_SERVICE_UNKNOWN',
      `Instance "${instance.name}" is the local sandbox: its one service is ${SERVICE}, not ${other.join(', ')}.`,
      `Drop --service, or pass --service ${SERVICE}.`,
    );
  }
  const { readSandboxLog } = await import('@supaops/sandbox');
  const log = await readSandboxLog({
    env: ctx.io.env,
    ...query,
  });
  const lines = log.lines.map((l) => ({ service: SERVICE, ...l }));
  if (log.truncated) ctx.debug(`older lines of ${log.path} were not read`);
  return {
    data: {
      instance: instance.name,
      source: 'sandbox',
      logFile: log.path,
      truncated: log.truncated,
      lines,
      sources: [{ service: SERVICE, lines: lines.length }],
    },
    human: (c) => formatLogLines(c, lines).join('\n'),
  };
}
