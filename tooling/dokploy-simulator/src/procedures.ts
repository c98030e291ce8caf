import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { composeServices } from './compose-file.js';
import type {
  SimCompose,
  SimContainer,
  SimDeployment,
  SimDomain,
  SimEnvironment,
  SimMount,
  SimProject,
  SimulatorState,
} from './state.js';
import { generateDomain, loadBundledTemplate, processTemplate, slugify } from './template.js';
import { SimTrpcError } from './trpc-error.js';
import { atLeast, type SimVersion } from './version.js';

/** What a procedure handler can reach. */
export interface ProcedureContext {
  readonly state: SimulatorState;
  readonly version: SimVersion;
  readonly serverIp: string;
  /** Queues a deployment; the server finishes it after its configured duration. */
  enqueueDeployment(compose: SimCompose, title: string, description: string | null): void;
}

export interface Procedure {
  readonly method: 'GET' | 'POST';
  /** First version that has the procedure (inclusive). */
  readonly since?: string;
  /** First version that no longer has it (exclusive). */
  readonly until?: string;
  input(version: SimVersion): z.ZodType;
  handle(ctx: ProcedureContext, input: never): unknown;
}

const id = (): string => randomBytes(12).toString('base64url').replace(/[-_]/g, 'x');
const now = (): string => new Date().toISOString();
const nonEmpty = z.string().min(1);
const nullableString = z.string().nullable().optional();
const containerIdRe = /^[a-zA-Z0-9.\-_]+$/;
const appNameRe = /^[a-zA-Z0-9._-]+$/;
const sourceType = z.enum(['git', 'github', 'gitlab', 'bitbucket', 'gitea', 'raw']);
const composeType = z.enum(['docker-compose', 'stack']);
const certificateType = z.enum(['letsencrypt', 'none', 'custom']);
const domainType = z.enum(['compose', 'application', 'preview']).nullable().optional();
const serviceType = z.enum([
  'application',
  'postgres',
  'mysql',
  'mariadb',
  'mongo',
  'redis',
  'compose',
  'libsql',
]);

const fixed = (schema: z.ZodType) => (): z.ZodType => schema;

/** compose.deploy and compose.redeploy differ only in their default title and message. */
function queueDeployment(defaultTitle: string, message: string): Procedure {
  return {
    method: 'POST',
    input: fixed(
      z.object({
        composeId: nonEmpty,
        title: z.string().optional(),
        description: z.string().optional(),
      }),
    ),
    handle: (ctx, input: { composeId: string; title?: string; description?: string }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      ctx.enqueueDeployment(c, input.title ?? defaultTitle, input.description ?? null);
      return deployResponse(ctx.version, c.composeId, message);
    },
  };
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new SimTrpcError('NOT_FOUND', `${what} not found`);
  return value;
}

function hasEnvironments(v: SimVersion): boolean {
  return atLeast(v, '0.25.0');
}

function buildAppName(base: string): string {
  const cleaned = base.replace(/[^a-zA-Z0-9._-]/g, '-').slice(0, 55) || 'compose';
  return `${cleaned}-${randomBytes(4).toString('hex').slice(0, 6)}`;
}

function projectOfCompose(ctx: ProcedureContext, compose: SimCompose): SimProject | undefined {
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

function environmentWithServices(ctx: ProcedureContext, env: SimEnvironment) {
  const compose = [...ctx.state.composes.values()].filter(
    (c) => c.environmentId === env.environmentId,
  );
  return {
    ...env,
    applications: [],
    compose: compose.map(composeSummary),
    postgres: [],
    mysql: [],
    mariadb: [],
    mongo: [],
    redis: [],
    libsql: [],
  };
}

function projectWithChildren(ctx: ProcedureContext, project: SimProject) {
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

function createEnvironmentRow(
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

function removeCompose(ctx: ProcedureContext, composeId: string): void {
  const s = ctx.state;
  s.composes.delete(composeId);
  for (const [k, d] of s.deployments) if (d.composeId === composeId) s.deployments.delete(k);
  for (const [k, d] of s.domains) if (d.composeId === composeId) s.domains.delete(k);
  for (const [k, m] of s.mounts) if (m.composeId === composeId) s.mounts.delete(k);
  for (const [k, c] of s.containers) if (c.composeId === composeId) s.containers.delete(k);
}

function createComposeRow(
  ctx: ProcedureContext,
  fields: Partial<SimCompose> & { name: string },
  owner: { environmentId: string | null; projectId: string | null },
): SimCompose {
  const row: SimCompose = {
    composeId: id(),
    name: fields.name,
    appName: buildAppName(fields.appName ?? slugify(fields.name)),
    description: fields.description ?? null,
    env: fields.env ?? null,
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
  ctx.state.composes.set(row.composeId, row);
  return row;
}

function resolveOwner(
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

function containerStatus(c: SimContainer): string {
  if (c.state !== 'running') return 'Exited (0) 2 seconds ago';
  const health = c.health === 'none' ? '' : ` (${c.health})`;
  return `Up ${Math.max(1, Math.round((Date.now() - Date.parse(c.startedAt)) / 1000))} seconds${health}`;
}

function containersOf(ctx: ProcedureContext, composeId: string): SimContainer[] {
  return [...ctx.state.containers.values()].filter((c) => c.composeId === composeId);
}

function createDomainRow(input: Partial<SimDomain> & { host: string }): SimDomain {
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

function createMountRow(
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

function decodeTemplate(base64: string): { compose: string; config: string } {
  try {
    const parsed = JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as {
      compose?: unknown;
      config?: unknown;
    };
    if (typeof parsed.compose !== 'string' || typeof parsed.config !== 'string')
      throw new Error('shape');
    return { compose: parsed.compose, config: parsed.config };
  } catch (cause) {
    throw new SimTrpcError('BAD_REQUEST', `Invalid template: ${(cause as Error).message}`);
  }
}

function applyTemplate(ctx: ProcedureContext, compose: SimCompose, tomlText: string) {
  const project = projectOfCompose(ctx, compose);
  let processed: ReturnType<typeof processTemplate>;
  try {
    processed = processTemplate(tomlText, {
      projectName: project?.name ?? compose.appName,
      serverIp: ctx.serverIp,
      version: ctx.version,
    });
  } catch (cause) {
    throw new SimTrpcError(
      'BAD_REQUEST',
      `Error processing the template: ${(cause as Error).message}`,
    );
  }
  return processed;
}

function storeTemplateChildren(
  ctx: ProcedureContext,
  compose: SimCompose,
  processed: ReturnType<typeof processTemplate>,
) {
  for (const m of processed.mounts) {
    const row = createMountRow(
      {
        type: 'file',
        filePath: m.filePath,
        content: m.content,
        mountPath: '',
        serviceType: 'compose',
      },
      compose.composeId,
    );
    ctx.state.mounts.set(row.mountId, row);
  }
  for (const d of processed.domains) {
    const row = createDomainRow({
      host: d.host,
      port: d.port,
      serviceName: d.serviceName,
      composeId: compose.composeId,
      domainType: 'compose',
      https: false,
      certificateType: 'none',
      ...(d.path ? { path: d.path } : {}),
    });
    ctx.state.domains.set(row.domainId, row);
  }
}

const composeUpdateShape = {
  composeId: z.string(),
  name: nonEmpty.optional(),
  appName: z.string().min(1).max(63).regex(appNameRe).optional(),
  description: nullableString,
  env: nullableString,
  composeFile: z.string().optional(),
  sourceType: sourceType.optional(),
  composeType: composeType.optional(),
  command: z.string().optional(),
  composePath: z.string().min(1).optional(),
  createEnvFile: z.boolean().optional(),
  suffix: z.string().optional(),
  randomize: z.boolean().optional(),
  isolatedDeployment: z.boolean().optional(),
  isolatedDeploymentsVolume: z.boolean().optional(),
  composeStatus: z.enum(['idle', 'running', 'done', 'error']).optional(),
  serviceNetworks: z
    .array(
      z.object({
        serviceName: z.string(),
        networkIds: z.array(z.string()),
        detachDokployNetwork: z.boolean(),
      }),
    )
    .nullable()
    .optional(),
};

const domainFields = {
  host: nonEmpty,
  path: z.string().min(1).nullable().optional(),
  port: z.number().min(1).max(65535).nullable().optional(),
  customEntrypoint: nullableString,
  https: z.boolean().optional(),
  certificateType: certificateType.optional(),
  customCertResolver: nullableString,
  serviceName: nullableString,
  domainType,
  internalPath: nullableString,
  stripPath: z.boolean().optional(),
  middlewares: z.array(z.string()).nullable().optional(),
  forwardAuthEnabled: z.boolean().optional(),
};

export const PROCEDURES: Record<string, Procedure> = {
  'user.get': {
    method: 'GET',
    input: fixed(z.object({}).optional()),
    handle: (ctx) => ({
      id: 'member-1',
      organizationId: ctx.state.organizationId,
      userId: ctx.state.user.id,
      role: 'owner',
      createdAt: '2025-01-01T00:00:00.000Z',
      user: { ...ctx.state.user },
    }),
  },
  'settings.getDokployVersion': {
    method: 'GET',
    input: fixed(z.object({}).optional()),
    handle: (ctx) => ctx.version.tag,
  },
  'settings.health': {
    method: 'GET',
    input: fixed(z.object({}).optional()),
    handle: () => ({ status: 'ok' }),
  },

  // ---- project
  'project.all': {
    method: 'GET',
    input: fixed(z.object({}).optional()),
    handle: (ctx) => [...ctx.state.projects.values()].map((p) => projectWithChildren(ctx, p)),
  },
  'project.one': {
    method: 'GET',
    input: fixed(z.object({ projectId: nonEmpty })),
    handle: (ctx, input: { projectId: string }) =>
      projectWithChildren(ctx, need(ctx.state.projects.get(input.projectId), 'Project')),
  },
  'project.create': {
    method: 'POST',
    input: fixed(
      z.object({ name: nonEmpty, description: nullableString, env: z.string().optional() }),
    ),
    handle: (ctx, input: { name: string; description?: string | null; env?: string }) => {
      const project: SimProject = {
        projectId: id(),
        name: input.name,
        description: input.description ?? null,
        env: input.env ?? '',
        organizationId: ctx.state.organizationId,
        createdAt: now(),
      };
      ctx.state.projects.set(project.projectId, project);
      if (!hasEnvironments(ctx.version)) return project;
      const environment = createEnvironmentRow(
        project.projectId,
        'production',
        'Production environment',
        true,
      );
      ctx.state.environments.set(environment.environmentId, environment);
      if (!atLeast(ctx.version, '0.26.1')) {
        // `isDefault` arrived in v0.26.1
        const { isDefault: _isDefault, ...rest } = environment;
        return { project, environment: rest };
      }
      return { project, environment };
    },
  },
  'project.remove': {
    method: 'POST',
    input: fixed(z.object({ projectId: nonEmpty })),
    handle: (ctx, input: { projectId: string }) => {
      const project = need(ctx.state.projects.get(input.projectId), 'Project');
      for (const c of [...ctx.state.composes.values()])
        if (projectOfCompose(ctx, c)?.projectId === project.projectId)
          removeCompose(ctx, c.composeId);
      for (const [k, e] of ctx.state.environments)
        if (e.projectId === project.projectId) ctx.state.environments.delete(k);
      ctx.state.projects.delete(project.projectId);
      return project;
    },
  },
  'project.search': {
    method: 'GET',
    input: fixed(
      z.object({
        q: z.string().optional(),
        name: z.string().optional(),
        description: z.string().optional(),
        limit: z.coerce.number().min(1).max(100).default(20),
        offset: z.coerce.number().min(0).default(0),
      }),
    ),
    handle: (
      ctx,
      input: { q?: string; name?: string; description?: string; limit: number; offset: number },
    ) => {
      const has = (v: string | null, q: string | undefined) =>
        q === undefined || (v ?? '').toLowerCase().includes(q.toLowerCase());
      const all = [...ctx.state.projects.values()].filter(
        (p) =>
          (input.q === undefined || has(p.name, input.q) || has(p.description, input.q)) &&
          has(p.name, input.name) &&
          has(p.description, input.description),
      );
      return { items: all.slice(input.offset, input.offset + input.limit), total: all.length };
    },
  },

  // ---- environment (v0.25.0+)
  'environment.byProjectId': {
    method: 'GET',
    since: '0.25.0',
    input: fixed(z.object({ projectId: z.string() })),
    handle: (ctx, input: { projectId: string }) => {
      need(ctx.state.projects.get(input.projectId), 'Project');
      return [...ctx.state.environments.values()]
        .filter((e) => e.projectId === input.projectId)
        .map((e) => environmentWithServices(ctx, e));
    },
  },
  'environment.one': {
    method: 'GET',
    since: '0.25.0',
    input: fixed(z.object({ environmentId: nonEmpty })),
    handle: (ctx, input: { environmentId: string }) => {
      const env = need(ctx.state.environments.get(input.environmentId), 'Environment');
      return {
        ...environmentWithServices(ctx, env),
        project: ctx.state.projects.get(env.projectId),
      };
    },
  },
  'environment.create': {
    method: 'POST',
    since: '0.25.0',
    input: fixed(
      z.object({ name: nonEmpty, description: z.string().optional(), projectId: nonEmpty }),
    ),
    handle: (ctx, input: { name: string; description?: string; projectId: string }) => {
      need(ctx.state.projects.get(input.projectId), 'Project');
      const env = createEnvironmentRow(
        input.projectId,
        input.name,
        input.description ?? null,
        false,
      );
      ctx.state.environments.set(env.environmentId, env);
      return env;
    },
  },
  'environment.remove': {
    method: 'POST',
    since: '0.25.0',
    input: fixed(z.object({ environmentId: nonEmpty })),
    handle: (ctx, input: { environmentId: string }) => {
      const env = need(ctx.state.environments.get(input.environmentId), 'Environment');
      if (env.isDefault)
        throw new SimTrpcError('BAD_REQUEST', 'You cannot delete the default environment');
      for (const c of [...ctx.state.composes.values()])
        if (c.environmentId === env.environmentId) removeCompose(ctx, c.composeId);
      ctx.state.environments.delete(env.environmentId);
      return env;
    },
  },
  'environment.duplicate': {
    method: 'POST',
    since: '0.25.0',
    input: fixed(
      z.object({ environmentId: nonEmpty, name: nonEmpty, description: z.string().optional() }),
    ),
    handle: (ctx, input: { environmentId: string; name: string; description?: string }) => {
      const source = need(ctx.state.environments.get(input.environmentId), 'Environment');
      const copy = createEnvironmentRow(
        source.projectId,
        input.name,
        input.description ?? source.description,
        false,
      );
      copy.env = source.env;
      ctx.state.environments.set(copy.environmentId, copy);
      for (const c of [...ctx.state.composes.values()]) {
        if (c.environmentId !== source.environmentId) continue;
        createComposeRow(
          ctx,
          { ...c, name: c.name, appName: c.appName.replace(/-[a-z0-9]{6}$/, '') },
          { environmentId: copy.environmentId, projectId: null },
        );
      }
      return copy;
    },
  },

  // ---- compose
  'compose.create': {
    method: 'POST',
    input: (v) =>
      z.object({
        name: nonEmpty,
        description: nullableString,
        ...(hasEnvironments(v) ? { environmentId: z.string() } : { projectId: z.string() }),
        composeType: composeType.optional(),
        appName: z.string().min(1).max(63).regex(appNameRe).optional(),
        serverId: nullableString,
        composeFile: z.string().optional(),
        ...(atLeast(v, '0.30.0') ? { sourceType: sourceType.optional() } : {}),
      }),
    handle: (
      ctx,
      input: { name: string; environmentId?: string; projectId?: string } & Partial<SimCompose>,
    ) => {
      const owner = resolveOwner(ctx, input);
      return createComposeRow(ctx, input, owner);
    },
  },
  'compose.one': {
    method: 'GET',
    input: fixed(z.object({ composeId: nonEmpty })),
    handle: (ctx, input: { composeId: string }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      const project = projectOfCompose(ctx, c);
      const env = c.environmentId ? ctx.state.environments.get(c.environmentId) : undefined;
      const deployments = [...ctx.state.deployments.values()]
        .filter((d) => d.composeId === c.composeId)
        .map(({ logs: _logs, ...d }) => d)
        .reverse();
      return {
        ...c,
        ...(env ? { environment: { ...env, project } } : { project }),
        deployments,
        mounts: [...ctx.state.mounts.values()].filter((m) => m.composeId === c.composeId),
        domains: [...ctx.state.domains.values()].filter((d) => d.composeId === c.composeId),
        server: null,
        backups: [],
        hasGitProviderAccess: true,
        unauthorizedProvider: null,
      };
    },
  },
  'compose.update': {
    method: 'POST',
    input: fixed(z.object(composeUpdateShape)),
    handle: (ctx, input: { composeId: string } & Partial<SimCompose>) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      for (const [k, v] of Object.entries(input))
        if (v !== undefined && k !== 'composeId') c[k] = v;
      return c;
    },
  },
  'compose.saveEnvironment': {
    method: 'POST',
    input: fixed(
      z.object({
        composeId: z.string(),
        env: z.string().nullable(),
        createEnvFile: z.boolean().optional(),
      }),
    ),
    handle: (ctx, input: { composeId: string; env: string | null; createEnvFile?: boolean }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      c.env = input.env;
      if (input.createEnvFile !== undefined) c.createEnvFile = input.createEnvFile;
      return true;
    },
  },
  'compose.deploy': queueDeployment('Manual deployment', 'Deployment queued'),
  'compose.redeploy': queueDeployment('Rebuild deployment', 'Redeployment queued'),
  'compose.stop': {
    method: 'POST',
    input: fixed(z.object({ composeId: nonEmpty })),
    handle: (ctx, input: { composeId: string }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      for (const container of containersOf(ctx, c.composeId)) container.state = 'exited';
      c.composeStatus = 'idle';
      return true;
    },
  },
  'compose.start': {
    method: 'POST',
    input: fixed(z.object({ composeId: nonEmpty })),
    handle: (ctx, input: { composeId: string }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      for (const container of containersOf(ctx, c.composeId)) {
        container.state = 'running';
        container.startedAt = now();
      }
      c.composeStatus = 'done';
      return true;
    },
  },
  'compose.delete': {
    method: 'POST',
    input: fixed(z.object({ composeId: nonEmpty, deleteVolumes: z.boolean() })),
    handle: (ctx, input: { composeId: string }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      removeCompose(ctx, c.composeId);
      return c;
    },
  },
  'compose.templates': {
    method: 'GET',
    input: fixed(z.object({ baseUrl: z.string().optional() }).optional()),
    handle: () => {
      const t = loadBundledTemplate('supabase');
      return t ? [{ ...t.meta, id: t.id }] : [];
    },
  },
  'compose.deployTemplate': {
    method: 'POST',
    input: (v) =>
      z.object({
        ...(hasEnvironments(v) ? { environmentId: z.string() } : { projectId: z.string() }),
        serverId: z.string().optional(),
        id: z.string(),
        baseUrl: z.string().optional(),
      }),
    handle: (
      ctx,
      input: { environmentId?: string; projectId?: string; id: string; serverId?: string },
    ) => {
      const owner = resolveOwner(ctx, input);
      const template = loadBundledTemplate(input.id);
      if (!template) throw new SimTrpcError('NOT_FOUND', `Template ${input.id} not found`);
      const processed = processTemplate(template.toml, {
        projectName: owner.project.name,
        serverIp: ctx.serverIp,
        version: ctx.version,
      });
      const compose = createComposeRow(
        ctx,
        {
          name: input.id,
          appName: slugify(`${owner.project.name} ${input.id}`),
          composeFile: template.composeFile,
          env: processed.envs.join('\n'),
          sourceType: 'raw',
          serverId: input.serverId ?? null,
        },
        owner,
      );
      storeTemplateChildren(ctx, compose, processed);
      return compose;
    },
  },
  'compose.processTemplate': {
    method: 'POST',
    input: fixed(z.object({ base64: z.string(), composeId: nonEmpty })),
    handle: (ctx, input: { base64: string; composeId: string }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      const { compose, config } = decodeTemplate(input.base64);
      return { compose, template: applyTemplate(ctx, c, config) };
    },
  },
  'compose.import': {
    method: 'POST',
    input: fixed(z.object({ base64: z.string(), composeId: nonEmpty })),
    handle: (ctx, input: { base64: string; composeId: string }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      const { compose, config } = decodeTemplate(input.base64);
      const processed = applyTemplate(ctx, c, config);
      for (const [k, m] of ctx.state.mounts)
        if (m.composeId === c.composeId) ctx.state.mounts.delete(k);
      for (const [k, d] of ctx.state.domains)
        if (d.composeId === c.composeId) ctx.state.domains.delete(k);
      c.composeFile = compose;
      c.env = processed.envs.join('\n');
      c.sourceType = 'raw';
      storeTemplateChildren(ctx, c, processed);
      return { success: true, message: 'Template imported successfully' };
    },
  },
  'compose.loadServices': {
    method: 'GET',
    input: fixed(
      z.object({ composeId: nonEmpty, type: z.enum(['fetch', 'cache']).default('cache') }),
    ),
    handle: (ctx, input: { composeId: string }) =>
      composeServices(need(ctx.state.composes.get(input.composeId), 'Compose').composeFile).map(
        (s) => s.name,
      ),
  },
  'compose.getDefaultCommand': {
    method: 'GET',
    input: fixed(z.object({ composeId: nonEmpty })),
    handle: (ctx, input: { composeId: string }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      return c.composeType === 'stack'
        ? `docker stack deploy -c ${c.composePath} ${c.appName} --prune`
        : `docker compose -p ${c.appName} -f ${c.composePath} up -d --build --remove-orphans`;
    },
  },
  'compose.readLogs': {
    method: 'GET',
    since: '0.29.0',
    input: fixed(
      z.object({
        composeId: nonEmpty,
        containerId: z.string().min(1).regex(containerIdRe),
        tail: z.coerce.number().int().min(1).max(10000).default(100),
        since: z
          .string()
          .regex(/^(all|\d+[smhd])$/)
          .default('all'),
        search: z
          .string()
          .regex(/^[a-zA-Z0-9 ._-]{0,500}$/)
          .optional(),
      }),
    ),
    handle: (
      ctx,
      input: { composeId: string; containerId: string; tail: number; search?: string },
    ) => {
      need(ctx.state.composes.get(input.composeId), 'Compose');
      const container = [...ctx.state.containers.values()].find(
        (c) => c.containerId === input.containerId || c.name === input.containerId,
      );
      if (!container)
        throw new SimTrpcError('BAD_REQUEST', `Error: No such container: ${input.containerId}`);
      const lines = input.search
        ? container.logs.filter((l) => l.includes(input.search ?? ''))
        : container.logs;
      return lines.slice(-input.tail).join('\n');
    },
  },

  // ---- domain
  'domain.create': {
    method: 'POST',
    input: fixed(
      z.object({
        ...domainFields,
        applicationId: nullableString,
        composeId: nullableString,
        previewDeploymentId: nullableString,
      }),
    ),
    handle: (ctx, input: Partial<SimDomain> & { host: string }) => {
      if (input.composeId) need(ctx.state.composes.get(input.composeId), 'Compose');
      const row = createDomainRow(input);
      ctx.state.domains.set(row.domainId, row);
      return row;
    },
  },
  'domain.update': {
    method: 'POST',
    input: fixed(
      z.object({ ...domainFields, enabled: z.boolean().optional(), domainId: z.string() }),
    ),
    handle: (ctx, input: Partial<SimDomain> & { domainId: string }) => {
      const row = need(ctx.state.domains.get(input.domainId), 'Domain');
      for (const [k, v] of Object.entries(input))
        if (v !== undefined) (row as unknown as Record<string, unknown>)[k] = v;
      return row;
    },
  },
  'domain.byComposeId': {
    method: 'GET',
    input: fixed(z.object({ composeId: nonEmpty })),
    handle: (ctx, input: { composeId: string }) => {
      need(ctx.state.composes.get(input.composeId), 'Compose');
      return [...ctx.state.domains.values()].filter((d) => d.composeId === input.composeId);
    },
  },
  'domain.delete': {
    method: 'POST',
    input: fixed(z.object({ domainId: nonEmpty })),
    handle: (ctx, input: { domainId: string }) => {
      const row = need(ctx.state.domains.get(input.domainId), 'Domain');
      ctx.state.domains.delete(row.domainId);
      return row;
    },
  },
  'domain.generateDomain': {
    method: 'POST',
    input: fixed(z.object({ appName: z.string(), serverId: z.string().optional() })),
    handle: (ctx, input: { appName: string }) =>
      generateDomain(input.appName, ctx.serverIp, ctx.version),
  },
  'domain.validateDomain': {
    method: 'POST',
    input: fixed(z.object({ domain: z.string(), serverIp: z.string().optional() })),
    handle: (ctx, input: { domain: string; serverIp?: string }) => {
      const ipFromName = /-(\d+-\d+-\d+-\d+)\.(sslip\.io|traefik\.me)$/
        .exec(input.domain)?.[1]
        ?.replaceAll('-', '.');
      const resolvedIp = ctx.state.dns.get(input.domain) ?? ipFromName;
      if (!resolvedIp) return { isValid: false, error: `Domain ${input.domain} does not resolve` };
      const expected = input.serverIp ?? ctx.serverIp;
      if (resolvedIp !== expected) {
        return {
          isValid: false,
          resolvedIp,
          error: `Domain resolves to ${resolvedIp} but should point to ${expected}`,
        };
      }
      return { isValid: true, resolvedIp };
    },
  },

  // ---- deployment
  'deployment.allByCompose': {
    method: 'GET',
    input: fixed(z.object({ composeId: nonEmpty })),
    handle: (ctx, input: { composeId: string }) =>
      [...ctx.state.deployments.values()]
        .filter((d) => d.composeId === input.composeId)
        .map(({ logs: _logs, ...d }) => d)
        .reverse(),
  },
  'deployment.readLogs': {
    method: 'GET',
    since: '0.29.5',
    input: fixed(
      z.object({
        deploymentId: nonEmpty,
        tail: z.coerce.number().int().min(1).max(10000).default(100),
      }),
    ),
    handle: (ctx, input: { deploymentId: string; tail: number }) =>
      need(ctx.state.deployments.get(input.deploymentId), 'Deployment')
        .logs.slice(-input.tail)
        .join('\n'),
  },

  // ---- docker
  'docker.getContainersByAppNameMatch': {
    method: 'GET',
    input: fixed(
      z.object({
        appType: z.enum(['stack', 'docker-compose']).optional(),
        appName: z.string().min(1).regex(containerIdRe),
        serverId: z.string().optional(),
      }),
    ),
    handle: (ctx, input: { appName: string; appType?: string }) =>
      [...ctx.state.containers.values()]
        .filter((c) =>
          input.appType === 'docker-compose'
            ? c.appName === input.appName
            : c.name.includes(input.appName),
        )
        .map((c) => ({
          containerId: c.containerId,
          name: c.name,
          state: c.state,
          status: containerStatus(c),
        })),
  },
  'docker.getConfig': {
    method: 'GET',
    input: fixed(
      z.object({
        containerId: z.string().min(1).regex(containerIdRe),
        serverId: z.string().optional(),
      }),
    ),
    handle: (ctx, input: { containerId: string }) => {
      const c = [...ctx.state.containers.values()].find(
        (x) => x.containerId === input.containerId || x.name === input.containerId,
      );
      if (!c) throw new SimTrpcError('NOT_FOUND', `No such container: ${input.containerId}`);
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
                Health: {
                  Status: c.health,
                  FailingStreak: c.health === 'unhealthy' ? 3 : 0,
                  Log: [],
                },
              }),
        },
        Config: {
          Labels: {
            'com.docker.compose.project': c.appName,
            'com.docker.compose.service': c.service,
          },
        },
      };
    },
  },
  'docker.restartContainer': {
    method: 'POST',
    input: fixed(
      z.object({
        containerId: z.string().min(1).regex(containerIdRe),
        serverId: z.string().optional(),
      }),
    ),
    handle: (ctx, input: { containerId: string }) => {
      const c = [...ctx.state.containers.values()].find(
        (x) => x.containerId === input.containerId || x.name === input.containerId,
      );
      if (!c) throw new SimTrpcError('NOT_FOUND', `No such container: ${input.containerId}`);
      c.state = 'running';
      c.startedAt = now();
      c.logs.push(`${now()} ${c.service} | restarted`);
      return undefined;
    },
  },

  // ---- mounts
  'mounts.create': {
    method: 'POST',
    input: fixed(
      z.object({
        type: z.enum(['bind', 'volume', 'file']),
        hostPath: nullableString,
        volumeName: nullableString,
        content: nullableString,
        mountPath: z.string().min(1),
        filePath: nullableString,
        serviceType: serviceType.default('application'),
        serviceId: z.string().min(1),
      }),
    ),
    handle: (
      ctx,
      input: Partial<SimMount> & {
        type: SimMount['type'];
        mountPath: string;
        serviceType: string;
        serviceId: string;
      },
    ) => {
      if (input.serviceType === 'compose') need(ctx.state.composes.get(input.serviceId), 'Compose');
      const row = createMountRow(input, input.serviceId);
      ctx.state.mounts.set(row.mountId, row);
      return row;
    },
  },
  'mounts.update': {
    method: 'POST',
    input: fixed(
      z.object({
        mountId: z.string().min(1),
        type: z.enum(['bind', 'volume', 'file']).optional(),
        hostPath: nullableString,
        volumeName: nullableString,
        filePath: nullableString,
        content: nullableString,
        serviceType: serviceType.optional(),
        mountPath: z.string().min(1).optional(),
        composeId: nullableString,
      }),
    ),
    handle: (ctx, input: Partial<SimMount> & { mountId: string }) => {
      const row = need(ctx.state.mounts.get(input.mountId), 'Mount');
      for (const [k, v] of Object.entries(input)) if (v !== undefined) row[k] = v;
      return row;
    },
  },
};

function deployResponse(version: SimVersion, composeId: string, message: string): unknown {
  if (atLeast(version, '0.28.0')) return { success: true, message, composeId };
  if (atLeast(version, '0.26.0')) return { success: true, message };
  return undefined; // empty body
}

/** Builds the containers a finished deployment leaves running: one per compose service. */
export function containersForDeployment(state: SimulatorState, compose: SimCompose): void {
  for (const [k, c] of state.containers)
    if (c.composeId === compose.composeId) state.containers.delete(k);
  const startedAt = now();
  for (const service of composeServices(compose.composeFile)) {
    const unhealthy = state.unhealthyServices.has(service.name);
    const health = service.hasHealthcheck ? (unhealthy ? 'unhealthy' : 'healthy') : 'none';
    const containerId = randomBytes(6).toString('hex');
    const logs = [
      `${startedAt} ${service.name} | starting`,
      `${startedAt} ${service.name} | listening`,
    ];
    if (unhealthy)
      logs.push(`${startedAt} ${service.name} | healthcheck failed: connection refused`);
    const container: SimContainer = {
      containerId,
      name: `${compose.appName}-${service.name}-1`,
      appName: compose.appName,
      service: service.name,
      composeId: compose.composeId,
      state: 'running',
      health,
      startedAt,
      logs,
    };
    state.containers.set(containerId, container);
  }
}

export function newDeployment(
  compose: SimCompose,
  title: string,
  description: string | null,
): SimDeployment & { logs: string[] } {
  const deploymentId = id();
  return {
    deploymentId,
    title,
    description,
    status: 'running',
    logPath: `/etc/dokploy/logs/${compose.appName}/${compose.appName}-${deploymentId}.log`,
    pid: null,
    composeId: compose.composeId,
    serverId: compose.serverId,
    errorMessage: null,
    createdAt: now(),
    startedAt: now(),
    finishedAt: null,
    logs: [`Initializing deployment of ${compose.appName}`],
  };
}
