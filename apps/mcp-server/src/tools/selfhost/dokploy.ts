import type { ResolvedInstance } from '@supaops/config';
import type { DokployClient } from '@supaops/dokploy-client';
import { InstanceCapabilityError } from '../../errors.js';
import { dokployClient } from '../../libs.js';
import type { ToolContext } from '../../registry/types.js';

export interface DokployTarget {
  instance: ResolvedInstance;
  client: DokployClient;
  composeId: string;
}

/** The instance's Dokploy compose and a client of its Dokploy server (warnings to the log). */
export async function dokployTarget(
  name: string | undefined,
  ctx: ToolContext,
): Promise<DokployTarget> {
  const instance = await ctx.instance(name, ['dokploy']);
  const d = instance.dokploy;
  if (!d) {
    throw new InstanceCapabilityError(
      instance.name,
      'Dokploy compose',
      `add "dokploy": { "server": "<a dokployServers name>", "composeId": "…" } to instance "${instance.name}" in supaops.config.json, or pass env or file for the offline check.`,
    );
  }
  const { createDokployClient } = await dokployClient();
  const client = createDokployClient({
    baseUrl: d.url,
    apiKey: d.apiKey,
    name: d.serverName,
    logger: { warn: (line: string) => ctx.runtime.log(`dokploy ${d.serverName}: ${line}`) },
  });
  return { instance, client, composeId: d.composeId };
}
