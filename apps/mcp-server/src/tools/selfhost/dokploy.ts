import { dirname } from 'node:path';
import {
  openSecretStore,
  type ResolvedInstance,
  resolveSecret,
  type SupaopsConfig,
} from '@supaops/config';
import type { DokployClient } from '@supaops/dokploy-client';
import type { HistoryStore } from '@supaops/selfhost';
import { InstanceCapabilityError, McpServerError } from '../../errors.js';
import { dokployClient, selfhost } from '../../libs.js';
import type { ToolContext } from '../../registry/types.js';

export interface DokployTarget {
  instance: ResolvedInstance;
  client: DokployClient;
  composeId: string;
  serverName: string;
}

async function clientFor(
  server: { name: string; url: string; apiKey: string },
  ctx: ToolContext,
): Promise<DokployClient> {
  const { createDokployClient } = await dokployClient();
  return createDokployClient({
    baseUrl: server.url,
    apiKey: server.apiKey,
    name: server.name,
    logger: { warn: (line: string) => ctx.runtime.log(`dokploy ${server.name}: ${line}`) },
  });
}

/**
 * The instance's Dokploy compose and a client of its Dokploy server (warnings to the log). An
 * instance without one (a plain self-hosted or sandbox instance) fails with the fix; `otherwise`
 * names what the tool can do without Dokploy.
 */
export async function dokployTarget(
  name: string | undefined,
  ctx: ToolContext,
  otherwise = 'this tool works through the Dokploy API only',
): Promise<DokployTarget> {
  const instance = await ctx.instance(name, ['dokploy']);
  const d = instance.dokploy;
  if (!d) {
    throw new InstanceCapabilityError(
      instance.name,
      'Dokploy compose',
      `add "dokploy": { "server": "<a dokployServers name>", "composeId": "…" } to instance "${instance.name}" in supaops.config.json (kind ${instance.kind} is not Dokploy-backed; ${otherwise}).`,
    );
  }
  const client = await clientFor({ name: d.serverName, url: d.url, apiKey: d.apiKey }, ctx);
  return { instance, client, composeId: d.composeId, serverName: d.serverName };
}

/**
 * A Dokploy server of the config by name (default: the only one), for tools that create a
 * compose rather than work on an instance's. Its API key joins the redactor.
 */
export async function dokployServer(
  name: string | undefined,
  ctx: ToolContext,
): Promise<{ name: string; url: string; client: DokployClient }> {
  const loaded = ctx.runtime.loaded;
  const servers: SupaopsConfig['dokployServers'] = loaded.config.dokployServers ?? {};
  const names = Object.keys(servers);
  const chosen = name ?? (names.length === 1 ? names[0] : undefined);
  const server = chosen === undefined ? undefined : servers[chosen];
  if (chosen === undefined || !server) {
    throw new McpServerError(
      'MCP_TOOL_FAILED',
      `${name ? `No Dokploy server "${name}" in the config` : 'No Dokploy server was named'} (known: ${names.join(', ') || 'none'}). Fix: pass server (a dokployServers name), or add one with \`supaops dokploy add <name> --url … --api-key env:…\`.`,
    );
  }
  const ref = server.apiKey;
  const apiKey = await resolveSecret(ref, {
    env: loaded.env,
    baseDir: dirname(loaded.writePath),
    ...(ref.startsWith('store:')
      ? {
          store: await openSecretStore({
            ...(loaded.config.secretStore?.path ? { path: loaded.config.secretStore.path } : {}),
            ...(loaded.config.secretStore?.keyEnv
              ? { keyEnv: loaded.config.secretStore.keyEnv }
              : {}),
            env: loaded.env,
          }),
        }
      : {}),
  });
  ctx.addSecrets([apiKey]);
  return {
    name: chosen,
    url: server.url,
    client: await clientFor({ name: chosen, ...server, apiKey }, ctx),
  };
}

/**
 * Where the writes to one Dokploy server are recorded (rollback reads it): selfhost's
 * `historyDir`, so the CLI and the server record into and roll back from the same place.
 */
export async function historyFor(serverName: string, ctx: ToolContext): Promise<HistoryStore> {
  const sh = await selfhost();
  return sh.createHistoryStore(sh.historyDir(ctx.runtime.loaded.paths.state, serverName));
}

/** The deploy wait and HTTP-check settings the embedder gave (tests use short ones). */
export function deployOptions(ctx: ToolContext) {
  const o = ctx.runtime.options.selfhost ?? {};
  return {
    ...(o.httpFetch ? { fetch: o.httpFetch } : {}),
    ...(o.deployPollMs ? { pollMs: o.deployPollMs } : {}),
    ...(o.validateAttempts ? { validateAttempts: o.validateAttempts } : {}),
    ...(o.validateRetryMs !== undefined ? { validateRetryMs: o.validateRetryMs } : {}),
  };
}
