import { z } from 'zod';
import { selfhost, selfhostEnv } from '../../libs.js';
import { defineTool, type ToolContext } from '../../registry/types.js';
import { instanceArg, WRITE } from '../common.js';
import { validationOf, validationSchema } from './deploy-result.js';
import { composeEnv, deployOptions, dokployTarget, historyFor } from './dokploy.js';

const input = z.object({
  instance: instanceArg,
  set: z.record(z.string().max(256), z.string().max(100_000)).optional(),
  unset: z.array(z.string().max(256)).max(500).optional(),
  redeploy: z.boolean().optional(),
});
type Args = z.output<typeof input>;

/**
 * The compose's env, the edit and its masked diff; ciphertext and unparseable env are refused.
 * The env contract alone does it: the dry run never loads the Dokploy workflows.
 */
async function edit(args: Args, ctx: ToolContext) {
  const [sh, target] = await Promise.all([selfhostEnv(), dokployTarget(args.instance, ctx)]);
  const before = await composeEnv(target, ctx);
  const set = args.set ?? {};
  ctx.addSecrets(Object.entries(set).flatMap(([k, v]) => (sh.isSecretVariable(k) ? [v] : [])));
  const result = sh.editEnv(before, { set, unset: args.unset ?? [] });
  const diff = sh.diffEnv(before, result.text);
  return { sh, target, result, diff };
}

export default defineTool({
  name: 'dokploy_update_env',
  title: 'Update env',
  description:
    "Sets/unsets keys of the instance's Dokploy env (other lines byte for byte, recorded); optional redeploy.",
  group: 'selfhost',
  annotations: WRITE,
  write: true,
  input,
  output: z.object({
    composeId: z.string(),
    effective: z.boolean(),
    diff: z.string(),
    deploymentId: z.string().optional(),
    validation: validationSchema.optional(),
  }),
  confirmWhen: 'always (the dry run shows the masked diff)',
  confirm: () => true,
  async dryRun(args, ctx) {
    const { sh, target, result, diff } = await edit(args, ctx);
    const changes = result.changed.length + result.added.length + result.removed.length;
    return {
      summary: changes
        ? `Would change ${changes} key(s) of compose ${target.composeId}'s env${args.redeploy ? ', then redeploy and validate' : ' (effective at the next deploy)'}.`
        : `Nothing changes in compose ${target.composeId}'s env.`,
      details: {
        changed: result.changed,
        added: result.added,
        removed: result.removed,
        diff: ctx.untrusted('the masked env diff', sh.formatEnvDiff(diff)),
      },
    };
  },
  async handler(args, ctx) {
    const [{ sh, target }, { updateCompose }] = await Promise.all([edit(args, ctx), selfhost()]);
    const done = await updateCompose({
      client: target.client,
      history: await historyFor(target.serverName, ctx),
      composeId: target.composeId,
      env: { set: args.set ?? {}, unset: args.unset ?? [] },
      actor: 'mcp',
      redeploy: args.redeploy === true,
      signal: ctx.signal,
      ...deployOptions(ctx),
    });
    return {
      structured: {
        composeId: target.composeId,
        effective: done.effective,
        diff: ctx.untrusted('the masked env diff', done.diff ? sh.formatEnvDiff(done.diff) : ''),
        ...(done.deploymentId ? { deploymentId: done.deploymentId } : {}),
        ...(done.validation ? { validation: validationOf(done.validation, ctx) } : {}),
      },
    };
  },
});
