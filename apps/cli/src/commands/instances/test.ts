import type { CommandDef } from '../../command.js';
import { classifyError } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { renderConnectionReport } from '../db/check-report.js';

export const instancesTest: CommandDef = {
  name: 'test',
  description:
    'Test an instance: diagnose its connection string, check the network path, run SELECT 1',
  arguments: [{ name: '[name]', description: 'instance name (default: the default instance)' }],
  examples: [
    { command: 'supaops instances test prod', description: 'can supaops reach prod?' },
    { command: 'supaops instances test --json', description: 'the default instance, as JSON' },
  ],
  async action(ctx, { args }) {
    const name = typeof args[0] === 'string' ? args[0] : undefined;
    const instance = await ctx.instance({ instance: name, from: 'instances test NAME' }, [
      'database',
    ]);
    const url = ctx.databaseUrl(instance);
    const pg = await import('@supaops/pg-connect');
    const target = pg.parseConnectionTarget(url);
    const diagnostics = pg.diagnoseTarget(target);
    const network = await pg.checkNetwork(target);
    const started = Date.now();
    let query: {
      ok: boolean;
      durationMs: number;
      serverVersion?: string;
      error?: { code: string; message: string; fix?: string };
    };
    try {
      const res = await pg.executeSql(
        target,
        "select 1 as ok, current_setting('server_version') as version",
        {
          timeoutMs: 15_000,
          signal: ctx.signal,
        },
      );
      const version = (res.rows[0] as { version?: string } | undefined)?.version;
      query = {
        ok: true,
        durationMs: Date.now() - started,
        ...(version ? { serverVersion: version } : {}),
      };
    } catch (error) {
      const { code, message, fix } = classifyError(error);
      query = {
        ok: false,
        durationMs: Date.now() - started,
        error: { code, message, ...(fix ? { fix } : {}) },
      };
    }
    const ok = query.ok && !diagnostics.some((d) => d.severity === 'error');
    const data = {
      name: instance.name,
      kind: instance.kind,
      target: pg.redactTarget(target),
      mode: target.mode,
      diagnostics,
      network: {
        resolves: network.resolves,
        inContainer: network.inContainer,
        addresses: network.addresses,
        summary: network.summary,
        alternatives: network.alternatives,
      },
      query,
      ok,
    };
    return {
      data,
      exitCode: ok ? EXIT_CODES.ok : EXIT_CODES.failedChecks,
      human: (c) => {
        const lines = [`${c.bold(instance.name)} (${instance.kind}) ${data.target}`];
        lines.push(renderConnectionReport({ diagnostics, network: data.network }, c));
        lines.push(
          query.ok
            ? `${c.green('ok')} SELECT answered in ${query.durationMs} ms${query.serverVersion ? ` (PostgreSQL ${query.serverVersion})` : ''}`
            : `${c.red('failed')} ${query.error?.code}: ${query.error?.message}${query.error?.fix ? `\n  ${c.cyan('fix:')} ${query.error.fix}` : ''}`,
        );
        return lines.join('\n');
      },
    };
  },
};
