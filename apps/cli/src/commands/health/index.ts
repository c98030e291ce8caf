import type { InstanceHealthReport, WatchEvent, WatchHealthInput } from '@supaops/selfhost';
import type { CommandDef, CommandResult } from '../../command.js';
import { optBool, optNumber, optString } from '../../command.js';
import type { CommandContext } from '../../context.js';
import { CliError } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import type { Colors } from '../../output/colors.js';
import { composeOf, validateViaFetch } from '../dokploy-access.js';
import { instanceFlags, parseInteger } from '../shared.js';

/** Events kept for the --json document of a watch; older ones are dropped (bounded memory). */
const MAX_EVENTS = 1000;

function renderReport(name: string, r: InstanceHealthReport, c: Colors): string {
  const what = r.appName ? `${r.appName} (${r.composeId})` : name;
  const lines = [`${r.ok ? c.green('healthy') : c.red('unhealthy')} ${what}`];
  for (const k of r.checks)
    lines.push(`  ${k.ok ? c.green('✓') : c.red('✗')} ${k.name}: ${k.reason}`);
  for (const ct of (r.containers ?? []).filter((x) => !x.ok))
    lines.push(c.red(`  container ${ct.service}: ${ct.state}, ${ct.health}`));
  if (r.connections) {
    const p = r.connections;
    lines.push(`  connections ${p.used}/${p.maxConnections} (${p.percentUsed}%, ${p.level})`);
  }
  if (r.database) lines.push(c.yellow(`  database unreachable: ${r.database.reason}`));
  for (const l of r.logs.filter((x) => x.lines && x.lines.length > 0)) {
    lines.push(c.dim(`  ${l.service} logs:`));
    for (const line of (l.lines ?? []).slice(-10)) lines.push(c.dim(`    ${line}`));
  }
  if (r.skipped.length > 0) lines.push(c.dim(`  not checked: ${r.skipped.join('; ')}`));
  return lines.join('\n');
}

export function renderEvent(e: WatchEvent, c: Colors): string {
  switch (e.type) {
    case 'poll':
      return c.dim(`${e.at} poll ${e.poll}: ${e.ok ? 'healthy' : 'unhealthy'}`);
    case 'container-unhealthy':
      return c.red(`${e.at} container ${e.service} unhealthy (${e.state}, ${e.health})`);
    case 'container-recovered':
      return c.green(`${e.at} container ${e.service} recovered`);
    case 'check-failed':
      return c.red(`${e.at} check ${e.check} failed: ${e.reason}`);
    case 'check-recovered':
      return c.green(`${e.at} check ${e.check} recovered`);
    case 'pool-high':
      return c.yellow(`${e.at} pool at ${e.percentUsed}% (${e.used}/${e.maxConnections})`);
    case 'pool-normal':
      return c.green(`${e.at} pool back to ${e.percentUsed}%`);
    default:
      return c.red(`${e.at} error: ${e.message}`);
  }
}

/** `--watch`: watchHealth's events streamed as they come; ends on Ctrl-C (exit 130) or --max-polls. */
async function watch(
  ctx: CommandContext,
  base: Pick<WatchHealthInput, 'client' | 'composeId' | 'database' | 'fetch'>,
  options: Record<string, unknown>,
  instance: string,
): Promise<CommandResult> {
  const { watchHealth } = await import('@supaops/selfhost');
  const interval = optNumber(options.interval);
  const maxPolls = optNumber(options.maxPolls);
  const critical = optNumber(options.criticalPercent);
  const events: WatchEvent[] = [];
  let polls = 0;
  let ok = true;
  let dropped = 0;
  const out = ctx.globals.json ? ctx.io.stderr : ctx.io.stdout;
  const colors = ctx.globals.json ? ctx.errColors : ctx.colors;
  for await (const event of watchHealth({
    ...base,
    intervalMs: (interval ?? 10) * 1000,
    ...(maxPolls ? { maxPolls } : {}),
    ...(critical ? { poolPercent: Math.min(critical, 100) } : {}),
    signal: ctx.signal,
  })) {
    if (event.type === 'poll') {
      polls = event.poll;
      ok = event.ok;
    } else if (event.type === 'error') ok = false;
    if (!ctx.globals.quiet || event.type !== 'poll')
      out.write(`${ctx.redactor.redact(renderEvent(event, colors))}\n`);
    events.push(event);
    if (events.length > MAX_EVENTS) {
      events.shift();
      dropped += 1;
    }
  }
  return {
    data: { instance, composeId: base.composeId, watch: true, polls, ok, events, dropped },
    human: (c) => `${ok ? c.green('healthy') : c.red('unhealthy')} after ${polls} polls`,
    exitCode: ok ? EXIT_CODES.ok : EXIT_CODES.failedChecks,
  };
}

export const healthCommand: CommandDef = {
  name: 'health',
  description:
    "The health of any instance, from the parts it has: its Dokploy stack's containers, the HTTP checks with its keys, its database's connection pressure; --watch streams a Dokploy stack's changes",
  options: [
    { flags: '-i, --instance <name>', description: 'the instance (default: the selected one)' },
    { flags: '--watch', description: 'poll and print each change until Ctrl-C' },
    {
      flags: '--interval <seconds>',
      description: 'with --watch: seconds between polls (at most 30, default 10)',
      parse: (v: string) => {
        const n = parseInteger(0)(v);
        return Math.min(n, 30);
      },
    },
    {
      flags: '--max-polls <n>',
      description: 'with --watch: stop after N polls',
      parse: parseInteger(1),
    },
    {
      flags: '--critical-percent <n>',
      description: 'pool usage that counts as critical (default 90)',
      parse: parseInteger(1),
    },
    {
      flags: '--no-database',
      description: "skip the connection pressure of the instance's database",
    },
    {
      flags: '--validate-via <url>',
      description: 'send the HTTP checks to URL (a tunnel to the gateway) with the public host',
    },
  ],
  examples: [
    { command: 'supaops health --instance prod', description: 'one check, exit 1 when unhealthy' },
    { command: 'supaops health --watch', description: 'stream changes until Ctrl-C' },
  ],
  async action(ctx, input) {
    const { options } = input;
    const withDatabase = options.database !== false;
    // every part the instance configures is checked, so each must resolve (absent parts are fine)
    const instance = await ctx.instance(
      instanceFlags(input),
      withDatabase ? ['dokploy', 'api', 'database'] : ['dokploy', 'api'],
    );
    const database = withDatabase
      ? (instance.database.session ?? instance.database.transaction)
      : undefined;
    const httpFetch = validateViaFetch(optString(options.validateVia));
    if (optBool(options.watch)) {
      // watchHealth follows a Dokploy compose: INSTANCE_NO_DOKPLOY without one
      const { dokploy, client } = await composeOf(ctx, instance, 'health --watch');
      const base = {
        client,
        composeId: dokploy.composeId,
        ...(database ? { database } : {}),
        ...(httpFetch ? { fetch: httpFetch } : {}),
      };
      return watch(ctx, base, options, instance.name);
    }
    const compose = instance.dokploy ? await composeOf(ctx, instance, 'health') : undefined;
    const api = instance.api;
    // the sb_ keys stand in for the legacy ones (selfhost checks either)
    const gateway =
      api?.url && (api.anonKey || api.publishableKey)
        ? {
            url: api.url,
            ...(api.anonKey ? { anonKey: api.anonKey } : {}),
            ...(api.publishableKey ? { publishableKey: api.publishableKey } : {}),
            ...(api.serviceRoleKey ? { serviceKey: api.serviceRoleKey } : {}),
            ...(api.secretKey ? { secretKey: api.secretKey } : {}),
          }
        : undefined;
    if (api?.url && !gateway)
      ctx.debug(
        `instance "${instance.name}": api.url without anonKey or publishableKey, so no HTTP checks of its own`,
      );
    if (!compose && !gateway && !database) {
      throw new CliError(
        'HEALTH_NOTHING_TO_CHECK',
        `Instance "${instance.name}" has nothing health can check: no Dokploy compose, no api url with an anon key${withDatabase ? ', no database' : ' (and --no-database)'}.`,
        {
          exitCode: EXIT_CODES.config,
          fix: `Give it one of them in ${(await ctx.config()).writePath}: "database": { "session": "env:DATABASE_URL" }, "api": { "url": …, "anonKey": "env:ANON_KEY" }, or "dokploy": { "server": NAME, "composeId": ID }.`,
        },
      );
    }
    const { checkInstanceHealth } = await import('@supaops/selfhost');
    const critical = optNumber(options.criticalPercent);
    const report = await checkInstanceHealth({
      ...(compose
        ? { dokploy: { client: compose.client, composeId: compose.dokploy.composeId } }
        : {}),
      ...(gateway ? { api: gateway } : {}),
      ...(database ? { database } : {}),
      ...(critical ? { criticalPercent: Math.min(critical, 100) } : {}),
      ...(httpFetch ? { fetch: httpFetch } : {}),
      signal: ctx.signal,
    });
    return {
      data: { instance: instance.name, ...report },
      human: (c) => renderReport(instance.name, report, c),
      exitCode: report.ok ? EXIT_CODES.ok : EXIT_CODES.failedChecks,
    };
  },
};
