import type { ResolvedInstance } from '@supaops/config';
import { InvalidArgumentError } from 'commander';
import type { CommandDef } from '../../command.js';
import { optBool, optNumber, optString, optStrings } from '../../command.js';
import type { CommandContext } from '../../context.js';
import { CliError, usageError } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { composeOf } from '../dokploy-access.js';
import { collect, instanceFlags, parseInteger } from '../shared.js';
import { composeLogs } from './compose.js';
import { followLogs } from './follow.js';
import { sandboxLogs } from './sandbox.js';
import type { LogFilter } from './view.js';

const DURATION = /^\d+[smhd]$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;
const MAX_FOLLOW_MS = 24 * 3_600_000;

/** `--duration 30s|10m|2h` in milliseconds (the library stops the follow after it). */
function parseDuration(value: string): number {
  const m = /^(\d+)([smh])$/.exec(value);
  const ms = m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : Number.NaN;
  if (!(ms > 0 && ms <= MAX_FOLLOW_MS))
    throw new InvalidArgumentError('expected a duration such as 30s, 10m or 2h (at most 24h)');
  return ms;
}

/** An instance with neither a Dokploy compose nor the sandbox behind it: say what to configure. */
async function noLogSource(ctx: CommandContext, instance: ResolvedInstance): Promise<CliError> {
  const { writePath } = await ctx.config();
  return new CliError(
    'LOGS_SOURCE_MISSING',
    `Instance "${instance.name}" (kind ${instance.kind}) has no log source supaops can read: logs come from a Dokploy compose's containers or from the local sandbox's server log.`,
    {
      exitCode: EXIT_CODES.config,
      fix: `Give it "dokploy": { "server": NAME, "composeId": ID } with the server under "dokployServers" in ${writePath} (supaops instances add ${instance.name} --dokploy-server NAME --compose-id ID --replace, or supaops instances discover --register); a server supaops does not manage keeps its logs where it runs (docker logs, journalctl).`,
    },
  );
}

function filterOf(options: Record<string, unknown>): LogFilter {
  const since = optString(options.since);
  if (since && !DURATION.test(since) && Number.isNaN(Date.parse(since))) {
    throw usageError(
      'LOGS_SINCE_INVALID',
      `--since ${since} is neither a duration nor a time.`,
      'Pass a duration such as 30s, 10m, 2h or 1d, or an ISO time.',
    );
  }
  const services = optStrings(options.service);
  const tail = optNumber(options.tail);
  const search = optString(options.grep);
  return {
    ...(services.length > 0 ? { services } : {}),
    ...(since ? { since: DURATION.test(since) ? since : new Date(since) } : {}),
    ...(tail ? { tail } : {}),
    ...(search ? { search } : {}),
  };
}

export const logsCommand: CommandDef = {
  name: 'logs',
  description:
    "The logs of an instance: its Dokploy stack's services merged by time, or the sandbox server's log; secrets masked",
  options: [
    { flags: '-i, --instance <name>', description: 'the instance (default: the selected one)' },
    {
      flags: '-s, --service <name>',
      description:
        'only this compose service (repeatable: auth, rest, kong, db, …; sandbox: postgres)',
      parse: collect,
    },
    { flags: '--since <duration>', description: 'only lines newer than 30s, 10m, 2h, 1d' },
    {
      flags: '-n, --tail <n>',
      description: 'lines per service (default 100; history of --follow: 20)',
      parse: parseInteger(1),
    },
    { flags: '-g, --grep <text>', description: 'only lines containing TEXT (case-insensitive)' },
    {
      flags: '-f, --follow',
      description:
        "a Dokploy stack: stream every service's lines live until Ctrl-C (history first: --tail per service, default 20)",
    },
    {
      flags: '--duration <time>',
      description: 'with --follow: stop after 30s, 10m, 2h (at most 24h)',
      parse: parseDuration,
    },
  ],
  examples: [
    { command: 'supaops logs --service auth --since 10m', description: "GoTrue's last 10 minutes" },
    {
      command: 'supaops logs --grep error --tail 500 --json',
      description: 'errors of every service',
    },
    { command: 'supaops logs --follow --service auth', description: 'live, until Ctrl-C' },
    {
      command: 'supaops logs --follow --duration 5m --json',
      description: 'five minutes of JSON lines',
    },
    { command: 'supaops logs --instance sandbox --grep error', description: 'the local sandbox' },
  ],
  async action(ctx, input) {
    const { options } = input;
    const filter = filterOf(options);
    const follow = optBool(options.follow);
    const duration = optNumber(options.duration);
    if (duration !== undefined && !follow) {
      throw usageError(
        'LOGS_DURATION_WITHOUT_FOLLOW',
        '--duration only ends a --follow.',
        'Add --follow, or drop --duration.',
      );
    }
    const instance = await ctx.instance(instanceFlags(input), ['dokploy']);
    if (instance.dokploy) {
      const compose = await composeOf(ctx, instance, 'logs');
      return follow
        ? followLogs(ctx, compose, filter, duration)
        : composeLogs(ctx, compose, filter);
    }
    if (instance.kind === 'sandbox') {
      if (follow) {
        throw usageError(
          'LOGS_FOLLOW_UNSUPPORTED',
          `Instance "${instance.name}" is the local sandbox: its log file is read once, it cannot be followed.`,
          'Drop --follow, and run the command again with --since to see newer lines.',
        );
      }
      return sandboxLogs(ctx, instance, filter);
    }
    throw await noLogSource(ctx, instance);
  },
};
