import { z } from 'zod';
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

/** The change as changeDomain takes it (`domain`: the id or host to update or remove). */
function change(args: Args) {
  return {
    action: args.action,
    ...(args.domain ? { domain: args.domain } : {}),
    ...(args.host ? { host: args.host } : {}),
    ...(args.https !== undefined ? { https: args.https } : {}),
    ...(args.cert ? { certificateType: args.cert } : {}),
  };
}

/** The compose's domains, and the one the call names (refused before a token when absent). */
async function current(args: Args, ctx: ToolContext) {
  const [sh, target] = await Promise.all([selfhost(), dokployTarget(args.instance, ctx)]);
  const domains = await sh.listDomains({
    client: target.client,
    composeId: target.composeId,
    signal: ctx.signal,
  });
  const named = args.domain?.toLowerCase();
  const existing = domains.find(
    (d) => d.domainId === args.domain || d.host.toLowerCase() === named,
  );
  if (args.action !== 'add' && !existing)
    throw new sh.DomainNotFoundError(
      target.composeId,
      String(args.domain),
      domains.map((d) => d.host),
    );
  const host = args.host ?? existing?.host;
  const https = args.https ?? existing?.https ?? false;
  const kept = existing?.certificateType;
  const cert = !https ? 'none' : (args.cert ?? (kept && kept !== 'none' ? kept : 'letsencrypt'));
  if (args.action !== 'remove' && host && https && cert === 'letsencrypt')
    sh.assertLetsEncryptReachable(host);
  return { sh, target, domains, existing };
}

const brief = (d: {
  host: string;
  https?: boolean | undefined;
  certificateType?: string | null | undefined;
}) => `${d.host} (${d.https ? `https, ${d.certificateType ?? 'letsencrypt'}` : 'http'})`;

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
  confirmWhen: 'always',
  confirm: () => true,
  async dryRun(args, ctx) {
    const { target, domains, existing } = await current(args, ctx);
    const what =
      args.action === 'add'
        ? `add ${args.host}`
        : args.action === 'remove'
          ? `remove ${existing ? brief(existing) : args.domain}`
          : `update ${existing ? brief(existing) : args.domain}`;
    return {
      summary: `Would ${what} on compose ${target.composeId}${args.redeploy ? ', then redeploy and validate' : ' (effective at the next deploy)'}.`,
      details: { change: change(args), domains: domains.map(brief) },
    };
  },
  async handler(args, ctx) {
    const { sh, target } = await current(args, ctx);
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
