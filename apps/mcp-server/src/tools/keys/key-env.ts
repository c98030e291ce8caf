import { join } from 'node:path';
import { z } from 'zod';
import { selfhostEnv } from '../../libs.js';
import type { ToolContext } from '../../registry/types.js';
import { instanceArg } from '../common.js';
import { readEnvSource } from '../env-source.js';

export { resolvePath } from '../env-source.js';

/** Where the keys to judge come from: an env text, a .env file, or an instance's config. */
export const keySourceShape = {
  env: z.string().min(1).max(1_000_000).optional().describe('.env text'),
  file: z.string().min(1).max(4096).optional().describe('.env file path'),
  instance: instanceArg,
};

export interface KeyEnvSource {
  source: string;
  env: Record<string, string | undefined>;
  /** The .env file the keys came from (absolute), when `file` was given. */
  path?: string;
  /** The env text (given or read from the file). */
  text?: string;
}

/** The env to judge, with every value it holds added to the redactor. */
export async function keyEnv(
  args: { env?: string | undefined; file?: string | undefined; instance?: string | undefined },
  ctx: ToolContext,
): Promise<KeyEnvSource> {
  let out: KeyEnvSource;
  if (args.env !== undefined || args.file !== undefined) {
    const [read, sh] = await Promise.all([readEnvSource(args, ctx), selfhostEnv()]);
    out = {
      source: read.source,
      env: sh.toEnvRecord(sh.parseEnv(read.text)),
      text: read.text,
      ...(read.path ? { path: read.path } : {}),
    };
  } else {
    const instance = await ctx.instance(args.instance, ['api']);
    const api = instance.api ?? { url: '' };
    out = {
      source: `instance ${instance.name}`,
      env: {
        JWT_SECRET: api.jwtSecret,
        ANON_KEY: api.anonKey,
        SERVICE_ROLE_KEY: api.serviceRoleKey,
        SUPABASE_PUBLISHABLE_KEY: api.publishableKey,
        SUPABASE_SECRET_KEY: api.secretKey,
      },
    };
  }
  ctx.addSecrets(Object.values(out.env));
  return out;
}

/** A fresh path under the state dir for a file of new secrets (never under the project). */
export function defaultSecretsFile(ctx: ToolContext, kind: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return join(ctx.runtime.loaded.paths.state, kind, `${stamp}.env`);
}
