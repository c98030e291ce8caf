import type { ResolvedInstance } from '@supaops/config';
import type {
  PromoteResult,
  SyncBackupOptions,
  SyncSchemaInput,
  SyncSchemaResult,
} from '@supaops/selfhost';
import type { CommandDef, CommandResult } from '../../command.js';
import { optBool, optNumber, optString } from '../../command.js';
import type { CommandContext } from '../../context.js';
import { usageError } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import type { Colors } from '../../output/colors.js';
import { KEY_OPTIONS, STORAGE_OPTIONS, storageAndKey } from '../backup/storage.js';
import {
  composeOf,
  historyDir,
  REDEPLOY_OPTIONS,
  validateViaFetch,
  validationData,
} from '../dokploy-access.js';
import { parseInteger } from '../shared.js';
import {
  divergenceLines,
  promoteEventView,
  schemaData,
  schemaLines,
  syncEventView,
} from './view.js';

type Options = Record<string, unknown>;
type Deployment = PromoteResult & { historyDir: string };

/** The target's backup before any migration: storage and key as `backup create` finds them. */
async function targetBackup(
  ctx: CommandContext,
  options: Options,
  target: ResolvedInstance,
): Promise<SyncBackupOptions> {
  const { storage, key } = await storageAndKey(ctx, options, target);
  if (!key) {
    ctx.warn(
      `no encryption key is configured for "${target.name}": its backup is stored unencrypted (pass --key-file or set backups.encryptionKey).`,
    );
  }
  return { storage, encryption: key ?? false };
}

/**
 * A production target: `--confirm-production`, or the question on a terminal; without either
 * the promotion is refused before anything is written (the library refuses it too).
 */
async function confirmProduction(
  ctx: CommandContext,
  target: ResolvedInstance,
  options: Options,
): Promise<boolean> {
  if (!target.production) return false;
  if (optBool(options.confirmProduction)) return true;
  if (!ctx.interactive) {
    ctx.audit.outcome = 'refused';
    throw usageError(
      'PRODUCTION_CONFIRMATION_REQUIRED',
      `Instance "${target.name}" is labelled production; promoting into it changes its schema. Nothing was done.`,
      'Review the plan with --dry-run, then pass --yes --confirm-production.',
    );
  }
  await ctx.confirm(`"${target.name}" is labelled production. Promote into it?`, false);
  return true;
}

function lockOption(options: Options): SyncSchemaInput['lock'] | undefined {
  const seconds = optNumber(options.lockTimeout);
  return seconds === undefined ? undefined : { mode: 'wait', timeoutMs: seconds * 1000 };
}

function documentOf(
  from: ResolvedInstance,
  to: ResolvedInstance,
  schema: SyncSchemaResult,
  deployment: Deployment | undefined,
) {
  const validation = deployment?.validation;
  return {
    from: from.name,
    to: to.name,
    mode: deployment ? ('deployment' as const) : ('schema-only' as const),
    dryRun: schema.dryRun,
    production: to.production,
    schema: schemaData(schema),
    ...(deployment
      ? {
          source: deployment.source,
          target: { composeId: deployment.target.composeId, appName: deployment.target.appName },
          ...(deployment.images ? { images: deployment.images } : {}),
          effective: deployment.effective,
          needsRedeploy: deployment.needsRedeploy,
          ...(deployment.deploymentId ? { deploymentId: deployment.deploymentId } : {}),
          ...(validation ? { validation: validationData(validation) } : {}),
          historyDir: deployment.historyDir,
        }
      : {}),
    dataCopied: false as const,
  };
}

function humanText(
  c: Colors,
  from: ResolvedInstance,
  to: ResolvedInstance,
  schema: SyncSchemaResult,
  deployment: Deployment | undefined,
): string {
  const head = schema.dryRun
    ? `${c.yellow('would promote')} ${from.name} → ${to.name} (${deployment ? 'plan' : 'plan, schema only'})`
    : `${c.green('promoted')} ${from.name} → ${to.name}${deployment ? '' : ' (schema only)'}`;
  const lines = [head, ...schemaLines(c, schema)];
  const images = deployment?.images;
  for (const i of images?.changes ?? [])
    lines.push(`  image        ${i.service}: ${i.from} → ${i.to}`);
  if (images && images.changes.length === 0) lines.push('  images       already the same');
  if (images?.written) {
    lines.push(
      deployment?.effective
        ? '  redeployed   with the new images'
        : '  redeploy     pending: the new images run after the next deploy',
    );
  }
  const v = deployment?.validation;
  if (v) lines.push(`  validation   ${v.ok ? c.green('ok') : c.red('failed')}`);
  for (const k of v?.checks.filter((x) => !x.ok) ?? [])
    lines.push(c.red(`    ${k.name}: ${k.reason}`));
  lines.push(c.dim('  data is never copied by a promotion'));
  return lines.join('\n');
}

function resultOf(
  from: ResolvedInstance,
  to: ResolvedInstance,
  schema: SyncSchemaResult,
  deployment: Deployment | undefined,
): CommandResult {
  const failed =
    schema.divergence.length > 0 || (deployment?.validation && !deployment.validation.ok);
  return {
    data: documentOf(from, to, schema, deployment),
    human: (c) => humanText(c, from, to, schema, deployment),
    exitCode: failed ? EXIT_CODES.failedChecks : EXIT_CODES.ok,
  };
}

export const promoteCommand: CommandDef = {
  name: 'promote',
  description:
    "Promote one instance to the next (dev → staging → prod): the target backed up, then the migrations it lacks from the source's migrationsDir; --align-images also gives it the source's images, redeployed and validated. Never data",
  options: [
    { flags: '--from <instance>', description: 'the source instance (its history is the truth)' },
    { flags: '--to <instance>', description: 'the target instance' },
    {
      flags: '--schema-only',
      description:
        "only the schema sync between the two instances' databases (no Dokploy compose needed)",
    },
    {
      flags: '--align-images',
      description: "give the target's services the source's images (a compose-file change)",
    },
    {
      flags: '--no-redeploy',
      description: 'with --align-images: write only; the images change at the next deploy',
    },
    { flags: '--dry-run', description: 'the plan only: no backup, no write' },
    { flags: '-y, --yes', description: 'promote without asking (needed without a terminal)' },
    {
      flags: '--confirm-production',
      description: 'required (with --yes) for a target labelled production',
    },
    ...STORAGE_OPTIONS.map((o) => ({
      ...o,
      description: `${o.description.replace("the instance's", "the target's")} (the target's backup)`,
    })),
    ...KEY_OPTIONS,
    {
      flags: '--lock-timeout <seconds>',
      description: 'wait this long for the migration lock (default: fail at once when held)',
      parse: parseInteger(1),
    },
    ...REDEPLOY_OPTIONS,
  ],
  audit: true,
  examples: [
    { command: 'supaops promote --from staging --to prod --dry-run', description: 'the plan' },
    {
      command: 'supaops promote --from staging --to prod --align-images --yes --confirm-production',
      description: 'schema and images into production',
    },
    {
      command: 'supaops promote --from dev --to staging --schema-only --yes',
      description: 'migrations only, any two instances with databases',
    },
  ],
  async action(ctx, input) {
    const { options } = input;
    const fromName = optString(options.from);
    const toName = optString(options.to);
    if (!fromName || !toName) {
      throw usageError(
        'PROMOTE_INSTANCES_MISSING',
        'promote needs the source and the target instance.',
        'Pass --from INSTANCE --to INSTANCE (supaops instances list shows them).',
      );
    }
    if (fromName === toName) {
      throw usageError(
        'PROMOTE_SAME_INSTANCE',
        `--from and --to both name "${fromName}".`,
        'Name two different instances.',
      );
    }
    const schemaOnly = optBool(options.schemaOnly);
    if (schemaOnly && optBool(options.alignImages)) {
      throw usageError(
        'PROMOTE_OPTIONS_CONFLICT',
        '--align-images changes the compose: it cannot go with --schema-only.',
        'Drop one of them.',
      );
    }
    const dryRun = optBool(options.dryRun);
    const parts = schemaOnly ? (['database'] as const) : (['dokploy', 'database'] as const);
    const from = await ctx.instance({ instance: fromName, from: '--from' }, parts);
    const to = await ctx.instance(
      { instance: toName, from: '--to' },
      dryRun ? parts : [...parts, 'backups'],
    );
    const selfhost = await import('@supaops/selfhost');
    const lock = lockOption(options);
    const common = {
      migrationsDir: from.migrationsDir,
      ...(lock ? { lock } : {}),
      signal: ctx.signal,
    };
    type Run = (
      real: { backup: SyncBackupOptions; confirmProduction: boolean } | undefined,
    ) => Promise<{ schema: SyncSchemaResult; deployment?: Deployment }>;
    let run: Run;
    if (schemaOnly) {
      const source = ctx.databaseUrl(from, 'session');
      const target = ctx.databaseUrl(to, 'session');
      run = async (real) => ({
        schema: await selfhost.syncSchema({
          ...common,
          source,
          target,
          ...(real ? { backup: real.backup, onEvent: syncEventView(ctx) } : { dryRun: true }),
        }),
      });
    } else {
      const src = await composeOf(ctx, from, 'promote');
      const dst = await composeOf(ctx, to, 'promote');
      const dir = await historyDir(ctx, dst.dokploy.serverName);
      const httpFetch = validateViaFetch(optString(options.validateVia));
      const poll = optNumber(options.pollInterval);
      const base = {
        ...common,
        source: {
          client: src.client,
          composeId: src.dokploy.composeId,
          ...(from.database.session ? { database: from.database.session } : {}),
        },
        target: {
          client: dst.client,
          composeId: dst.dokploy.composeId,
          history: selfhost.createHistoryStore(dir),
          production: to.production,
          ...(to.database.session ? { database: to.database.session } : {}),
        },
        alignImages: optBool(options.alignImages),
        redeploy: options.redeploy !== false,
        ...(httpFetch ? { fetch: httpFetch } : {}),
        ...(poll ? { pollMs: poll, validateRetryMs: Math.min(3000, poll * 10) } : {}),
      };
      run = async (real) => {
        const r = await selfhost.promoteDeployment({
          ...base,
          ...(real
            ? {
                backup: real.backup,
                confirmProduction: real.confirmProduction,
                onEvent: promoteEventView(ctx),
              }
            : { dryRun: true }),
        });
        return { schema: r.schema, deployment: { ...r, historyDir: dir } };
      };
    }
    const plan = await run(undefined);
    if (dryRun) {
      ctx.audit.outcome = 'dry-run';
      return resultOf(from, to, plan.schema, plan.deployment);
    }
    if (plan.schema.divergence.length > 0) {
      if (!ctx.globals.json)
        ctx.info(divergenceLines(ctx.errColors, plan.schema.divergence).join('\n'));
      // the library's own refusal, from its plan: nothing was backed up or written
      throw new selfhost.SchemaDivergenceError(plan.schema.divergence);
    }
    if (!ctx.globals.json)
      ctx.info(humanText(ctx.errColors, from, to, plan.schema, plan.deployment));
    const production = await confirmProduction(ctx, to, options);
    const changes = plan.schema.applied.length;
    const images = plan.deployment?.images?.changes.length ?? 0;
    await ctx.confirm(
      `Promote "${from.name}" to "${to.name}": back up the target, apply ${changes} migration${changes === 1 ? '' : 's'}${images > 0 ? `, change ${images} image${images === 1 ? '' : 's'} and redeploy` : ''}?`,
      optBool(options.yes),
    );
    const backup = await targetBackup(ctx, options, to);
    const done = await run({ backup, confirmProduction: production });
    return resultOf(from, to, done.schema, done.deployment);
  },
};
