import type { DomainChangePlan } from '@supaops/selfhost';
import { z } from 'zod';
import { DomainChangeBlockedError } from '../../errors.js';
import { selfhost } from '../../libs.js';
import { defineTool, type ToolContext } from '../../registry/types.js';
import { instanceArg, looseRecord, WRITE } from '../common.js';
import { validationOf, validationSchema } from './deploy-result.js';
import { deployOptions, dokployTarget, historyFor } from './dokploy.js';

const input = z.object({
  instance: instanceArg,
  action: z.enum(['add', 'update', 'remove']),
  domain: z.string().max(253).optional(),
  host: z.string().max(253).optional(),
  https: z.boolean().optional(),
  cert: z.enum(['letsencrypt', 'none', 'custom']).optional(),
  redeploy: z.boolean().optional(),
});
type Args = z.output<typeof input>;

/** The change as changeDomain (and planDomainChange) take it (`domain`: the id or host). */
function change(args: Args) {
  return {
    action: args.action,
    ...(args.domain ? { domain: args.domain } : {}),
    ...(args.host ? { host: args.host } : {}),
    ...(args.https !== undefined ? { https: args.https } : {}),
    ...(args.cert ? { certificateType: args.cert } : {}),
  };
}

/**
 * selfhost's plan of the change; a blocked one is refused before a token (and again on the
 * confirmed call, the compose may have changed since). Let's Encrypt for a name it cannot reach
 * is the library's LetsEncryptUnreachableError, so its code and alternatives stay the same.
 */
async function plan(args: Args, ctx: ToolContext) {
  const [sh, target] = await Promise.all([selfhost(), dokployTarget(args.instance, ctx)]);
  const p = await sh.planDomainChange({
    client: target.client,
    composeId: target.composeId,
    ...change(args),
    redeploy: args.redeploy === true,
    signal: ctx.signal,
  });
  if (p.letsEncrypt && !p.letsEncrypt.reachable) sh.assertLetsEncryptReachable(p.letsEncrypt.host);
  if (!p.ok) throw new DomainChangeBlockedError(p.blockers);
  return { sh, target, plan: p };
}

/** What the dry run shows of the plan (the compose's domains, the change, its notes). */
function shown(p: DomainChangePlan) {
  return {
    ...(p.before ? { before: p.before } : {}),
    ...(p.after ? { after: p.after } : {}),
    changes: p.changes,
    needsRedeploy: p.needsRedeploy,
    ...(p.letsEncrypt ? { letsEncrypt: p.letsEncrypt } : {}),
    warnings: p.warnings,
    steps: p.steps,
  };
}

export default defineTool({
  name: 'dokploy_manage_domain',
  title: 'Manage domain',
  description: "Adds, updates (host, https, cert) or removes a domain of the instance's compose.",
  group: 'selfhost',
  annotations: WRITE,
  write: true,
  input,
  output: z.object({
    domain: looseRecord,
    effective: z.boolean(),
    message: z.string(),
    validation: validationSchema.optional(),
  }),
  confirmWhen: 'always (the dry run is the plan)',
  confirm: () => true,
  async dryRun(args, ctx) {
    const { sh, target, plan: p } = await plan(args, ctx);
    const what =
      args.action === 'add'
        ? `add ${sh.describeDomain(p.after as NonNullable<typeof p.after>)}`
        : args.action === 'remove'
          ? `remove ${sh.describeDomain(p.before as NonNullable<typeof p.before>)}`
          : p.noop
            ? `leave ${sh.describeDomain(p.before as NonNullable<typeof p.before>)} as it is`
            : `update ${sh.describeDomain(p.before as NonNullable<typeof p.before>)} to ${sh.describeDomain(p.after as NonNullable<typeof p.after>)}`;
    const warned = p.warnings.length
      ? ` Warnings: ${p.warnings.map((w) => w.code).join(', ')}.`
      : '';
    return {
      summary: `Would ${what} on compose ${target.composeId}${p.noop ? ' (nothing to change)' : args.redeploy ? ', then redeploy and validate' : ' (effective at the next deploy)'}.${warned}`,
      details: { change: change(args), plan: shown(p), domains: p.domains },
    };
  },
  async handler(args, ctx) {
    const { sh, target } = await plan(args, ctx);
    const done = await sh.changeDomain({
      client: target.client,
      history: await historyFor(target.serverName, ctx),
      composeId: target.composeId,
      ...change(args),
      redeploy: args.redeploy === true,
      signal: ctx.signal,
      ...deployOptions(ctx),
    });
    return {
      structured: {
        domain: { ...done.domain },
        effective: done.effective,
        message: done.message,
        ...(done.validation ? { validation: validationOf(done.validation, ctx) } : {}),
      },
    };
  },
});
