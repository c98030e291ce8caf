import type { CommandContext } from '../../context.js';
import { CliError, usageError } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { pathSegment } from '../dokploy-access.js';

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

/** A server of the config's `dokployServers`, its key resolved from its reference. */
export async function configServer(ctx: CommandContext, name: string): Promise<DeployServer> {
  const loaded = await ctx.config();
  const server = loaded.config.dokployServers[name];
  if (!server) {
    const known = Object.keys(loaded.config.dokployServers);
    throw new CliError('DOKPLOY_SERVER_NOT_FOUND', `No Dokploy server "${name}" in the config.`, {
      exitCode: EXIT_CODES.config,
      fix: known.length
        ? `Pass one of: ${known.join(', ')}; or --dokploy-url URL --dokploy-key-env NAME.`
        : 'Pass --dokploy-url URL --dokploy-key-env NAME (the server is added to the config).',
    });
  }
  const { resolveSecret } = await import('@supaops/config');
  const apiKey = await resolveSecret(server.apiKey, { env: ctx.io.env });
  ctx.redactor.add(apiKey);
  return { name, url: server.url, apiKey, apiKeyRef: server.apiKey, inConfig: true };
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
