import type { ResolvedInstance } from '@supaops/config';
import { UnknownServiceError } from '../../errors.js';
import { sandbox } from '../../libs.js';
import type { ToolContext, ToolOutput } from '../../registry/types.js';
import { type LogsArgs, type LogsResult, logsResult, servicesOf } from '../log-lines.js';

const SERVICE = 'postgres';

/**
 * The sandbox server's log (@supaops/sandbox's readSandboxLog, passwords masked there): its
 * only service is postgres. The log is read where the server started by this runtime writes it.
 */
export async function sandboxLogs(
  instance: ResolvedInstance,
  args: LogsArgs,
  ctx: ToolContext,
): Promise<ToolOutput<LogsResult>> {
  const other = servicesOf(args.service)?.filter((s) => s !== SERVICE) ?? [];
  if (other.length > 0) {
    throw new UnknownServiceError(instance.name, other, [SERVICE], 'the local sandbox');
  }
  const { readSandboxLog } = await sandbox();
  const log = await readSandboxLog({
    env: ctx.runtime.env,
    ...(args.tail ? { tail: args.tail } : {}),
    ...(args.since ? { since: args.since } : {}),
    ...(args.grep ? { search: args.grep } : {}),
  });
  const lines = log.lines.map((l) => ({ ...l, service: SERVICE }));
  const source = { service: SERVICE, lines: lines.length, truncated: log.truncated };
  const notes = log.truncated ? ['older lines were not read (tail reached or the read bound)'] : [];
  return logsResult(`the sandbox's ${SERVICE}`, lines, [source], notes, ctx);
}
