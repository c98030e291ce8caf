import type { CertificateExpiry } from '@supaops/selfhost';
import type { CommandDef } from '../../command.js';
import { optNumber, optString } from '../../command.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { instanceCompose } from '../dokploy-access.js';
import { instanceFlags, parseInteger } from '../shared.js';

type Row = { host: string; ok: boolean } & (
  | { certificate: CertificateExpiry }
  | { error: { code: string; message: string } }
);

export const domainCheck: CommandDef = {
  name: 'check',
  description:
    'The TLS certificate of each https domain of the compose (or HOST): days left, self-signed, trusted; exit 1 when expired or expiring',
  arguments: [{ name: '[host]', description: 'check this host only' }],
  options: [
    { flags: '-i, --instance <name>', description: 'the instance (default: the selected one)' },
    { flags: '--port <n>', description: 'TLS port (default 443)', parse: parseInteger(1) },
    { flags: '--connect-host <host>', description: 'connect here (a tunnel); SNI stays the host' },
    {
      flags: '--warn-days <n>',
      description: 'expiring at N days left or fewer (default 7)',
      parse: parseInteger(0),
    },
  ],
  examples: [
    { command: 'supaops domain check', description: 'every https domain of the instance' },
    {
      command: 'supaops domain check supabase.acme.dev',
      description: 'one host, no config needed',
    },
  ],
  async action(ctx, input) {
    const { options } = input;
    const selfhost = await import('@supaops/selfhost');
    let hosts: string[];
    const only = optString(input.args[0]);
    if (only) hosts = [only];
    else {
      const { dokploy, client } = await instanceCompose(ctx, instanceFlags(input), 'domain check');
      const domains = await selfhost.listDomains({
        client,
        composeId: dokploy.composeId,
        signal: ctx.signal,
      });
      hosts = domains.filter((d) => d.https).map((d) => d.host);
      if (hosts.length === 0) ctx.info('the compose has no https domain: nothing to check');
    }
    const port = optNumber(options.port);
    const warnDays = optNumber(options.warnDays);
    const connectHost = optString(options.connectHost);
    const rows: Row[] = [];
    for (const host of hosts) {
      try {
        const certificate = await selfhost.checkCertificateExpiry({
          host,
          ...(port ? { port } : {}),
          ...(connectHost ? { connectHost } : {}),
          ...(warnDays !== undefined ? { warnDays } : {}),
        });
        if (certificate.warning && !certificate.expired)
          ctx.warn(`${host}: ${certificate.daysLeft} days left`);
        rows.push({ host, ok: !certificate.expired && !certificate.warning, certificate });
      } catch (error) {
        if (!selfhost.SelfhostError.isInstance(error)) throw error;
        rows.push({ host, ok: false, error: { code: error.code, message: error.message } });
      }
    }
    const ok = rows.every((r) => r.ok);
    return {
      data: { ok, domains: rows },
      human: (c) =>
        rows
          .map((r) =>
            'certificate' in r
              ? `${r.ok ? c.green('ok') : c.red(r.certificate.expired ? 'expired' : 'expiring')} ${r.host}: ${r.certificate.message}`
              : `${c.red('failed')} ${r.host}: ${r.error.message}`,
          )
          .join('\n'),
      exitCode: ok ? EXIT_CODES.ok : EXIT_CODES.failedChecks,
    };
  },
};
