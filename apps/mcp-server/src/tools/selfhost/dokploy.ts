import { type ResolvedInstance, resolveDokployServer } from '@supaops/config';
import type { DokployClient } from '@supaops/dokploy-client';
import type { HistoryStore } from '@supaops/selfhost';
import { InstanceCapabilityError } from '../../errors.js';
import { dokployClient, selfhost } from '../../libs.js';
import type { ToolContext } from '../../registry/types.js';
import { redactEnvSecrets } from '../env-source.js';

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
  otherwise?: string,
): Promise<DokployTarget> {
  return dokployTargetOf(await ctx.instance(name, ['dokploy']), ctx, otherwise);
}

/** dokployTarget of an instance resolved already (with `dokploy` in its need). */
export async function dokployTargetOf(
  instance: ResolvedInstance,
  ctx: ToolContext,
  otherwise = 'this tool works through the Dokploy API only',
): Promise<DokployTarget> {
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
 * compose rather than work on an instance's: config's `resolveDokployServer` (an unknown name is
 * its DokployServerNotFoundError, listing the known ones). Its API key joins the redactor.
 */
export async function dokployServer(
  name: string | undefined,
  ctx: ToolContext,
): Promise<{ name: string; url: string; client: DokployClient }> {
  const server = await resolveDokployServer(ctx.runtime.loaded, name);
  ctx.addSecrets([server.apiKey]);
  return { name: server.name, url: server.url, client: await clientFor(server, ctx) };
}

/**
 * The compose's env text, its secret values in the redactor before anything of the compose is
 * shown (selfhost masks them in what it returns; the redactor is the second fence).
 */
export async function composeEnv(
  target: { client: DokployClient; composeId: string },
  ctx: ToolContext,
): Promise<string> {
  const compose = await target.client.compose.one(
    { composeId: target.composeId },
    { signal: ctx.signal },
  );
  const env = compose.env ?? '';
  await redactEnvSecrets(env, ctx);
  return env;
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
