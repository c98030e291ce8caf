import type { CommandDef } from '../../command.js';
import { optBool, optNumber, optString, optStrings } from '../../command.js';
import { usageError } from '../../errors.js';
import { instanceCompose } from '../dokploy-access.js';
import { collect, instanceFlags, parseInteger } from '../shared.js';

const DURATION = /^\d+[smhd]$/;

export const logsCommand: CommandDef = {
  name: 'logs',
  description:
    "The logs of an instance's Dokploy stack, every service merged by time; secrets masked",
  options: [
    { flags: '-i, --instance <name>', description: 'the instance (default: the selected one)' },
    {
      flags: '-s, --service <name>',
      description: 'only this compose service (repeatable: auth, rest, kong, db, …)',
      parse: collect,
    },
    { flags: '--since <duration>', description: 'only lines newer than 30s, 10m, 2h, 1d' },
    {
      flags: '-n, --tail <n>',
      description: 'lines per service (default 100)',
      parse: parseInteger(1),
    },
    { flags: '-g, --grep <text>', description: 'only lines containing TEXT (case-insensitive)' },
    { flags: '-f, --follow', description: 'keep streaming (not yet available)' },
  ],
  examples: [
    { command: 'supaops logs --service auth --since 10m', description: "GoTrue's last 10 minutes" },
    {
      command: 'supaops logs --grep error --tail 500 --json',
      description: 'errors of every service',
    },
  ],
  async action(ctx, input) {
    const { options } = input;
    if (optBool(options.follow)) {
      throw usageError(
        'LOGS_FOLLOW_UNAVAILABLE',
        '--follow is not yet available: @supaops/selfhost reads logs once (Dokploy readLogs), it cannot stream them.',
        'Drop --follow, and run the command again (with --since) to see newer lines.',
      );
    }
    const since = optString(options.since);
    if (since && !DURATION.test(since) && Number.isNaN(Date.parse(since))) {
      throw usageError(
        'LOGS_SINCE_INVALID',
        `--since ${since} is neither a duration nor a time.`,
        'Pass a duration such as 30s, 10m, 2h or 1d, or an ISO time.',
      );
    }
    const { instance, dokploy, client } = await instanceCompose(ctx, instanceFlags(input), 'logs');
    const { readComposeLogs } = await import('@supaops/selfhost');
    const services = optStrings(options.service);
    const tail = optNumber(options.tail);
    const search = optString(options.grep);
    const logs = await readComposeLogs({
      client,
      composeId: dokploy.composeId,
      ...(services.length > 0 ? { services } : {}),
      ...(tail ? { tail } : {}),
      ...(since ? { since: DURATION.test(since) ? since : new Date(since) } : {}),
      ...(search ? { search } : {}),
      signal: ctx.signal,
    });
    return {
      data: { instance: instance.name, ...logs },
      human: (c) => {
        const width = Math.max(0, ...logs.lines.map((l) => l.service.length));
        const lines = logs.lines.map(
          (l) =>
            `${c.cyan(l.service.padEnd(width))} ${l.timestamp ? c.dim(`${l.timestamp} `) : ''}${l.text}`,
        );
        for (const s of logs.sources.filter((x) => x.unavailable))
          lines.push(c.yellow(`${s.service}: ${s.unavailable}`));
        return lines.join('\n');
      },
    };
  },
};
