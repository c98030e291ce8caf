import { z } from 'zod';
import { selfhost } from '../../libs.js';
import { defineTool, type ToolContext } from '../../registry/types.js';
import { DESTRUCTIVE, instanceArg, looseRecord } from '../common.js';
import { redactEnvSecrets } from '../env-source.js';
import { validationOf, validationSchema } from './deploy-result.js';
import { composeEnv, deployOptions, dokployTarget, historyFor } from './dokploy.js';

const input = z.object({ instance: instanceArg, force: z.boolean().optional() });
type Args = z.output<typeof input>;

/** Rollback's inputs; both env texts' secrets join the redactor before anything is shown. */
async function prepare(args: Args, ctx: ToolContext) {
  const [sh, target] = await Promise.all([selfhost(), dokployTarget(args.instance, ctx)]);
  const history = await historyFor(target.serverName, ctx);
  await composeEnv(target, ctx);
  const record = sh.rollbackTarget(await history.list(), target.composeId);
  if (record?.kind === 'compose.env') await redactEnvSecrets(String(record.before), ctx);
  const base = {
    client: target.client,
    history,
    composeId: target.composeId,
    ...(args.force ? { force: true } : {}),
    signal: ctx.signal,
  };
  return { sh, target, base };
}

export default defineTool({
  name: 'dokploy_rollback',
  title: 'Rollback',
  description: "Restores the compose's env or file before its last recorded change; redeploys.",
  group: 'selfhost',
  annotations: DESTRUCTIVE,
  write: true,
  input,
  output: z.object({
    target: looseRecord,
    diff: z.string(),
    effective: z.boolean(),
    validation: validationSchema.optional(),
  }),
  confirmWhen: 'always (the dry run shows the masked diff)',
  confirm: () => true,
  async dryRun(args, ctx) {
    const { sh, base } = await prepare(args, ctx);
    const dry = await sh.rollback({ ...base, dryRun: true });
    const t = dry.target;
    return {
      summary: `Would restore compose ${dry.composeId}'s ${t.kind === 'compose.env' ? 'env' : 'compose file'} as it was before ${t.actor}'s change of ${t.at}, then redeploy and validate.`,
      details: {
        target: { ...t },
        diff: ctx.untrusted('the masked env diff', dry.diff ? sh.formatEnvDiff(dry.diff) : ''),
      },
    };
  },
  async handler(args, ctx) {
    const { sh, base } = await prepare(args, ctx);
    const done = await sh.rollback({ ...base, ...deployOptions(ctx) });
    return {
      structured: {
        target: { ...done.target },
        diff: ctx.untrusted('the masked env diff', done.diff ? sh.formatEnvDiff(done.diff) : ''),
        effective: done.effective,
        ...(done.validation ? { validation: validationOf(done.validation, ctx) } : {}),
      },
    };
  },
});
