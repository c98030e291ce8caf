import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { McpServerError } from '../../errors.js';
import { pgConnect } from '../../libs.js';
import type { ToolContext } from '../../registry/types.js';
import { instanceArg } from '../common.js';

/** Where the keys to judge come from: an env text, a .env file, or an instance's config. */
export const keySourceShape = {
  env: z.string().min(1).max(1_000_000).optional().describe('.env text'),
  file: z.string().min(1).max(4096).optional().describe('.env file path'),
  instance: instanceArg,
};

export interface KeyEnvSource {
  source: string;
  env: Record<string, string | undefined>;
}

/** The env to judge, with every value it holds added to the redactor. */
export async function keyEnv(
  args: { env?: string | undefined; file?: string | undefined; instance?: string | undefined },
  ctx: ToolContext,
): Promise<KeyEnvSource> {
  if (args.env !== undefined && args.file !== undefined) {
    throw new McpServerError(
      'MCP_TOOL_FAILED',
      'Both env and file were given. Fix: pass one of env (the text), file (a path) or instance.',
    );
  }
  let source: string;
  let env: Record<string, string | undefined>;
  if (args.env !== undefined || args.file !== undefined) {
    const pg = await pgConnect();
    const path = args.file === undefined ? undefined : resolvePath(args.file, ctx);
    const text = path === undefined ? (args.env as string) : await readFile(path, 'utf8');
    env = pg.parseDotenvText(text);
    source = path ?? 'env text';
  } else {
    const instance = await ctx.instance(args.instance, ['api']);
    const api = instance.api ?? { url: '' };
    env = {
      JWT_SECRET: api.jwtSecret,
      ANON_KEY: api.anonKey,
      SERVICE_ROLE_KEY: api.serviceRoleKey,
      SUPABASE_PUBLISHABLE_KEY: api.publishableKey,
      SUPABASE_SECRET_KEY: api.secretKey,
    };
    source = `instance ${instance.name}`;
  }
  ctx.addSecrets(Object.values(env));
  return { source, env };
}

export function resolvePath(path: string, ctx: ToolContext): string {
  return isAbsolute(path) ? path : resolve(ctx.runtime.options.cwd ?? process.cwd(), path);
}

/** A fresh path under the state dir for a file of new secrets (never under the project). */
export function defaultSecretsFile(ctx: ToolContext, kind: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return join(ctx.runtime.loaded.paths.state, kind, `${stamp}.env`);
}

function quote(value: string): string {
  return /^[A-Za-z0-9_.\-+/=:@]*$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/** Writes KEY=value lines, 0600, refusing to overwrite an existing file. */
export async function writeEnvFile(path: string, values: Record<string, string>): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const text = Object.entries(values)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join('\n');
  try {
    await writeFile(path, `${text}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    throw new McpServerError(
      'MCP_TOOL_FAILED',
      `Could not write ${path}: ${(error as Error).message}. Fix: pass a file path that does not exist yet in a writable directory.`,
      { cause: error },
    );
  }
}
