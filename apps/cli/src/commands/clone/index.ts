import path from 'node:path';
import type { CloneInstanceInput } from '@supaops/selfhost';
import type { CommandDef } from '../../command.js';
import { optBool, optNumber, optString, optStrings } from '../../command.js';
import type { CommandContext } from '../../context.js';
import { usageError } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { secretsAnswer, smtpOverride } from '../deploy/answers.js';
import { SECRETS_OPTIONS, SMTP_OPTIONS } from '../deploy/options.js';
import { registerInstance } from '../deploy/register.js';
import { configServer } from '../deploy/server.js';
import { summaryLines } from '../deploy/summary-view.js';
import {
  composeOf,
  dokployClient,
  historyDir,
  pathSegment,
  validateViaFetch,
  validationData,
} from '../dokploy-access.js';
import { collect, instanceFlags, parseInteger } from '../shared.js';
import { planData, planLines, withSmtpFlags } from './plan.js';
import { cloneView, rowCountLines } from './view.js';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

function cloneDomain(options: Record<string, unknown>): CloneInstanceInput['domain'] {
  const host = optString(options.domain);
  if (host && optBool(options.generatedDomain)) {
    throw usageError(
      'CLONE_DOMAIN_CONFLICT',
      'Both --domain and --generated-domain were given.',
      'Pass one of them.',
    );
  }
  if (host) return { mode: 'own', host: host.toLowerCase() };
  if (optBool(options.generatedDomain)) return { mode: 'generated' };
  throw usageError(
    'CLONE_DOMAIN_MISSING',
    'The clone needs a domain of its own.',
    'Pass --domain HOST (its DNS pointing at the server) or --generated-domain.',
  );
}

/** `--target-db-url`: its password goes to the redactor before anything can print it. */
async function targetDatabase(ctx: CommandContext, url: string): Promise<string> {
  const { parseConnectionTarget } = await import('@supaops/pg-connect');
  try {
    ctx.redactor.add(parseConnectionTarget(url).password);
  } catch {
    // a malformed URL is reported by the data copy with its own message
  }
  return url;
}

export const cloneCommand: CommandDef = {
  name: 'clone',
  description:
    "A new Supabase compose from an instance's: the same compose file and settings, fresh secrets and keys, its own domain; --copy-data copies the data and proves the row counts",
  options: [
    {
      flags: '-i, --instance <name>',
      description: 'the source: an instance with a Dokploy compose (default: the selected one)',
    },
    { flags: '--name <compose>', description: "the clone's compose name (a-z, 0-9, -)" },
    { flags: '--project <name>', description: "the Dokploy project (default: the source's)" },
    { flags: '--environment <name>', description: "its environment (default: the source's)" },
    {
      flags: '--server <name>',
      description: "another Dokploy server of the config (default: the source's)",
    },
    { flags: '--domain <host>', description: 'its own domain, the DNS pointing at the server' },
    { flags: '--generated-domain', description: "Dokploy's generated <app>.<ip>.sslip.io domain" },
    {
      flags: '--site-url <url>',
      description: "SITE_URL (default: the source's, unless it was the source's own gateway)",
    },
    {
      flags: '--redirect-url <url>',
      description: "an allowed auth redirect (repeatable; default: the source's, host replaced)",
      parse: collect,
    },
    // the source's SMTP settings unless these replace them
    ...SMTP_OPTIONS.map((o) =>
      o.flags.startsWith('--smtp-host') || o.flags === '--dev-autoconfirm'
        ? { ...o, description: `${o.description}; replaces the source's SMTP settings` }
        : o,
    ),
    ...SECRETS_OPTIONS,
    {
      flags: '--copy-data',
      description:
        "copy the source's data (backup of the instance's database, restore into the clone, row counts proven)",
    },
    {
      flags: '--target-db-url <url>',
      description:
        "with --copy-data: the clone's database (default: its Supavisor session string on its host, port 5432, which Dokploy's template does not publish: pass a reachable URL)",
    },
    {
      flags: '--register <name>',
      description: 'add the clone to the config as instance NAME (by reference, no keys)',
    },
    {
      flags: '--validate-via <url>',
      description: 'send the post-deploy checks here (the gateway through a tunnel)',
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
    {
      flags: '--dry-run',
      description:
        'the plan only (names, settings carried, secrets made fresh, mounts, warnings): nothing written',
    },
    { flags: '-y, --yes', description: 'clone without asking (needed without a terminal)' },
  ],
  audit: true,
  examples: [
    {
      command:
        'supaops clone --instance prod --name supabase-staging --project shop-staging --domain staging.shop.dev --dry-run',
      description: 'what the clone would do, nothing written',
    },
    {
      command:
        'supaops clone --instance prod --name supabase-staging --project shop-staging --domain staging.shop.dev --secrets-file staging.secrets.env --register staging --yes',
      description: 'a staging copy of prod, registered',
    },
    {
      command:
        'supaops clone --instance prod --name prod-copy --generated-domain --copy-data --target-db-url "$COPY_DB_URL" --print-secrets --yes --json',
      description: 'with the data, row counts in the JSON',
    },
  ],
  async action(ctx, input) {
    const { options } = input;
    const name = optString(options.name);
    if (!name || !NAME.test(name)) {
      throw usageError(
        'CLONE_NAME_INVALID',
        name ? `--name ${name} is not a compose name.` : 'The clone needs --name.',
        'Pass --name with lowercase letters, digits and -, at most 63 characters (e.g. supabase-staging).',
      );
    }
    const domain = cloneDomain(options);
    const copyData = optBool(options.copyData);
    const targetDbUrl = optString(options.targetDbUrl);
    if (targetDbUrl && !copyData) {
      throw usageError(
        'CLONE_TARGET_DB_WITHOUT_COPY',
        '--target-db-url is only used with --copy-data.',
        'Add --copy-data, or drop --target-db-url.',
      );
    }
    const instance = await ctx.instance(
      instanceFlags(input),
      copyData ? ['dokploy', 'database'] : ['dokploy'],
    );
    const { dokploy, client } = await composeOf(ctx, instance, 'clone');
    const serverName = optString(options.server) ?? dokploy.serverName;
    const server = await configServer(ctx, serverName);
    const targetClient =
      serverName === dokploy.serverName ? undefined : await dokployClient(ctx, server);
    const smtp = await smtpOverride(ctx, options);
    const dryRun = optBool(options.dryRun);
    // the plan does not depend on where the secrets go: a dry run asks nothing about it
    const secretsOutput =
      dryRun && !optString(options.secretsFile) && !optBool(options.printSecrets)
        ? ({ mode: 'print' } as const)
        : await secretsAnswer(ctx, options, name);
    const loaded = await ctx.config();
    const statePath = path.join(
      loaded.paths.state,
      'clone',
      pathSegment(serverName),
      `${pathSegment(name)}.json`,
    );
    const historyPath = await historyDir(ctx, serverName);
    const sourceDb = instance.database.session;
    if (copyData && !sourceDb) {
      ctx.info(
        `instance "${instance.name}" has no session database configured: the source is read through its Supavisor session string (SUPABASE_HOST:5432)`,
      );
    }
    const timeout = optNumber(options.deployTimeout);
    const poll = optNumber(options.pollInterval);
    const httpFetch = validateViaFetch(optString(options.validateVia));
    const siteUrl = optString(options.siteUrl);
    const redirects = optStrings(options.redirectUrl);
    const selfhost = await import('@supaops/selfhost');
    const cloneInput: CloneInstanceInput = {
      client,
      composeId: dokploy.composeId,
      history: selfhost.createHistoryStore(historyPath),
      name,
      target: {
        ...(targetClient ? { client: targetClient } : {}),
        ...(optString(options.project) ? { projectName: optString(options.project) } : {}),
        ...(optString(options.environment)
          ? { environmentName: optString(options.environment) }
          : {}),
      },
      domain,
      ...(siteUrl ? { siteUrl } : {}),
      ...(redirects.length > 0 ? { additionalRedirectUrls: redirects } : {}),
      ...(smtp ? { smtp } : {}),
      secretsOutput,
      statePath,
      ...(copyData
        ? {
            data: {
              ...(sourceDb ? { source: sourceDb } : {}),
              ...(targetDbUrl ? { target: await targetDatabase(ctx, targetDbUrl) } : {}),
            },
          }
        : {}),
      signal: ctx.signal,
      ...(httpFetch ? { fetch: httpFetch } : {}),
      ...(timeout ? { deployTimeoutMs: timeout * 1000 } : {}),
      ...(poll ? { deployPollMs: poll, validateRetryMs: Math.min(3000, poll * 10) } : {}),
    };
    // what the clone would do, failing where it would (fake SMTP included) before any write
    const plan = await selfhost.planClone(cloneInput).catch((error: unknown) => {
      throw selfhost.CloneSettingsError.isInstance(error) ? withSmtpFlags(error) : error;
    });
    const planned = planData(instance.name, server, plan, statePath);
    if (dryRun) {
      ctx.audit.outcome = 'dry-run';
      return { data: planned, human: (c) => planLines(c, planned).join('\n') };
    }
    if (!ctx.globals.json) ctx.info(planLines(ctx.errColors, planned).join('\n'));
    await ctx.confirm(
      `Clone "${instance.name}" (compose ${dokploy.composeId}) into a new compose "${name}" on ${server.url} at ${plan.clone.host ?? 'a generated domain'}${copyData ? ', copying its data' : ''}?`,
      optBool(options.yes),
    );
    const view = cloneView(ctx, (timeout ?? 30 * 60) * 1000);
    ctx.onClose(view.stop);
    const result = await selfhost.cloneInstance({ ...cloneInput, onEvent: view.onEvent });
    await view.stop();
    const registerAs = optString(options.register);
    const registration = registerAs
      ? await registerInstance(ctx, {
          name: registerAs,
          server,
          composeId: result.clone.composeId,
          publicUrl: result.summary.publicUrl,
        })
      : undefined;
    const { data: copied, validation } = result;
    const data = {
      dryRun: false,
      source: { instance: instance.name, ...result.source },
      clone: result.clone,
      server: { name: server.name, url: server.url },
      carried: result.carried,
      regenerated: result.regenerated,
      ...(result.mounts ? { mounts: result.mounts } : {}),
      wizard: result.wizard,
      summary: result.summary,
      validation: validationData(validation),
      ...(copied
        ? {
            data: {
              strategy: copied.strategy,
              tables: copied.tables,
              rows: copied.rows,
              rowCounts: copied.rowCounts,
            },
          }
        : {}),
      sourceUnchanged: result.sourceUnchanged,
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
      human: (c) => {
        const lines = [
          `${c.green('cloned')} ${instance.name} → ${result.clone.name} (compose ${result.clone.composeId}, project ${result.clone.projectName})`,
        ];
        if (result.mounts) {
          lines.push(
            `  mounts       ${result.mounts.copied.length} copied, ${result.mounts.skipped.length} skipped`,
          );
        }
        lines.push(`  carried      ${result.carried.length} settings`);
        lines.push(`  regenerated  ${result.regenerated.length} secrets and keys`);
        if (!result.sourceUnchanged) lines.push(c.yellow('  the source changed during the clone'));
        if (copied) lines.push(...rowCountLines(c, copied));
        lines.push(...summaryLines(c, result.summary, registration, result.secrets));
        return lines.join('\n');
      },
      exitCode: validation.ok ? EXIT_CODES.ok : EXIT_CODES.failedChecks,
    };
  },
};
