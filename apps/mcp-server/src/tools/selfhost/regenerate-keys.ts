import type { RepairPlan } from '@supaops/selfhost';
import { z } from 'zod';
import { selfhost } from '../../libs.js';
import { defineTool, type ToolContext } from '../../registry/types.js';
import { DESTRUCTIVE, instanceArg } from '../common.js';
import { redactEnvSecrets } from '../env-source.js';
import { validationOf, validationSchema } from './deploy-result.js';
import { deployOptions, dokployTarget, historyFor } from './dokploy.js';

const input = z.object({ instance: instanceArg });
type Args = z.output<typeof input>;

/**
 * The plans of the dry runs, per runtime and compose: the confirmed call applies the very plan
 * whose masked diff the user saw (applyRepair refuses it when the env changed since).
 */
const plans = new WeakMap<object, Map<string, RepairPlan>>();

async function plan(args: Args, ctx: ToolContext) {
  const [sh, target] = await Promise.all([selfhost(), dokployTarget(args.instance, ctx)]);
  const repair = await sh.planRepair({ client: target.client, composeId: target.composeId });
  const texts = sh.repairPlanEnv(repair);
  await Promise.all([redactEnvSecrets(texts.before, ctx), redactEnvSecrets(texts.after, ctx)]);
  return { sh, target, repair, key: `${target.instance.name}|${target.composeId}` };
}

export default defineTool({
  name: 'dokploy_regenerate_keys',
  title: 'Regenerate keys',
  description:
    "Re-signs the anon/service keys of the instance's Dokploy env (URLs, https too), redeploys, validates.",
  group: 'selfhost',
  annotations: DESTRUCTIVE,
  write: true,
  input,
  output: z.object({
    composeId: z.string(),
    changedKeys: z.array(z.string()),
    domainUpdated: z.boolean(),
    deploymentId: z.string().optional(),
    validation: validationSchema.optional(),
    notes: z.array(z.string()),
  }),
  confirmWhen: 'always (the dry run shows the masked diff)',
  confirm: () => true,
  async dryRun(args, ctx) {
    const { repair, key } = await plan(args, ctx);
    const cache = plans.get(ctx.runtime) ?? new Map<string, RepairPlan>();
    plans.set(ctx.runtime, cache);
    cache.set(key, repair);
    return {
      summary: repair.needed
        ? `Would write ${repair.changedKeys.length} env value(s) of compose ${repair.composeId}${repair.rotateSecret ? ', rotating JWT_SECRET (every session ends)' : ''}${repair.domain ? ` and switch ${repair.domain.host} to https` : ''}, then redeploy and validate.`
        : `Nothing to repair in compose ${repair.composeId}.`,
      details: {
        changedKeys: repair.changedKeys,
        diff: ctx.untrusted('the masked env diff', repair.diffText),
        findingsBefore: repair.findingsBefore,
        findingsAfter: repair.findingsAfter,
        domain: repair.domain ?? null,
        keys: repair.keySummary,
        notes: repair.notes,
      },
    };
  },
  async handler(args, ctx) {
    const fresh = await plan(args, ctx);
    const cache = plans.get(ctx.runtime);
    // the confirmed plan when there is one; applyRepair refuses it if the env moved meanwhile
    const repair = cache?.get(fresh.key) ?? fresh.repair;
    cache?.delete(fresh.key);
    const result = await fresh.sh.applyRepair(repair, {
      client: fresh.target.client,
      history: await historyFor(fresh.target.serverName, ctx),
      signal: ctx.signal,
      ...deployOptions(ctx),
    });
    const notes = [...repair.notes];
    if (result.envWritten) {
      notes.push(
        `Clients and supaops.config.json references of instance "${fresh.target.instance.name}" (api.anonKey, api.serviceRoleKey) need the new keys: read them from the Dokploy env.`,
      );
    }
    return {
      structured: {
        composeId: repair.composeId,
        changedKeys: repair.changedKeys,
        domainUpdated: result.domainUpdated,
        ...(result.deploymentId ? { deploymentId: result.deploymentId } : {}),
        ...(result.validation ? { validation: validationOf(result.validation, ctx) } : {}),
        notes,
      },
    };
  },
});
