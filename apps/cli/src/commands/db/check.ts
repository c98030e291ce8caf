import type { CommandDef } from '../../command.js';
import { optBool, optNumber, optString } from '../../command.js';
import { classifyError } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { instanceFlags, parseInteger } from '../shared.js';
import { renderConnectionReport } from './check-report.js';

export const dbCheck: CommandDef = {
  name: 'check',
  description:
    'Diagnose a connection string: format, pooler mode, TLS, host reachability; each finding with its fix, and the SSH-tunnel commands when the host is only reachable inside Docker',
  arguments: [
    {
      name: '[connection]',
      description: 'URL or key=value string (default: the selected instance)',
    },
  ],
  options: [
    {
      flags: '--purpose <purpose>',
      description: 'what the connection is for',
      choices: ['query', 'migrations', 'ddl', 'backup'],
      default: 'query',
    },
    {
      flags: '--ssh-host <host>',
      description: 'the server to tunnel through (for the SSH-tunnel commands)',
    },
    { flags: '--ssh-user <user>', description: 'the SSH user' },
    {
      flags: '--container <name>',
      description: 'the database container name (default supabase-db)',
    },
    {
      flags: '--local-port <port>',
      description: 'local end of the tunnel',
      parse: parseInteger(1),
    },
    { flags: '--connect', description: 'also connect and run SELECT 1' },
  ],
  database: true,
  examples: [
    {
      command:
        "supaops db check 'postgresql://postgres:pw@db:5432/postgres' --ssh-host vps.example.com",
      description: 'a compose-internal host: prints the tunnel',
    },
    {
      command: 'supaops db check --instance prod --purpose migrations --connect',
      description: 'is prod fit for migrations?',
    },
  ],
  async action(ctx, input) {
    const { args, options } = input;
    let connection = typeof args[0] === 'string' ? args[0] : undefined;
    if (!connection)
      connection = ctx.databaseUrl(await ctx.instance(instanceFlags(input), ['database']));
    const pg = await import('@supaops/pg-connect');
    ctx.redactor.useConnectionRedactor(pg.redactConnectionString);
    const target = pg.parseConnectionTarget(connection);
    ctx.redactor.add(target.password);
    const purpose = optString(options.purpose) as 'query' | 'migrations' | 'ddl' | 'backup';
    const diagnostics = pg.diagnoseTarget(target, { purpose });
    const sshHost = optString(options.sshHost);
    const sshUser = optString(options.sshUser);
    const containerName = optString(options.container);
    const localPort = optNumber(options.localPort);
    const network = await pg.checkNetwork(target, {
      ...(sshHost ? { sshHost } : {}),
      ...(sshUser ? { sshUser } : {}),
      ...(containerName ? { containerName } : {}),
      ...(localPort ? { localPort } : {}),
    });
    let connect:
      | { ok: boolean; error?: { code: string; message: string; fix?: string } }
      | undefined;
    if (optBool(options.connect)) {
      try {
        await pg.executeSql(target, 'select 1', { timeoutMs: 15_000, signal: ctx.signal });
        connect = { ok: true };
      } catch (error) {
        const { code, message, fix } = classifyError(error);
        connect = { ok: false, error: { code, message, ...(fix ? { fix } : {}) } };
      }
    }
    const ok =
      !diagnostics.some((d) => d.severity === 'error') &&
      (network.resolves || target.hostKind === 'socket') &&
      connect?.ok !== false;
    const data = {
      target: pg.redactTarget(target),
      host: target.host,
      port: target.port,
      user: target.user,
      database: target.database,
      mode: target.mode,
      pooler: target.pooler,
      hostKind: target.hostKind,
      diagnostics,
      network: {
        resolves: network.resolves,
        inContainer: network.inContainer,
        addresses: network.addresses,
        summary: network.summary,
        alternatives: network.alternatives,
      },
      ...(connect ? { connect } : {}),
      ok,
    };
    return {
      data,
      exitCode: ok ? EXIT_CODES.ok : EXIT_CODES.failedChecks,
      human: (c) => {
        const lines = [
          `${c.bold(data.target)}  mode ${target.mode}${target.pooler ? ` (${target.pooler})` : ''}, host ${target.hostKind}`,
        ];
        lines.push(renderConnectionReport(data, c));
        if (connect) {
          lines.push(
            connect.ok
              ? `${c.green('ok')} SELECT 1 answered`
              : `${c.red('failed')} ${connect.error?.code}: ${connect.error?.message}`,
          );
          if (connect.error?.fix) lines.push(`  ${c.cyan('fix:')} ${connect.error.fix}`);
        }
        if (diagnostics.length === 0 && ok) lines.push(c.green('no problems found'));
        return lines.join('\n');
      },
    };
  },
};
