import { randomBytes } from 'node:crypto';
import type { ComposeService } from './compose-file.js';
import type { SimCompose, SimContainer, SimDomain, SimRoute, SimulatorState } from './state.js';

const now = (): string => new Date().toISOString();

export function findContainer(state: SimulatorState, idOrName: string): SimContainer | undefined {
  return [...state.containers.values()].find(
    (c) => c.containerId === idOrName || c.name === idOrName,
  );
}

/** `docker ps` STATUS text: health shows as `(healthy)`, `(unhealthy)`, `(health: starting)`. */
export function containerStatus(c: SimContainer): string {
  if (c.state === 'created') return 'Created';
  if (c.state !== 'running') return 'Exited (0) 2 seconds ago';
  const health =
    c.health === 'none' ? '' : c.health === 'starting' ? ' (health: starting)' : ` (${c.health})`;
  return `Up ${Math.max(1, Math.round((Date.now() - Date.parse(c.startedAt)) / 1000))} seconds${health}`;
}

function routeOf(domain: SimDomain): SimRoute {
  return {
    host: domain.host,
    path: domain.path ?? '/',
    port: domain.port ?? 3000,
    https: domain.https,
    certificateType: domain.certificateType,
    customCertResolver: domain.customCertResolver,
    uniqueConfigKey: domain.uniqueConfigKey,
  };
}

/** The Traefik labels `addDomainToCompose` writes for a route (utils/docker/domain.ts createDomainLabels). */
export function traefikLabels(appName: string, route: SimRoute): Record<string, string> {
  const rule = `Host(\`${route.host}\`)${route.path && route.path !== '/' ? ` && PathPrefix(\`${route.path}\`)` : ''}`;
  const web = `${appName}-${route.uniqueConfigKey}-web`;
  const labels: Record<string, string> = {
    'traefik.enable': 'true',
    [`traefik.http.routers.${web}.rule`]: rule,
    [`traefik.http.routers.${web}.entrypoints`]: 'web',
    [`traefik.http.routers.${web}.service`]: web,
    [`traefik.http.services.${web}.loadbalancer.server.port`]: String(route.port),
  };
  if (route.https) {
    const secure = `${appName}-${route.uniqueConfigKey}-websecure`;
    labels[`traefik.http.routers.${web}.middlewares`] = 'redirect-to-https@file';
    labels[`traefik.http.routers.${secure}.rule`] = rule;
    labels[`traefik.http.routers.${secure}.entrypoints`] = 'websecure';
    labels[`traefik.http.routers.${secure}.service`] = secure;
    labels[`traefik.http.services.${secure}.loadbalancer.server.port`] = String(route.port);
    if (route.certificateType === 'letsencrypt')
      labels[`traefik.http.routers.${secure}.tls.certresolver`] = 'letsencrypt';
    else if (route.certificateType === 'custom' && route.customCertResolver)
      labels[`traefik.http.routers.${secure}.tls.certresolver`] = route.customCertResolver;
    else labels[`traefik.http.routers.${secure}.tls`] = 'true';
  }
  return labels;
}

/** `docker inspect` of one container, as `docker.getConfig` answers it. */
export function inspectContainer(c: SimContainer) {
  const labels: Record<string, string> = {
    'com.docker.compose.project': c.appName,
    'com.docker.compose.service': c.service,
  };
  for (const route of c.routes) Object.assign(labels, traefikLabels(c.appName, route));
  return {
    Id: c.containerId,
    Name: `/${c.name}`,
    State: {
      Status: c.state,
      Running: c.state === 'running',
      StartedAt: c.startedAt,
      ...(c.health === 'none'
        ? {}
        : {
            Health: { Status: c.health, FailingStreak: c.health === 'unhealthy' ? 3 : 0, Log: [] },
          }),
    },
    Config: { Labels: labels },
  };
}

/**
 * `docker compose up -d` for a compose: one container per service (replacing the previous
 * ones), with the routes of the compose's domains as they are now. A service whose
 * `service_healthy` dependency is unhealthy stays `created`; those names are returned.
 */
export function upContainers(
  state: SimulatorState,
  compose: SimCompose,
  services: readonly ComposeService[],
): { blockedBy: string[] } {
  for (const [k, c] of state.containers)
    if (c.composeId === compose.composeId || c.appName === compose.appName)
      state.containers.delete(k);
  const domains = [...state.domains.values()].filter((d) => d.composeId === compose.composeId);
  const startedAt = now();
  const unhealthy = (name: string) => state.unhealthyServices.has(name);
  const blockedBy = new Set<string>();
  for (const service of services) {
    const blocking = service.dependsOn.filter(
      (d) =>
        d.condition === 'service_healthy' &&
        (unhealthy(d.service) || !services.find((s) => s.name === d.service)?.hasHealthcheck),
    );
    for (const b of blocking) blockedBy.add(b.service);
    const sick = unhealthy(service.name);
    const logs = [
      `${startedAt} ${service.name} | starting`,
      `${startedAt} ${service.name} | listening`,
    ];
    if (sick) logs.push(`${startedAt} ${service.name} | healthcheck failed: connection refused`);
    const containerId = randomBytes(6).toString('hex');
    state.containers.set(containerId, {
      containerId,
      name: `${compose.appName}-${service.name}-1`,
      appName: compose.appName,
      service: service.name,
      composeId: compose.composeId,
      state: blocking.length ? 'created' : 'running',
      health: service.hasHealthcheck ? (sick ? 'unhealthy' : 'healthy') : 'none',
      startedAt,
      logs: blocking.length ? [] : logs,
      routes: domains.filter((d) => d.serviceName === service.name).map(routeOf),
    });
  }
  return { blockedBy: [...blockedBy] };
}
