import type { DokployClient, DokployDeploymentFailedError } from '@supaops/dokploy-client';
import { DeployFailedError } from '../workflow-errors.js';
import { readContainerHealth } from './containers.js';
import { collectServiceLogs } from './service-logs.js';

/** Names the services a failed deployment's log blames (`container <app>-<svc>-1 is unhealthy`). */
function blamedServices(appName: string, log: string): string[] {
  const out = new Set<string>();
  for (const m of log.matchAll(
    /container (\S+?)-([a-z0-9_-]+?)-\d+ (?:is unhealthy|has no healthcheck|exited)/g,
  ))
    if (m[1] === appName) out.add(m[2] as string);
  return [...out];
}

/** A failed deployment as a DeployFailedError with the build log's reason and the failing services' logs. */
export async function deployFailure(
  client: DokployClient,
  composeId: string,
  appName: string,
  error: DokployDeploymentFailedError,
  signal: AbortSignal | undefined,
): Promise<DeployFailedError> {
  const tail = error.logTail ?? '';
  const containers = await readContainerHealth(client, appName, signal).catch(() => []);
  const services = [
    ...blamedServices(appName, tail),
    ...containers.filter((c) => !c.ok && c.state === 'running').map((c) => c.service),
  ];
  const logs = await collectServiceLogs(client, { composeId, services, containers, signal });
  const lines = tail.split(/\r?\n/).filter((l) => l.length > 0);
  const reason =
    lines.filter((l) => !/Error occurred/.test(l)).at(-1) ?? 'no build log (Dokploy < v0.29.5)';
  const who =
    services.length > 0
      ? ` Failing service${services.length > 1 ? 's' : ''}: ${[...new Set(services)].join(', ')} (logs attached).`
      : '';
  return new DeployFailedError(
    `The deployment ${error.deploymentId} failed: ${reason}.${who} Fix: read the logs of those services, correct the cause, then run the wizard again (it redeploys).`,
    { deploymentId: error.deploymentId, logTail: lines.slice(-30), services: logs },
    { cause: error },
  );
}
