import type { LogLine } from '@supaops/selfhost';
import type { CommandResult } from '../../command.js';
import type { CommandContext } from '../../context.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { onClosedPipe } from '../../output/closed-pipe.js';
import type { InstanceCompose } from '../dokploy-access.js';
import type { LogFilter } from './view.js';

/**
 * selfhost's followComposeLogs: every line written to stdout as it arrives (history first,
 * merged by time), one JSON object per line with --json; ends on Ctrl-C (exit 130, after the
 * streams are closed) or after `durationMs`. The closing summary is the last line.
 */
export async function followLogs(
  ctx: CommandContext,
  { instance, dokploy, client }: InstanceCompose,
  filter: LogFilter,
  durationMs: number | undefined,
): Promise<CommandResult> {
  const { followComposeLogs } = await import('@supaops/selfhost');
  // a reader that went away (`supaops logs -f | head`) ends the follow instead of crashing it;
  // the listener stays, so the closing line's failed write is swallowed too
  // (the binary ends at once with exit 0 then; an embedder of runCli gets the follow's end)
  const readerGone = new AbortController();
  onClosedPipe(
    ctx.io.stdout,
    () => readerGone.abort(),
    (error) => ctx.debug(`stdout: ${error.message}`),
  );
  const json = ctx.globals.json;
  const c = ctx.colors;
  let width = 0;
  const onLine = (line: LogLine) => {
    width = Math.max(width, line.service.length);
    const text = json
      ? JSON.stringify({ type: 'line', ...line })
      : `${c.cyan(line.service.padEnd(width))} ${line.timestamp ? c.dim(`${line.timestamp} `) : ''}${line.text}`;
    ctx.io.stdout.write(`${ctx.redactor.redact(text)}\n`);
  };
  const result = await followComposeLogs({
    client,
    composeId: dokploy.composeId,
    ...filter,
    onLine: (line) => {
      if (!readerGone.signal.aborted) onLine(line);
    },
    signal: AbortSignal.any([ctx.signal, readerGone.signal]),
    ...(durationMs ? { durationMs } : {}),
  });
  if (readerGone.signal.aborted) ctx.debug('stdout was closed by its reader: the follow ended');
  const failed = result.sources.filter((s) => s.failed);
  for (const s of failed) ctx.warn(`${s.service}: ${s.failed}`);
  ctx.info(
    ctx.errColors.dim(
      `${result.lines} lines from ${result.sources.length - failed.length} of ${result.sources.length} services; ended by ${result.endedBy}`,
    ),
  );
  return {
    data: {
      type: 'end',
      instance: instance.name,
      composeId: result.composeId,
      endedBy: result.endedBy,
      lines: result.lines,
      sources: result.sources,
    },
    jsonLines: true,
    exitCode: failed.length > 0 ? EXIT_CODES.failedChecks : EXIT_CODES.ok,
  };
}
