import type { CommandContext } from '../../context.js';
import { CliError, splitFix, usageError } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { configuredDokployServer, pathSegment } from '../dokploy-access.js';

/** The Dokploy server a deploy talks to, and how the config will refer to it. */
export interface DeployServer {
  /** Its key under `dokployServers` (existing, or the one registration adds). */
  name: string;
  url: string;
  apiKey: string;
  /** The reference stored in the config: the key itself never is. */
  apiKeyRef: string;
  inConfig: boolean;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A server of the config's `dokployServers` (@supaops/config's resolveDokployServer); for an
 * unknown name the fix also names the flags for a server the config does not know yet.
 */
export async function configServer(ctx: CommandContext, name: string): Promise<DeployServer> {
  try {
    const server = await configuredDokployServer(ctx, name);
    return {
      name,
      url: server.url,
      apiKey: server.apiKey,
      apiKeyRef: server.apiKeyRef,
      inConfig: true,
    };
  } catch (error) {
    const { DokployServerNotFoundError } = await import('@supaops/config');
    if (!DokployServerNotFoundError.isInstance(error)) throw error;
    const { message, fix } = splitFix(error.message);
    throw new CliError(error.code, message, {
      exitCode: EXIT_CODES.config,
      fix: `${fix ?? 'Name a configured server.'} Or pass --dokploy-url URL --dokploy-key-env NAME (the server is added to the config).`,
      cause: error,
    });
  }
}

/** `--dokploy-url URL --dokploy-key-env NAME`: a server the config does not know yet. */
export async function flagServer(
  ctx: CommandContext,
  url: string,
  keyEnv: string | undefined,
): Promise<DeployServer> {
  if (!keyEnv || !ENV_NAME.test(keyEnv)) {
    throw usageError(
      'DOKPLOY_KEY_ENV_REQUIRED',
      '--dokploy-url needs --dokploy-key-env NAME: the environment variable holding its API key.',
      'Export the key (export DOKPLOY_API_KEY=…) and pass --dokploy-key-env DOKPLOY_API_KEY.',
    );
  }
  const apiKey = ctx.io.env[keyEnv];
  if (!apiKey) {
    throw new CliError('DOKPLOY_KEY_UNSET', `${keyEnv} is not set.`, {
      exitCode: EXIT_CODES.config,
      fix: `Export the Dokploy API key as ${keyEnv} (Dokploy: Settings → Profile → API/CLI).`,
    });
  }
  ctx.redactor.add(apiKey);
  const loaded = await ctx.config();
  const same = Object.entries(loaded.config.dokployServers).find(
    ([, s]) => s.url.replace(/\/$/, '') === url.replace(/\/$/, ''),
  );
  if (same) return { name: same[0], url, apiKey, apiKeyRef: same[1].apiKey, inConfig: true };
  const name = pathSegment(new URL(url).host).replace(/[^A-Za-z0-9_.-]/g, '-');
  return { name, url, apiKey, apiKeyRef: `env:${keyEnv}`, inConfig: false };
}
