import type { CommandResult } from '../../command.js';
import type { CommandContext } from '../../context.js';
import type { InstanceCompose } from '../dokploy-access.js';
import { formatLogLines, type LogFilter } from './view.js';

/** selfhost's readComposeLogs (Dokploy 0.29+): every service merged by time, secrets masked. */
export async function composeLogs(
  ctx: CommandContext,
  { instance, dokploy, client }: InstanceCompose,
  filter: LogFilter,
): Promise<CommandResult> {
  const { readComposeLogs } = await import('@supaops/selfhost');
  const logs = await readComposeLogs({
    client,
    composeId: dokploy.composeId,
    ...filter,
    signal: ctx.signal,
  });
  return {
    data: { instance: instance.name, source: 'dokploy', ...logs },
    human: (c) => {
      const lines = formatLogLines(c, logs.lines);
      for (const s of logs.sources.filter((x) => x.unavailable))
        lines.push(c.yellow(`${s.service}: ${s.unavailable}`));
      return lines.join('\n');
    },
  };
}
