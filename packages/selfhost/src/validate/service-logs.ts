import type { DokployClient } from '@supaops/dokploy-client';
import type { ServiceLogs } from '../workflow-errors.js';
import type { ContainerHealth } from './containers.js';

/**
 * The last log lines of each named service (`compose.readLogs`, v0.29.0+). Older servers only
 * stream logs over a WebSocket; their entries say so instead of holding lines.
 */
export async function collectServiceLogs(
  client: DokployClient,
  input: {
    composeId: string;
    services: readonly string[];
    containers: readonly ContainerHealth[];
    tail?: number;
    signal?: AbortSignal | undefined;
  },
): Promise<ServiceLogs[]> {
  const call = input.signal ? { signal: input.signal } : {};
  const tail = input.tail ?? 100;
  const canRead = await client.supports('composeReadLogs', call).catch(() => false);
  const out: ServiceLogs[] = [];
  for (const service of [...new Set(input.services)]) {
    const container = input.containers.find((c) => c.service === service);
    if (!container) {
      out.push({ service, unavailable: 'no container of this service exists' });
      continue;
    }
    if (!canRead) {
      out.push({
        service,
        containerId: container.containerId,
        unavailable:
          'this Dokploy (< v0.29.0) has no compose.readLogs; stream them with streamContainerLogs of @supaops/dokploy-client',
      });
      continue;
    }
    try {
      const text = await client.compose.readLogs(
        { composeId: input.composeId, containerId: container.containerId, tail },
        call,
      );
      const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
      out.push({ service, containerId: container.containerId, lines: lines.slice(-tail) });
    } catch (error) {
      out.push({
        service,
        containerId: container.containerId,
        unavailable: `compose.readLogs failed: ${(error as Error).message}`,
      });
    }
  }
  return out;
}
