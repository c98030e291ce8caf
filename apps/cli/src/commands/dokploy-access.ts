import type { ResolvedDokployServer, ResolvedInstance } from '@supaops/config';
import type { DokployClient } from '@supaops/dokploy-client';
import type { DeploymentReport } from '@supaops/selfhost';
import type { OptionDef } from '../command.js';
import type { CommandContext, InstanceFlags } from '../context.js';
import { CliError, usageError } from '../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { parseInteger } from './shared.js';

/** A Dokploy client for a URL and key; the key goes to the redactor first. */
export async function dokployClient(
  ctx: CommandContext,
  server: { url: string; apiKey: string },
  secrets: readonly string[] = [],
): Promise<DokployClient> {
  ctx.redactor.add(server.apiKey);
  const { createDokployClient } = await import('@supaops/dokploy-client');
  return createDokployClient({
    baseUrl: server.url,
    apiKey: server.apiKey,
    secrets: [server.apiKey, ...secrets],
    logger: { debug: (m) => ctx.debug(m), warn: (m) => ctx.warn(m) },
  });
}

/**
 * A server of the config's `dokployServers` (default: the only one), its API key resolved by
 * @supaops/config's resolveDokployServer: `file:` against the declaring file's directory,
 * `store:` from the configured secret store. Unknown: DokployServerNotFoundError (exit 4).
 */
export async function configuredDokployServer(
  ctx: CommandContext,
  name: string | undefined,
): Promise<ResolvedDokployServer> {
  const loaded = await ctx.config();
  const { resolveDokployServer } = await import('@supaops/config');
  const server = await resolveDokployServer(loaded, name);
  ctx.redactor.add(server.apiKey);
  return server;
}

export interface InstanceCompose {
  instance: ResolvedInstance;
  dokploy: NonNullable<ResolvedInstance['dokploy']>;
  client: DokployClient;
}

/** The instance's Dokploy compose (`need: ['dokploy']`), or INSTANCE_NO_DOKPLOY (exit 4). */
export async function instanceCompose(
  ctx: CommandContext,
  flags: InstanceFlags,
  what: string,
): Promise<InstanceCompose> {
  return composeOf(ctx, await ctx.instance(flags, ['dokploy']), what);
}

/** A resolved instance's Dokploy compose and a client for its server; INSTANCE_NO_DOKPLOY without one. */
export async function composeOf(
  ctx: CommandContext,
  instance: ResolvedInstance,
  what: string,
): Promise<InstanceCompose> {
  const dokploy = instance.dokploy;
  if (!dokploy) {
    throw new CliError(
      'INSTANCE_NO_DOKPLOY',
      `Instance "${instance.name}" has no Dokploy compose configured, so ${what} has nothing to work on.`,
      {
        exitCode: EXIT_CODES.config,
        fix: `Give the instance "dokploy": { "server": NAME, "composeId": ID } and the server under "dokployServers" in ${(await ctx.config()).writePath}.`,
      },
    );
  }
  const client = await dokployClient(ctx, dokploy, instance.secrets);
  return { instance, dokploy, client };
}

/** A file-system-safe part of a path from a name or URL. */
export function pathSegment(value: string): string {
  return (
    value
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 80) || 'default'
  );
}

/**
 * Where the history of a Dokploy server's writes is kept: selfhost's `historyDir`,
 * `<state>/history/<server>` (mode 0700, records hold env text). The MCP server uses the same
 * directory, so a rollback from either face sees the writes of both.
 */
export async function historyDir(ctx: CommandContext, server: string): Promise<string> {
  const loaded = await ctx.config();
  const selfhost = await import('@supaops/selfhost');
  return selfhost.historyDir(loaded.paths.state, server);
}

/** The flags of a command that redeploys and validates: `--validate-via` and `--poll-interval`. */
export const REDEPLOY_OPTIONS: OptionDef[] = [
  {
    flags: '--validate-via <url>',
    description: 'send the post-deploy checks to URL (a tunnel) with the public host',
  },
  {
    flags: '--poll-interval <ms>',
    description: 'pause between deployment status polls',
    parse: parseInteger(5),
  },
];

/**
 * `--validate-via URL`: the post-deploy checks go to URL (the gateway through an SSH tunnel, or
 * before DNS points at the server) instead of the public domain, with the public host and scheme
 * in X-Forwarded-Host / X-Forwarded-Proto (fetch cannot set Host).
 */
export function validateViaFetch(via: string | undefined): typeof fetch | undefined {
  if (!via) return undefined;
  let base: URL;
  try {
    base = new URL(via);
  } catch {
    throw usageError(
      'VALIDATE_VIA_INVALID',
      `--validate-via ${via} is not a URL.`,
      'Pass an http(s) URL such as http://127.0.0.1:8000.',
    );
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw usageError(
      'VALIDATE_VIA_INVALID',
      `--validate-via ${via} is not http(s).`,
      'Pass an http(s) URL such as http://127.0.0.1:8000.',
    );
  }
  return (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const target = new URL(`${base.pathname.replace(/\/$/, '')}${url.pathname}${url.search}`, base);
    const headers = new Headers(init?.headers);
    headers.set('x-forwarded-host', url.host);
    headers.set('x-forwarded-proto', url.protocol.replace(':', ''));
    return fetch(target, { ...init, headers });
  };
}

/** The post-deploy validation of a JSON document: the verdict and each check, not the logs. */
export function validationData(report: DeploymentReport): {
  ok: boolean;
  checks: { name: string; ok: boolean; reason: string }[];
} {
  return {
    ok: report.ok,
    checks: report.checks.map((c) => ({ name: c.name, ok: c.ok, reason: c.reason })),
  };
}
