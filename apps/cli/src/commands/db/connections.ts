import type { CommandDef } from '../../command.js';
import { optNumber } from '../../command.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { renderTable } from '../../output/table.js';
import { instanceFlags, parseInteger } from '../shared.js';

export const dbConnections: CommandDef = {
  name: 'connections',
  description:
    'The pool monitor: connections used against max_connections, by Supabase service, with advice',
  options: [
    {
      flags: '--pooler-pool-size <n>',
      description: "Supavisor's default_pool_size, to check it fits",
      parse: parseInteger(1),
    },
  ],
  database: true,
  examples: [
    { command: 'supaops db connections --instance prod', description: 'who holds the connections' },
    { command: 'supaops db connections --json | jq .percentUsed', description: 'for monitoring' },
  ],
  async action(ctx, input) {
    const instance = await ctx.instance(instanceFlags(input), ['database']);
    const url = ctx.databaseUrl(instance);
    const { monitorConnections } = await import('@supaops/pg-connect');
    const size = optNumber(input.options.poolerPoolSize);
    const report = await monitorConnections(url, size ? { poolerDefaultPoolSize: size } : {});
    const data = { instance: instance.name, ...report };
    return {
      data,
      exitCode: report.level === 'critical' ? EXIT_CODES.failedChecks : EXIT_CODES.ok,
      human: (c) => {
        const paint =
          report.level === 'critical' ? c.red : report.level === 'warn' ? c.yellow : c.green;
        const lines = [
          `${paint(report.level)} ${report.used} of ${report.maxConnections} connections used (${report.percentUsed}%), ${report.superuserReservedConnections} reserved for superusers`,
          '',
          renderTable(
            Object.entries(report.byService).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0)),
            [
              { header: 'SERVICE', value: ([service]) => service },
              { header: 'CONNECTIONS', value: ([, n]) => n, align: 'right' },
            ],
            c,
          ),
        ];
        if (ctx.globals.verbose && report.groups.length) {
          lines.push(
            '',
            renderTable(
              report.groups,
              [
                { header: 'USER', value: (g) => g.user },
                { header: 'APPLICATION', value: (g) => g.application },
                { header: 'STATE', value: (g) => g.state },
                { header: 'SERVICE', value: (g) => g.service },
                { header: 'COUNT', value: (g) => g.count, align: 'right' },
              ],
              c,
            ),
          );
        }
        for (const s of [...report.idleInTransaction, ...report.longRunning]) {
          lines.push(
            c.yellow(
              `pid ${s.pid} ${s.user ?? ''} (${s.service}) ${s.state ?? ''} for ${s.seconds}s: ${s.query.slice(0, 80)}`,
            ),
          );
        }
        if (report.recommendations.length) lines.push('');
        for (const r of report.recommendations) lines.push(`${c.bold(r.code)} ${r.message}`);
        lines.push(c.dim(`recommended Supavisor pool size: ${report.recommendedPoolerPoolSize}`));
        return lines.join('\n');
      },
    };
  },
};
