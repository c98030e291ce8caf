import type { DokployClient } from '@supaops/dokploy-client';

/** One container of a compose, as `docker ps` and `docker inspect` report it. */
export interface ContainerHealth {
  readonly service: string;
  readonly containerId: string;
  readonly name: string;
  /** `running`, `created`, `exited`, … */
  readonly state: string;
  /** The health check result, or `none` when the service has no health check. */
  readonly health: string;
  /** Running and, when it has a health check, healthy. */
  readonly ok: boolean;
}

/** `<appName>-<service>-1` → `service` (compose's container naming). */
export function serviceOfContainer(appName: string, name: string): string {
  const bare = name.replace(/^\//, '');
  const prefix = `${appName}-`;
  const rest = bare.startsWith(prefix) ? bare.slice(prefix.length) : bare;
  return rest.replace(/-\d+$/, '');
}

/** Every container of the compose with its health (`getContainersByAppNameMatch` + `getConfig`). */
export async function readContainerHealth(
  client: DokployClient,
  appName: string,
  signal?: AbortSignal,
): Promise<ContainerHealth[]> {
  const call = signal ? { signal } : {};
  const list = await client.docker.getContainersByAppNameMatch(
    { appName, appType: 'docker-compose' },
    call,
  );
  const out: ContainerHealth[] = [];
  for (const c of list) {
    let state = c.state;
    let health = 'none';
    try {
      const config = await client.docker.getConfig({ containerId: c.containerId }, call);
      state = config.State?.Status ?? state;
      health = config.State?.Health?.Status ?? 'none';
    } catch {
      // gone between the two calls: ps said what it said
    }
    out.push({
      service: serviceOfContainer(appName, c.name),
      containerId: c.containerId,
      name: c.name,
      state,
      health,
      ok: state === 'running' && (health === 'none' || health === 'healthy'),
    });
  }
  return out;
}
