import type { CommandDef } from '../../command.js';
import { optBool, optString } from '../../command.js';
import {
  dokployClient,
  historyDir,
  pathSegment,
  validateViaFetch,
  validationData,
} from '../dokploy-access.js';
import { collect, parseInteger } from '../shared.js';
import { collectAnswers } from './answers.js';
import { SECRETS_OPTIONS, SMTP_OPTIONS } from './options.js';
import { registerInstance } from './register.js';
import { summaryLines } from './summary-view.js';
import { stepView } from './view.js';

export const deployCommand: CommandDef = {
  name: 'deploy',
  description:
    'Deploy self-hosted Supabase on Dokploy: project, secrets, SMTP, domain, review, deploy, validation; asks on a terminal, resumes when re-run',
  options: [
    { flags: '--server <name>', description: 'a Dokploy server of the config (dokployServers)' },
    { flags: '--dokploy-url <url>', description: 'a Dokploy server not in the config yet' },
    {
      flags: '--dokploy-key-env <name>',
      description: 'environment variable with its API key (with --dokploy-url)',
    },
    { flags: '--project <name>', description: 'the Dokploy project (created when missing)' },
    { flags: '--environment <name>', description: "its environment (default: the project's)" },
    { flags: '--compose-name <name>', description: 'the compose service name (default supabase)' },
    { flags: '--domain <host>', description: 'your own domain, its DNS pointing at the server' },
    { flags: '--generated-domain', description: "Dokploy's generated <app>.<ip>.sslip.io domain" },
    { flags: '--site-url <url>', description: 'the app that signs users in (default: the domain)' },
    {
      flags: '--redirect-url <url>',
      description: 'an allowed auth redirect (repeatable)',
      parse: collect,
    },
    ...SMTP_OPTIONS,
    ...SECRETS_OPTIONS,
    {
      flags: '--name <instance>',
      description: 'the instance registered in the config (default: the project name)',
    },
    { flags: '--no-register', description: 'do not add the instance to the config' },
    {
      flags: '--validate-via <url>',
      description:
        'send the post-deploy checks here (the gateway through a tunnel, or before DNS is live)',
    },
    {
      flags: '--deploy-timeout <seconds>',
      description: 'how long to wait for the deployment',
      parse: parseInteger(1),
    },
    {
      flags: '--poll-interval <ms>',
      description: 'pause between deployment status polls',
      parse: parseInteger(5),
    },
    { flags: '-y, --yes', description: 'deploy without asking (needed without a terminal)' },
  ],
  audit: true,
  examples: [
    { command: 'supaops deploy', description: 'answer the questions on a terminal' },
    {
      command:
        'supaops deploy --server main --project shop --domain supabase.shop.dev --smtp-host smtp.example.net --smtp-user apikey --smtp-pass-env SMTP_PASS --smtp-admin-email auth@shop.dev --secrets-file shop.secrets.env --yes',
      description: 'for scripts and CI',
    },
    {
      command:
        'supaops deploy --dokploy-url https://dokploy.example.com --dokploy-key-env DOKPLOY_API_KEY --project demo --generated-domain --dev-autoconfirm --print-secrets --yes --json',
      description: 'a trial deployment, JSON summary with the secrets',
    },
  ],
  async action(ctx, { options }) {
    const { server, input } = await collectAnswers(ctx, options);
    const project = input.projectName;
    const target = input.domain.mode === 'own' ? input.domain.host : 'a generated domain';
    await ctx.confirm(
      `Deploy Supabase "${project}" on ${server.url} at ${target}?`,
      optBool(options.yes),
    );
    const loaded = await ctx.config();
    const historyPath = await historyDir(ctx, server.name);
    const selfhost = await import('@supaops/selfhost');
    const statePath = selfhost.wizardStatePath(loaded.paths.state, server.name, project);
    const client = await dokployClient(ctx, server);
    const view = stepView(ctx, (Number(input.deployTimeoutMs) || 30 * 60_000) as number);
    ctx.onClose(view.stop);
    const httpFetch = validateViaFetch(optString(options.validateVia));
    ctx.info(ctx.errColors.dim(`state: ${statePath}`));
    const result = await selfhost.runSetupWizard(input, {
      client,
      state: selfhost.createWizardStateStore(statePath),
      history: selfhost.createHistoryStore(historyPath),
      onEvent: view.onEvent,
      signal: ctx.signal,
      ...(httpFetch ? { httpFetch } : {}),
    });
    await view.stop();
    const { summary } = result;
    const name = optString(options.name) ?? pathSegment(project).replace(/^[^a-z0-9]+/, '');
    const registration =
      options.register === false
        ? undefined
        : await registerInstance(ctx, {
            name,
            server,
            composeId: result.composeId,
            publicUrl: summary.publicUrl,
          });
    if (registration) ctx.audit.instance = registration.name;
    const data = {
      project,
      ...(input.environmentName ? { environment: input.environmentName } : {}),
      server: { name: server.name, url: server.url },
      composeId: result.composeId,
      dokployVersion: result.dokployVersion,
      ran: result.ran,
      skipped: result.skipped,
      summary,
      validation: validationData(result.validation),
      statePath,
      historyDir: historyPath,
      instance: registration ?? null,
      ...(result.secrets ? { secrets: result.secrets } : {}),
    };
    if (result.secrets && ctx.io.stdout.isTTY) {
      ctx.warn('the secrets below are printed once and not stored anywhere: copy them now.');
    }
    return {
      data,
      secretOutput: result.secrets !== undefined,
      human: (c) =>
        [
          `${c.green('deployed')} ${project} (compose ${result.composeId}, Dokploy ${result.dokployVersion})`,
          ...summaryLines(c, summary, registration, result.secrets),
        ].join('\n'),
    };
  },
};
