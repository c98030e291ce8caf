import { z } from 'zod';
import { supabaseJwt } from '../../libs.js';
import { defineTool } from '../../registry/types.js';
import { DESTRUCTIVE, looseRecord } from '../common.js';
import {
  defaultSecretsFile,
  keyEnv,
  keySourceShape,
  resolvePath,
  writeEnvFile,
} from './key-env.js';

export default defineTool({
  name: 'plan_key_repair',
  title: 'Plan key repair',
  description:
    'Plans the repair of broken keys: new values, services to restart, clients to update. Once confirmed, writes the values to a new 0600 .env file.',
  group: 'keys',
  annotations: DESTRUCTIVE,
  write: true,
  input: z.object({
    ...keySourceShape,
    out: z.string().min(1).max(4096).optional().describe('New file for the changes'),
  }),
  output: z.object({
    source: z.string(),
    needed: z.boolean(),
    file: z.string().optional(),
    rotateSecret: z.boolean(),
    summary: z.array(z.string()),
    consequences: looseRecord,
    afterOk: z.boolean(),
  }),
  confirmWhen: 'always (the confirmed call writes the file)',
  confirm: () => true,
  async dryRun(args, ctx) {
    const [{ source, env }, jwt] = await Promise.all([keyEnv(args, ctx), supabaseJwt()]);
    const plan = await jwt.planKeyRepair(env);
    ctx.addSecrets(Object.values(plan.changes));
    return {
      summary: plan.needed
        ? `Would write ${Object.keys(plan.changes).length} corrected value(s) for ${source} to a new 0600 file${plan.rotateSecret ? ', rotating JWT_SECRET (every session ends)' : ''}. New values are drawn again on confirmation.`
        : `Nothing to repair in ${source}.`,
      details: {
        changes: plan.summary,
        consequences: plan.consequences,
        findings: plan.findings.map((f) => f.code),
      },
    };
  },
  async handler(args, ctx) {
    const [{ source, env }, jwt] = await Promise.all([keyEnv(args, ctx), supabaseJwt()]);
    const plan = await jwt.planKeyRepair(env);
    ctx.addSecrets(Object.values(plan.changes));
    let file: string | undefined;
    if (plan.needed) {
      file = args.out ? resolvePath(args.out, ctx) : defaultSecretsFile(ctx, 'key-repair');
      await writeEnvFile(file, plan.changes);
    }
    return {
      structured: {
        source,
        needed: plan.needed,
        ...(file ? { file } : {}),
        rotateSecret: plan.rotateSecret,
        summary: plan.summary,
        consequences: plan.consequences as unknown as Record<string, unknown>,
        afterOk: plan.after.ok,
      },
    };
  },
});
