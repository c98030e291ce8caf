import type { CommandContext } from '../../context.js';
import { CliError, usageError } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { isSecretName, readTextFile, resolvePath } from '../shared.js';

export interface EnvInput {
  source: 'file' | 'stdin' | 'instance';
  /** Absolute path when the source is a file. */
  file?: string;
  /** The raw text (files and stdin), for editing in place. */
  text?: string;
  env: Record<string, string>;
}

/** JSON from `keys generate --json` (`{ "env": {…} }`) or a plain object of strings. */
function fromJson(text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw usageError(
      'ENV_JSON_INVALID',
      `The input looks like JSON but does not parse: ${(error as Error).message}`,
      'Pass .env text (KEY=value lines) or the JSON of `supaops keys generate --json`.',
    );
  }
  const record =
    parsed && typeof parsed === 'object' && 'env' in parsed
      ? (parsed as { env: unknown }).env
      : parsed;
  if (!record || typeof record !== 'object' || Array.isArray(record)) {
    throw usageError(
      'ENV_JSON_INVALID',
      'The JSON input is not an object of variables.',
      'Pass {"JWT_SECRET": "…", "ANON_KEY": "…"} or the output of `supaops keys generate --json`.',
    );
  }
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'string') env[key] = value;
  }
  return env;
}

/**
 * .env text as docker compose hands it to the services. Node's own dotenv parser, not
 * @supaops/selfhost's compose-faithful one: importing selfhost loads its doctor and with it
 * pg-connect and pg, which puts `keys check` at 9-10x a bare node start against a goal of 3x
 * (README, Benchmarks). Both read the upstream .env.example the same; `keys repair --write`
 * and `doctor` use selfhost.
 */
export async function parseEnvText(text: string): Promise<Record<string, string>> {
  if (text.trimStart().startsWith('{')) return fromJson(text);
  const { parseEnv } = await import('node:util');
  return { ...(parseEnv(text) as Record<string, string>) };
}

function protect(ctx: CommandContext, env: Record<string, string>): void {
  for (const [key, value] of Object.entries(env)) if (isSecretName(key)) ctx.redactor.add(value);
}

/** The keys to judge: `--env FILE` (`-` = stdin), `--instance NAME`, or piped stdin. */
export async function readEnvInput(
  ctx: CommandContext,
  flags: { env?: string | undefined; instance?: string | undefined },
): Promise<EnvInput> {
  if (flags.env && flags.instance) {
    throw usageError(
      'ENV_SOURCE_CONFLICT',
      'Both --env and --instance were given.',
      'Pass one of them.',
    );
  }
  if (flags.instance) {
    const instance = await ctx.instance({ instance: flags.instance }, ['api']);
    const api = instance.api;
    if (!api) {
      throw new CliError(
        'INSTANCE_NO_API',
        `Instance "${instance.name}" has no api keys configured.`,
        {
          exitCode: EXIT_CODES.config,
          fix: `Add them: supaops instances add ${instance.name} --api-url URL --jwt-secret env:JWT_SECRET --anon-key env:ANON_KEY --service-role-key env:SERVICE_ROLE_KEY --replace`,
        },
      );
    }
    const env: Record<string, string> = {};
    const pairs: Array<[string, string | undefined]> = [
      ['JWT_SECRET', api.jwtSecret],
      ['ANON_KEY', api.anonKey],
      ['SERVICE_ROLE_KEY', api.serviceRoleKey],
      ['SUPABASE_PUBLISHABLE_KEY', api.publishableKey],
      ['SUPABASE_SECRET_KEY', api.secretKey],
    ];
    for (const [key, value] of pairs) if (value !== undefined) env[key] = value;
    protect(ctx, env);
    return { source: 'instance', env };
  }
  if (flags.env && flags.env !== '-') {
    const text = await readTextFile(ctx, flags.env);
    const env = await parseEnvText(text);
    protect(ctx, env);
    return { source: 'file', file: resolvePath(ctx, flags.env), text, env };
  }
  if (!flags.env && ctx.io.stdin.isTTY) {
    throw usageError(
      'ENV_SOURCE_MISSING',
      'No keys to read.',
      'Pass --env FILE (a self-hosted .env), --instance NAME, or pipe the .env into stdin.',
    );
  }
  const text = await ctx.readStdin('.env text');
  const env = await parseEnvText(text);
  protect(ctx, env);
  return { source: 'stdin', text, env };
}
