import type { DomainChange, DomainChangePlan } from '@supaops/selfhost';
import type { CommandDef, CommandInput, CommandResult, OptionDef } from '../../command.js';
import { optBool, optNumber, optString } from '../../command.js';
import type { CommandContext } from '../../context.js';
import { CliError } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import type { Colors } from '../../output/colors.js';
import {
  historyDir,
  instanceCompose,
  validateViaFetch,
  validationData,
} from '../dokploy-access.js';
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
  { flags: '--dry-run', description: 'show the plan only (exit 1 when a blocker refuses it)' },
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

/** The plan as lines: the summary, the changes, blockers and warnings with their fixes. */
export function planLines(c: Colors, plan: DomainChangePlan): string[] {
  const lines = [plan.summary];
  for (const ch of plan.changes)
    lines.push(c.dim(`  ${ch.field}: ${String(ch.from ?? '-')} → ${String(ch.to ?? '-')}`));
  for (const b of plan.blockers) {
    lines.push(`  ${c.red('blocker')} ${b.code}: ${b.message}`);
    if (b.fix) lines.push(`    ${c.cyan('fix:')} ${b.fix}`);
  }
  for (const w of plan.warnings) {
    lines.push(`  ${c.yellow('warning')} ${w.code}: ${w.message}`);
    if (w.fix) lines.push(`    ${c.cyan('fix:')} ${w.fix}`);
  }
  return lines;
}

/** The plan in the --json document (the compose's domains as lines, no Dokploy row). */
function planData(plan: DomainChangePlan) {
  return {
    summary: plan.summary,
    ok: plan.ok,
    noop: plan.noop,
    ...(plan.before ? { before: plan.before } : {}),
    ...(plan.after ? { after: plan.after } : {}),
    changes: plan.changes,
    needsRedeploy: plan.needsRedeploy,
    redeploy: plan.redeploy,
    ...(plan.letsEncrypt ? { letsEncrypt: plan.letsEncrypt } : {}),
    blockers: plan.blockers,
    warnings: plan.warnings,
    steps: plan.steps,
    domains: plan.domains,
  };
}

/**
 * add / update / remove: selfhost's planDomainChange first (shown, and the whole answer of
 * --dry-run; a blocker refuses the change), then changeDomain, recorded in the server's history.
 */
async function change(
  ctx: CommandContext,
  input: CommandInput,
  action: DomainChange['action'],
  target: { host?: string; domain?: string },
): Promise<CommandResult> {
  const { options } = input;
  const { instance, dokploy, client } = await instanceCompose(ctx, instanceFlags(input), 'domain');
  const selfhost = await import('@supaops/selfhost');
  const httpFetch = validateViaFetch(optString(options.validateVia));
  const https = options.https === undefined ? undefined : options.https === true;
  const certificate = optString(options.certificate) as DomainChange['certificateType'];
  const port = optNumber(options.port);
  const poll = optNumber(options.pollInterval);
  const request = {
    client,
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
  };
  const plan = await selfhost.planDomainChange(request);
  const base = { instance: instance.name, composeId: dokploy.composeId, action };
  if (optBool(options.dryRun)) {
    ctx.audit.outcome = 'dry-run';
    return {
      data: { ...base, dryRun: true, plan: planData(plan) },
      human: (c) => planLines(c, plan).join('\n'),
      exitCode: plan.ok ? EXIT_CODES.ok : EXIT_CODES.failedChecks,
    };
  }
  if (!ctx.globals.json) ctx.info(planLines(ctx.errColors, plan).join('\n'));
  if (!plan.ok) {
    ctx.audit.outcome = 'refused';
    const codes = plan.blockers.map((b) => b.code).join(', ');
    throw new CliError(
      'DOMAIN_CHANGE_BLOCKED',
      `The domain change was refused before anything was written: ${plan.blockers.map((b) => `${b.code}: ${b.message}`).join('; ')}.`,
      {
        exitCode: EXIT_CODES.usage,
        fix: plan.blockers.map((b) => b.fix ?? b.code).join('; ') || `resolve ${codes}`,
      },
    );
  }
  if (instance.production) {
    await ctx.confirm(
      `Change the domains of production instance "${instance.name}"?`,
      optBool(options.yes),
    );
  }
  const dir = await historyDir(ctx, dokploy.serverName);
  const result = await selfhost.changeDomain({
    ...request,
    history: selfhost.createHistoryStore(dir),
  });
  if (!result.effective && !optBool(options.redeploy)) {
    ctx.info(
      'it takes effect at the next deploy: run again with --redeploy, or deploy the compose',
    );
  }
  const validation = result.validation ? validationData(result.validation) : undefined;
  const d = result.domain;
  return {
    data: {
      ...base,
      dryRun: false,
      plan: planData(plan),
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
    { command: 'supaops domain add api.acme.dev --https --dry-run', description: 'the plan only' },
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
