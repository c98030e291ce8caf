import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { McpServerError } from '../errors.js';
import { selfhostEnv } from '../libs.js';
import type { ToolContext } from '../registry/types.js';

/** A path as the caller meant it: relative ones against the server's working directory. */
export function resolvePath(path: string, ctx: ToolContext): string {
  return isAbsolute(path) ? path : resolve(ctx.runtime.options.cwd ?? process.cwd(), path);
}

/**
 * The env text of a call: given as `env`, or read from `file`. Ciphertext (Dokploy's `enc:v1:`
 * env after a secret change) is refused with selfhost's EnvCiphertextError: it has no values.
 */
export async function readEnvSource(
  args: { env?: string | undefined; file?: string | undefined },
  ctx: ToolContext,
): Promise<{ source: string; text: string; path?: string }> {
  if (args.env !== undefined && args.file !== undefined) {
    throw new McpServerError(
      'MCP_TOOL_FAILED',
      'Both env and file were given. Fix: pass one of env (the text), file (a path) or instance.',
    );
  }
  const sh = await selfhostEnv();
  if (args.file === undefined) {
    const text = args.env ?? '';
    if (sh.looksLikeCiphertext(text)) throw new sh.EnvCiphertextError('The env text');
    return { source: 'env text', text };
  }
  const path = resolvePath(args.file, ctx);
  const text = await readFile(path, 'utf8');
  if (sh.looksLikeCiphertext(text)) throw new sh.EnvCiphertextError(path);
  return { source: path, text, path };
}

/** Adds the values of the record's secret variables (selfhost's schema) to the redactor. */
export async function redactRecordSecrets(
  record: Record<string, string> | undefined,
  ctx: ToolContext,
): Promise<void> {
  if (!record) return;
  const sh = await selfhostEnv();
  ctx.addSecrets(
    Object.entries(record)
      .filter(([key]) => sh.isSecretVariable(key))
      .map(([, value]) => value),
  );
}

/** Adds the values of the env's secret variables (selfhost's schema) to the redactor. */
export async function redactEnvSecrets(text: string, ctx: ToolContext): Promise<void> {
  const sh = await selfhostEnv();
  await redactRecordSecrets(sh.toEnvRecord(sh.parseEnv(text, { interpolate: false })), ctx);
}
