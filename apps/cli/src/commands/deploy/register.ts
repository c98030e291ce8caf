import type { InstanceConfig } from '@supaops/config';
import type { CommandContext } from '../../context.js';
import type { DeployServer } from './server.js';

export interface Registration {
  name: string;
  registered: boolean;
  /** Why not, or what to do next (keys are added by reference, never copied into the config). */
  note: string;
  hint?: string;
}

/**
 * Adds the deployed compose to the config as a `dokploy` instance (server, composeId, API url),
 * and the server when it came from flags (its key as the `env:` reference given). No key or
 * password goes into the config: `file:` references read a whole file, so they cannot point into
 * the secrets file; the user adds references (`env:`/`store:`) with `instances add … --replace`.
 */
export async function registerInstance(
  ctx: CommandContext,
  input: { name: string; server: DeployServer; composeId: string; publicUrl: string },
): Promise<Registration> {
  const { addDokployServer, addInstance } = await import('@supaops/config');
  const loaded = await ctx.config();
  const existing = loaded.config.instances[input.name];
  if (existing && existing.dokploy?.composeId !== input.composeId) {
    return {
      name: input.name,
      registered: false,
      note: `an instance "${input.name}" already exists for another target; the config was not changed`,
      hint: `supaops instances add NAME --kind dokploy --dokploy-server ${input.server.name} --compose-id ${input.composeId} --api-url ${input.publicUrl}`,
    };
  }
  if (!input.server.inConfig) {
    await addDokployServer(loaded.writePath, input.server.name, {
      url: input.server.url,
      apiKey: input.server.apiKeyRef,
    });
  }
  const instance: InstanceConfig = {
    kind: 'dokploy',
    ...(existing ?? {}),
    api: { ...(existing?.api ?? {}), url: input.publicUrl },
    dokploy: { server: input.server.name, composeId: input.composeId },
  };
  await addInstance(loaded.writePath, input.name, instance, { replace: existing !== undefined });
  return {
    name: input.name,
    registered: true,
    note: `instance "${input.name}" in ${loaded.writePath}, without keys (secrets stay out of the config)`,
    hint: `supaops instances add ${input.name} --kind dokploy --dokploy-server ${input.server.name} --compose-id ${input.composeId} --api-url ${input.publicUrl} --anon-key env:ANON_KEY --service-role-key env:SERVICE_ROLE_KEY --replace`,
  };
}
