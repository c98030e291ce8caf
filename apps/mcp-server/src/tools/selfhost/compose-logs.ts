import { selfhost } from '../../libs.js';
import type { ToolContext, ToolOutput } from '../../registry/types.js';
import { type LogsArgs, type LogsResult, logsResult, servicesOf, sinceOf } from '../log-lines.js';
import { composeEnv, type DokployTarget } from './dokploy.js';

/** The logs of a Dokploy compose (selfhost's readComposeLogs): dokploy_get_logs and get_logs. */
export async function composeLogs(
  target: DokployTarget,
  args: LogsArgs,
  ctx: ToolContext,
): Promise<ToolOutput<LogsResult>> {
  const sh = await selfhost();
  const { client, composeId } = target;
  await composeEnv(target, ctx);
  const services = servicesOf(args.service);
  const since = sinceOf(args.since);
  const logs = await sh.readComposeLogs({
    client,
    composeId,
    ...(services ? { services } : {}),
    ...(since ? { since } : {}),
    ...(args.tail ? { tail: args.tail } : {}),
    ...(args.grep ? { search: args.grep } : {}),
    signal: ctx.signal,
  });
  const sources = logs.sources.map((s) => ({ ...s }));
  const notes = sources.filter((s) => s.unavailable).map((s) => `${s.service}: ${s.unavailable}`);
  return logsResult(`compose ${composeId}`, logs.lines, sources, notes, ctx);
}
