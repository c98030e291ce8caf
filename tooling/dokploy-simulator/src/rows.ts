import { randomBytes } from 'node:crypto';
import { slugify } from './domain-name.js';
import { storeEnv } from './env-crypto.js';
import { hasEnvironments, id, need, now, type ProcedureContext } from './procedure.js';
import type { SimCompose, SimDomain, SimEnvironment, SimMount, SimProject } from './state.js';

/** Rows shaped like Dokploy's tables, and the nested views the routers answer. */

export function buildAppName(base: string): string {
  const cleaned = base.replace(/[^a-zA-Z0-9._-]/g, '-').slice(0, 55) || 'compose';
  return `${cleaned}-${randomBytes(4).toString('hex').slice(0, 6)}`;
}

export function projectOfCompose(
  ctx: ProcedureContext,
  compose: SimCompose,
): SimProject | undefined {
  if (compose.projectId) return ctx.state.projects.get(compose.projectId);
  const env = compose.environmentId ? ctx.state.environments.get(compose.environmentId) : undefined;
  return env ? ctx.state.projects.get(env.projectId) : undefined;
}

function composeSummary(c: SimCompose) {
  return {
    composeId: c.composeId,
    name: c.name,
    appName: c.appName,
    composeStatus: c.composeStatus,
  };
}

export function composesOfEnvironment(ctx: ProcedureContext, environmentId: string): SimCompose[] {
  return [...ctx.state.composes.values()].filter((c) => c.environmentId === environmentId);
}

export function environmentWithServices(ctx: ProcedureContext, env: SimEnvironment) {
  return {
    ...env,
    applications: [],
    compose: composesOfEnvironment(ctx, env.environmentId).map(composeSummary),
    postgres: [],
    mysql: [],
    mariadb: [],
    mongo: [],
    redis: [],
    libsql: [],
  };
}

export function projectWithChildren(ctx: ProcedureContext, project: SimProject) {
  if (!hasEnvironments(ctx.version)) {
    const compose = [...ctx.state.composes.values()].filter(
      (c) => c.projectId === project.projectId,
    );
    return {
      ...project,
      applications: [],
      compose: compose.map(composeSummary),
      postgres: [],
      projectTags: [],
    };
  }
  const environments = [...ctx.state.environments.values()]
    .filter((e) => e.projectId === project.projectId)
    .map((e) => environmentWithServices(ctx, e));
  return { ...project, environments, projectTags: [] };
}

export function createEnvironmentRow(
  projectId: string,
  name: string,
  description: string | null,
  isDefault: boolean,
): SimEnvironment {
  return {
    environmentId: id(),
    name,
    description,
    projectId,
    isDefault,
    env: '',
    createdAt: now(),
  };
}

/**
 * Deletes a compose's rows the way the database cascades them (deployments, domains, mounts).
 * Containers and the compose directory are not rows: only `compose.delete` (which runs
 * `docker compose down` and removes the directory) takes them away.
 */
export function deleteComposeRows(ctx: ProcedureContext, composeId: string): void {
  const s = ctx.state;
  s.composes.delete(composeId);
  s.envSecretGenerations.delete(composeId);
  for (const [k, d] of s.deployments) if (d.composeId === composeId) s.deployments.delete(k);
  for (const [k, d] of s.domains) if (d.composeId === composeId) s.domains.delete(k);
  for (const [k, m] of s.mounts) if (m.composeId === composeId) s.mounts.delete(k);
}

export function createComposeRow(
  ctx: ProcedureContext,
  fields: Partial<SimCompose> & { name: string },
  owner: { environmentId: string | null; projectId: string | null },
): SimCompose {
  const row: SimCompose = {
    composeId: id(),
    name: fields.name,
    appName: buildAppName(fields.appName ?? slugify(fields.name)),
    description: fields.description ?? null,
    env: null,
    composeFile: fields.composeFile ?? '',
    // the DB default: before v0.30.0 `compose.create` could not set it
    sourceType: fields.sourceType ?? 'github',
    composeType: fields.composeType ?? 'docker-compose',
    composeStatus: 'idle',
    composePath: './docker-compose.yml',
    command: '',
    environmentId: owner.environmentId,
    projectId: owner.projectId,
    serverId: fields.serverId ?? null,
    randomize: false,
    suffix: '',
    isolatedDeployment: false,
    createEnvFile: true,
    createdAt: now(),
  };
  storeEnv(ctx.state, ctx.version, row, fields.env ?? null);
  ctx.state.composes.set(row.composeId, row);
  return row;
}

export function resolveOwner(
  ctx: ProcedureContext,
  input: { environmentId?: string; projectId?: string },
) {
  if (hasEnvironments(ctx.version)) {
    const env = need(ctx.state.environments.get(input.environmentId ?? ''), 'Environment');
    return {
      environmentId: env.environmentId,
      projectId: null,
      project: need(ctx.state.projects.get(env.projectId), 'Project'),
    };
  }
  const project = need(ctx.state.projects.get(input.projectId ?? ''), 'Project');
  return { environmentId: null, projectId: project.projectId, project };
}

export function createDomainRow(input: Partial<SimDomain> & { host: string }): SimDomain {
  return {
    domainId: id(),
    host: input.host,
    path: input.path ?? '/',
    port: input.port ?? 3000,
    // Dokploy's DB defaults: plain http, no certificate
    https: input.https ?? false,
    certificateType: input.certificateType ?? 'none',
    customCertResolver: input.customCertResolver ?? null,
    composeId: input.composeId ?? null,
    applicationId: input.applicationId ?? null,
    previewDeploymentId: input.previewDeploymentId ?? null,
    serviceName: input.serviceName ?? null,
    domainType: input.domainType ?? 'application',
    internalPath: input.internalPath ?? '/',
    stripPath: input.stripPath ?? false,
    middlewares: input.middlewares ?? null,
    customEntrypoint: input.customEntrypoint ?? null,
    forwardAuthEnabled: input.forwardAuthEnabled ?? false,
    enabled: true,
    uniqueConfigKey: Math.floor(Math.random() * 1e6),
    createdAt: now(),
  };
}

export function createMountRow(
  input: Partial<SimMount> & { type: SimMount['type']; mountPath: string; serviceType: string },
  serviceId: string,
): SimMount {
  return {
    mountId: id(),
    type: input.type,
    hostPath: input.hostPath ?? null,
    volumeName: input.volumeName ?? null,
    filePath: input.filePath ?? null,
    content: input.content ?? null,
    mountPath: input.mountPath,
    serviceType: input.serviceType,
    composeId: input.serviceType === 'compose' ? serviceId : null,
    applicationId: input.serviceType === 'application' ? serviceId : null,
    postgresId: input.serviceType === 'postgres' ? serviceId : null,
  };
}
