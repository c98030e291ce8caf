import { z } from 'zod';
import { McpServerError } from '../../errors.js';
import { selfhostEnv } from '../../libs.js';
import { defineTool, type ToolContext } from '../../registry/types.js';
import { instanceArg, looseRecord, READ } from '../common.js';
import { readEnvSource, redactEnvSecrets } from '../env-source.js';
import { dokployTarget } from './dokploy.js';

const side = z.string().min(1).max(1_000_000).optional();
const input = z.object({
  left: side.describe('.env path'),
  leftEnv: side,
  right: side.describe('.env path'),
  rightEnv: side,
  instance: instanceArg,
});
type Args = z.output<typeof input>;

/** One side's env text: a file, a text, or (right only) the instance's Dokploy compose env. */
async function sideText(
  file: string | undefined,
  env: string | undefined,
  ctx: ToolContext,
  instance?: { name: string | undefined },
): Promise<{ source: string; text: string }> {
  if (file !== undefined || env !== undefined) return readEnvSource({ file, env }, ctx);
  if (!instance) {
    throw new McpServerError(
      'MCP_TOOL_FAILED',
      'No left env. Fix: pass left (a .env path) or leftEnv (the text).',
    );
  }
  const sh = await selfhostEnv();
  const { client, composeId } = await dokployTarget(instance.name, ctx);
  const compose = await client.compose.one({ composeId }, { signal: ctx.signal });
  const text = compose.env ?? '';
  if (sh.looksLikeCiphertext(text)) throw new sh.EnvCiphertextError(`compose ${composeId}'s env`);
  return { source: `Dokploy compose ${composeId}`, text };
}

export default defineTool({
  name: 'diff_env',
  title: 'Diff env',
  description:
    "Compares two envs (files, texts, or right: the instance's Dokploy compose); secrets masked.",
  group: 'selfhost',
  annotations: { ...READ, idempotentHint: false },
  write: false,
  input,
  output: z.object({
    left: z.string(),
    right: z.string(),
    summary: z.record(z.string(), z.number()),
    entries: z.array(looseRecord),
  }),
  async handler(args: Args, ctx) {
    const [sh, left, right] = await Promise.all([
      selfhostEnv(),
      sideText(args.left, args.leftEnv, ctx),
      sideText(args.right, args.rightEnv, ctx, { name: args.instance }),
    ]);
    await Promise.all([redactEnvSecrets(left.text, ctx), redactEnvSecrets(right.text, ctx)]);
    const diff = sh.diffEnv(left.text, right.text);
    return {
      structured: {
        left: left.source,
        right: right.source,
        summary: { ...diff.summary },
        entries: diff.entries.map((e) => ({ ...e })),
      },
      text: `${left.source} → ${right.source}: ${JSON.stringify(diff.summary)}\n${sh.formatEnvDiff(diff)}`,
    };
  },
});
