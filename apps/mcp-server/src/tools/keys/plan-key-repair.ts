import { z } from 'zod';
import { McpServerError } from '../../errors.js';
import { selfhostEnv, supabaseJwt } from '../../libs.js';
import { defineTool, type ToolContext } from '../../registry/types.js';
import { DESTRUCTIVE, looseRecord } from '../common.js';
import { setValuesInEnvFile, writeNewEnvFile } from './env-files.js';
import { defaultSecretsFile, keyEnv, keySourceShape, resolvePath } from './key-env.js';

const input = z.object({
  ...keySourceShape,
  out: z.string().min(1).max(4096).optional().describe('New file (not with file)'),
});
type Args = z.output<typeof input>;

/** The source and its plan; a file to edit in place must be writable (not ciphertext). */
async function plan(args: Args, ctx: ToolContext) {
  if (args.file !== undefined && args.out !== undefined) {
    throw new McpServerError(
      'MCP_TOOL_FAILED',
      'out was given with file. Fix: drop out: the confirmed call writes the repaired values into the file itself (keeping <file>.bak); out names a new file only for env text or an instance.',
    );
  }
  const [{ source, env, path, text }, jwt, sh] = await Promise.all([
    keyEnv(args, ctx),
    supabaseJwt(),
    selfhostEnv(),
  ]);
  // refused before anything is planned: ciphertext, or lines compose cannot read
  if (path !== undefined && text !== undefined) sh.assertEnvWritable(text);
  const repair = await jwt.planKeyRepair(env);
  ctx.addSecrets(Object.values(repair.changes));
  return { source, path, repair };
}

export default defineTool({
  name: 'plan_key_repair',
  title: 'Plan key repair',
  description:
    'Plans the repair of broken keys (new values, restarts, clients to update); confirmed, writes them into the file (.bak kept) or a new 0600 file.',
  group: 'keys',
  annotations: DESTRUCTIVE,
  write: true,
  input,
  output: z.object({
    source: z.string(),
    needed: z.boolean(),
    file: z.string().optional(),
    backup: z.string().optional(),
    rotateSecret: z.boolean(),
    summary: z.array(z.string()),
    consequences: looseRecord,
    afterOk: z.boolean(),
  }),
  confirmWhen: 'always (the confirmed call writes the file)',
  confirm: () => true,
  async dryRun(args, ctx) {
    const { source, path, repair } = await plan(args, ctx);
    const where = path
      ? `into ${path} (every other line kept, the old file copied to ${path}.bak)`
      : 'to a new 0600 file';
    return {
      summary: repair.needed
        ? `Would write ${Object.keys(repair.changes).length} corrected value(s) for ${source} ${where}${repair.rotateSecret ? ', rotating JWT_SECRET (every session ends)' : ''}. New values are drawn again on confirmation.`
        : `Nothing to repair in ${source}.`,
      details: {
        changes: repair.summary,
        consequences: repair.consequences,
        findings: repair.findings.map((f) => f.code),
      },
    };
  },
  async handler(args, ctx) {
    const { source, path, repair } = await plan(args, ctx);
    let file: string | undefined;
    let backup: string | undefined;
    if (repair.needed && path) {
      file = path;
      backup = (await setValuesInEnvFile(path, repair.changes)).backup;
    } else if (repair.needed) {
      file = args.out ? resolvePath(args.out, ctx) : defaultSecretsFile(ctx, 'key-repair');
      await writeNewEnvFile(file, repair.changes);
    }
    return {
      structured: {
        source,
        needed: repair.needed,
        ...(file ? { file } : {}),
        ...(backup ? { backup } : {}),
        rotateSecret: repair.rotateSecret,
        summary: repair.summary,
        consequences: repair.consequences as unknown as Record<string, unknown>,
        afterOk: repair.after.ok,
      },
    };
  },
});
