import type { InstanceConfig } from '@supaops/config';
import type { SupabaseInstance } from '@supaops/selfhost';
import type { CommandDef } from '../../command.js';
import { optBool, optString } from '../../command.js';
import type { CommandContext } from '../../context.js';
import { CliError } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { configuredDokployServer, dokployClient, pathSegment } from '../dokploy-access.js';

interface Found extends SupabaseInstance {
  /** The config instance that already points at it, or the one --register added. */
  configName?: string;
  registered?: boolean;
}

/** A config name for a found stack: the project's slug, suffixed when taken by another target. */
function nameFor(found: SupabaseInstance, taken: Record<string, InstanceConfig>): string {
  const base = pathSegment(found.projectName).replace(/^[^a-z0-9]+/, '') || 'supabase';
  for (const candidate of [
    base,
    `${base}-${pathSegment(found.name)}`,
    `${base}-${found.composeId}`,
  ])
    if (!taken[candidate]) return candidate;
  return `${base}-${found.composeId}`;
}

async function register(ctx: CommandContext, found: Found[]): Promise<void> {
  const { addInstance } = await import('@supaops/config');
  const loaded = await ctx.config();
  const instances = { ...loaded.config.instances };
  for (const f of found) {
    if (f.configName) continue;
    const name = nameFor(f, instances);
    const instance: InstanceConfig = {
      kind: 'dokploy',
      ...(f.publicUrl ? { api: { url: f.publicUrl } } : {}),
      dokploy: { server: f.instance, composeId: f.composeId },
    };
    // by reference only: the server's key stays its env:/store: reference, no stack secret copied
    await addInstance(loaded.writePath, name, instance);
    instances[name] = instance;
    f.configName = name;
    f.registered = true;
  }
}

export const instancesDiscover: CommandDef = {
  name: 'discover',
  description:
    "The Supabase stacks on the config's Dokploy servers; --register adds each as a dokploy instance (no secrets)",
  options: [
    { flags: '--server <name>', description: 'only this server of dokployServers' },
    { flags: '--register', description: 'add each stack not yet configured as an instance' },
  ],
  examples: [
    { command: 'supaops instances discover', description: 'what runs where' },
    { command: 'supaops instances discover --server main --register', description: 'adopt them' },
  ],
  audit: true,
  async action(ctx, { options }) {
    const loaded = await ctx.config();
    const only = optString(options.server);
    const names = only ? [only] : Object.keys(loaded.config.dokployServers);
    if (names.length === 0) {
      throw new CliError('DOKPLOY_SERVER_NOT_FOUND', 'The config has no Dokploy server.', {
        exitCode: EXIT_CODES.config,
        fix: 'Add one under "dokployServers" (url, apiKey as env:NAME), or run supaops deploy --dokploy-url URL --dokploy-key-env NAME.',
      });
    }
    const clients: Record<string, Awaited<ReturnType<typeof dokployClient>>> = {};
    for (const name of names)
      clients[name] = await dokployClient(ctx, await configuredDokployServer(ctx, name));
    const { listSupabaseInstances } = await import('@supaops/selfhost');
    const result = await listSupabaseInstances({ clients, signal: ctx.signal });
    const found: Found[] = result.instances.map((i) => {
      const known = Object.entries(loaded.config.instances).find(
        ([, c]) => c.dokploy?.server === i.instance && c.dokploy.composeId === i.composeId,
      );
      return { ...i, ...(known ? { configName: known[0] } : {}) };
    });
    const doRegister = optBool(options.register);
    if (doRegister) await register(ctx, found);
    else ctx.audit.outcome = 'dry-run';
    for (const e of result.errors) ctx.warn(`${e.instance}: ${e.message}`);
    return {
      data: {
        servers: names,
        instances: found,
        errors: result.errors,
        composesScanned: result.composesScanned,
        registered: found.filter((f) => f.registered).map((f) => f.configName as string),
      },
      human: (c) => {
        if (found.length === 0)
          return c.dim(`no Supabase stack in ${result.composesScanned} composes`);
        return found
          .map(
            (f) =>
              `${f.instance}/${f.projectName}${f.environmentName ? `/${f.environmentName}` : ''} ${c.cyan(f.name)} (${f.composeId}, ${f.status})${f.publicUrl ? ` ${f.publicUrl}` : ''}${f.configName ? c.green(` → ${f.configName}${f.registered ? ' (registered)' : ''}`) : ''}`,
          )
          .join('\n');
      },
      exitCode: result.errors.length > 0 ? EXIT_CODES.failedChecks : EXIT_CODES.ok,
    };
  },
};
