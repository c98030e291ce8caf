import type { DomainChange } from '@supaops/selfhost';
import type { CommandDef, CommandInput, CommandResult, OptionDef } from '../../command.js';
import { optBool, optNumber, optString } from '../../command.js';
import type { CommandContext } from '../../context.js';
import { historyDir, instanceCompose, validateViaFetch } from '../dokploy-access.js';
import { instanceFlags, parseInteger } from '../shared.js';

const INSTANCE = {
  flags: '-i, --instance <name>',
  description: 'the instance (default: the selected one)',
};
const WRITE_OPTIONS: OptionDef[] = [
  { flags: '--redeploy', description: 'deploy now so Traefik routes by it, then validate' },
  {
    flags: '--validate-via <url>',
    description: 'with --redeploy: send the checks to URL (a tunnel) with the public host',
  },
  {
    flags: '--poll-interval <ms>',
    description: 'with --redeploy: pause between deployment status polls',
    parse: parseInteger(5),
  },
  { flags: '-y, --yes', description: 'change a production instance without asking' },
];
const FIELD_OPTIONS: OptionDef[] = [
  { flags: '--https', description: 'serve it over https (Let’s Encrypt unless --certificate)' },
  { flags: '--no-https', description: 'plain http (no certificate)' },
  {
    flags: '--certificate <type>',
    description: 'certificate type',
    choices: ['letsencrypt', 'none', 'custom'],
  },
  { flags: '--cert-resolver <name>', description: "with --certificate custom: Traefik's resolver" },
  { flags: '--service <name>', description: 'the compose service (default kong)' },
  { flags: '--port <n>', description: 'its port (default 8000)', parse: parseInteger(1) },
  { flags: '--path <path>', description: 'a path prefix' },
];

/** add / update / remove through selfhost's changeDomain, recorded in the server's history. */
async function change(
  ctx: CommandContext,
  input: CommandInput,
  action: DomainChange['action'],
  target: { host?: string; domain?: string },
): Promise<CommandResult> {
  const { options } = input;
  const { instance, dokploy, client } = await instanceCompose(ctx, instanceFlags(input), 'domain');
  if (instance.production) {
    await ctx.confirm(
      `Change the domains of production instance "${instance.name}"?`,
      optBool(options.yes),
    );
  }
  const selfhost = await import('@supaops/selfhost');
  const dir = await historyDir(ctx, dokploy.serverName);
  const httpFetch = validateViaFetch(optString(options.validateVia));
  const https = options.https === undefined ? undefined : options.https === true;
  const certificate = optString(options.certificate) as DomainChange['certificateType'];
  const port = optNumber(options.port);
  const poll = optNumber(options.pollInterval);
  const result = await selfhost.changeDomain({
    client,
    history: selfhost.createHistoryStore(dir),
    composeId: dokploy.composeId,
    action,
    ...target,
    ...(https !== undefined ? { https } : {}),
    ...(certificate ? { certificateType: certificate } : {}),
    ...(optString(options.certResolver)
      ? { customCertResolver: optString(options.certResolver) }
      : {}),
    ...(optString(options.service) ? { serviceName: optString(options.service) } : {}),
    ...(port ? { port } : {}),
    ...(optString(options.path) ? { path: optString(options.path) } : {}),
    redeploy: optBool(options.redeploy),
    ...(httpFetch ? { fetch: httpFetch } : {}),
    ...(poll ? { pollMs: poll, validateRetryMs: Math.min(3000, poll * 10) } : {}),
    signal: ctx.signal,
  });
  if (!result.effective && !optBool(options.redeploy)) {
    ctx.info(
      'it takes effect at the next deploy: run again with --redeploy, or deploy the compose',
    );
  }
  const validation = result.validation
    ? {
        ok: result.validation.ok,
        checks: result.validation.checks.map((c) => ({ name: c.name, ok: c.ok, reason: c.reason })),
      }
    : undefined;
  const d = result.domain;
  return {
    data: {
      instance: instance.name,
      composeId: dokploy.composeId,
      action,
      domain: {
        domainId: d.domainId,
        host: d.host,
        https: d.https,
        ...(d.certificateType ? { certificateType: d.certificateType } : {}),
        ...(d.serviceName ? { serviceName: d.serviceName } : {}),
        ...(d.port ? { port: d.port } : {}),
        ...(d.path ? { path: d.path } : {}),
      },
      effective: result.effective,
      needsRedeploy: result.needsRedeploy,
      message: result.message,
      ...(result.deploymentId ? { deploymentId: result.deploymentId } : {}),
      ...(validation ? { validation } : {}),
      historyDir: dir,
    },
    human: (c) =>
      `${c.green(action === 'add' ? 'added' : action === 'update' ? 'updated' : 'removed')} ${d.host}: ${result.message}`,
    exitCode: validation && !validation.ok ? 1 : 0,
  };
}

export const domainAdd: CommandDef = {
  name: 'add',
  description: "Add a domain to the instance's compose (kong:8000 unless --service/--port)",
  arguments: [{ name: '<host>', description: 'the host name, e.g. supabase.acme.dev' }],
  options: [INSTANCE, ...FIELD_OPTIONS, ...WRITE_OPTIONS],
  audit: true,
  examples: [
    { command: 'supaops domain add supabase.acme.dev --https', description: 'next deploy' },
    {
      command: 'supaops domain add api.acme.dev --https --redeploy',
      description: 'deploy and validate now',
    },
  ],
  action: (ctx, input) => change(ctx, input, 'add', { host: String(input.args[0]) }),
};

export const domainUpdate: CommandDef = {
  name: 'update',
  description: 'Change a domain of the compose: host, https, certificate, service, port, path',
  arguments: [{ name: '<domain>', description: 'its host or Dokploy domain id' }],
  options: [
    INSTANCE,
    { flags: '--host <host>', description: 'the new host name' },
    ...FIELD_OPTIONS,
    ...WRITE_OPTIONS,
  ],
  audit: true,
  examples: [
    {
      command: 'supaops domain update supabase.acme.dev --https --redeploy',
      description: 'switch to https now',
    },
  ],
  action: (ctx, input) =>
    change(ctx, input, 'update', {
      domain: String(input.args[0]),
      ...(optString(input.options.host) ? { host: optString(input.options.host) } : {}),
    }),
};

export const domainRemove: CommandDef = {
  name: 'remove',
  description: 'Remove a domain of the compose',
  arguments: [{ name: '<domain>', description: 'its host or Dokploy domain id' }],
  options: [INSTANCE, ...WRITE_OPTIONS],
  audit: true,
  examples: [{ command: 'supaops domain remove old.acme.dev', description: 'at the next deploy' }],
  action: (ctx, input) => change(ctx, input, 'remove', { domain: String(input.args[0]) }),
};
