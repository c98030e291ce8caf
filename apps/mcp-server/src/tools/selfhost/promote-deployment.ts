import type { PromoteEvent, PromoteResult } from '@supaops/selfhost';
import { z } from 'zod';
import { selfhost } from '../../libs.js';
import { defineTool, type ToolContext } from '../../registry/types.js';
import { safeJson } from '../../safety/untrusted.js';
import { DESTRUCTIVE, instanceArg, looseRecord } from '../common.js';
import { validationOf, validationSchema } from './deploy-result.js';
import { composeEnv, deployOptions, dokployTargetOf, historyFor } from './dokploy.js';
import { type PhaseProgress, phaseProgress } from './phase-progress.js';
import {
  cancelled,
  refuseDivergence,
  schemaOutput,
  schemaPlan,
  schemaResult,
  syncBackupOf,
  syncProgress,
} from './schema-sync.js';

const input = z.object({
  instance: instanceArg,
  from: z.string().min(1).max(100),
  alignImages: z.boolean().optional(),
  redeploy: z.boolean().optional(),
  confirmProduction: z.boolean().optional().describe('Required for a production instance'),
});
type Args = z.output<typeof input>;

/**
 * Both composes, their databases (the config's when configured, else selfhost derives the
 * Supavisor session string from the env), the target's backup storage and history. The target
 * is production by its config label; the library then also wants the explicit argument.
 */
async function prepare(args: Args, ctx: ToolContext) {
  const from = await ctx.instance(args.from, ['dokploy', 'database']);
  const to = await ctx.instance(args.instance, ['dokploy', 'database', 'backups']);
  const [sh, source, target, { backup, where }] = await Promise.all([
    selfhost(),
    dokployTargetOf(from, ctx),
    dokployTargetOf(to, ctx),
    syncBackupOf(to),
  ]);
  // validation reasons and logs are masked by selfhost; the redactor is the second fence
  await Promise.all([composeEnv(source, ctx), composeEnv(target, ctx)]);
  const db = (i: typeof from) => i.database.session ?? i.database.transaction;
  const sourceDb = db(from);
  const targetDb = db(to);
  const base = {
    source: {
      client: source.client,
      composeId: source.composeId,
      ...(sourceDb ? { database: sourceDb } : {}),
    },
    target: {
      client: target.client,
      composeId: target.composeId,
      history: await historyFor(target.serverName, ctx),
      production: to.production,
      ...(targetDb ? { database: targetDb } : {}),
    },
    migrationsDir: from.migrationsDir,
    backup,
    ...(args.alignImages ? { alignImages: true } : {}),
    ...(args.confirmProduction ? { confirmProduction: true } : {}),
    signal: ctx.signal,
  };
  return { sh, from, to, where, base };
}

function progressOf(progress: PhaseProgress) {
  const sync = syncProgress(progress, 'schema: ');
  return (e: PromoteEvent) => {
    if (e.type === 'sync') sync(e.event);
    else if (e.type === 'phase') progress.milestone(`${e.phase} ${e.status}`);
    else progress.milestone(`${e.phase} warning ${e.code}: ${e.message}`);
  };
}

const images = (r: PromoteResult) =>
  r.images
    ? {
        written: r.images.written,
        changes: r.images.changes.map((c) => `${c.service}: ${c.from} -> ${c.to}`),
        ...(r.images.sourceOnly.length ? { sourceOnly: r.images.sourceOnly } : {}),
      }
    : undefined;

export default defineTool({
  name: 'dokploy_promote_deployment',
  title: 'Promote deployment',
  description:
    'Promotes `from` into the instance: its migrations (backup first), with alignImages its images (redeployed, validated; dokploy_rollback undoes). Never data.',
  group: 'selfhost',
  annotations: DESTRUCTIVE,
  write: true,
  input,
  output: z.object({
    schema: schemaOutput,
    images: looseRecord.optional(),
    effective: z.boolean(),
    validation: validationSchema.optional(),
  }),
  confirmWhen: 'always (the dry run is the plan; production also needs confirmProduction)',
  confirm: () => true,
  async dryRun(args, ctx) {
    const { sh, from, to, where, base } = await prepare(args, ctx);
    // refused before a token: the confirmed call could only fail
    if (to.production && !args.confirmProduction)
      throw new sh.ProductionConfirmationRequiredError(base.target.composeId);
    const plan = await sh.promoteDeployment({ ...base, dryRun: true });
    await refuseDivergence(plan.schema);
    const changes = plan.images?.changes.length ?? 0;
    const n = plan.schema.applied.length;
    return {
      summary: `Would promote ${from.name} into ${to.name}${to.production ? ' (production)' : ''}: ${n ? `back up ${to.name}, apply ${n} migration(s)` : 'no migration to apply'}${args.alignImages ? `, ${changes ? `set ${changes} image(s), ${args.redeploy === false ? 'not redeployed' : 'redeploy and validate'}` : 'images already aligned'}` : ''}. Data is not copied.`,
      details: {
        ...schemaPlan(plan.schema, where),
        ...(plan.images ? { images: images(plan) } : {}),
      },
    };
  },
  async handler(args, ctx) {
    const { sh, base } = await prepare(args, ctx);
    const progress = phaseProgress(ctx, 17);
    const result = await sh
      .promoteDeployment({
        ...base,
        ...(args.redeploy === false ? { redeploy: false } : {}),
        ...deployOptions(ctx),
        onEvent: progressOf(progress),
      })
      .catch((error: unknown) => cancelled(error, 'the promotion', ctx));
    progress.done();
    const shown = images(result);
    const structured = {
      schema: schemaResult(result.schema),
      ...(shown ? { images: shown } : {}),
      effective: result.effective,
      ...(result.validation ? { validation: validationOf(result.validation, ctx) } : {}),
    };
    return {
      structured,
      text: `Promoted into compose ${result.target.composeId}: ${structured.schema.applied.length} migration(s)${shown ? `, ${shown.changes.length} image(s)` : ''}; ${result.effective ? 'in effect' : 'not in effect until a deploy'}${result.validation ? `, checks ${result.validation.ok ? 'passed' : 'FAILED'}` : ''}.\n${safeJson(structured)}`,
    };
  },
});
