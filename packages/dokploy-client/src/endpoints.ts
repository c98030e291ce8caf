import { z } from 'zod';

/**
 * Every request this client can send: procedure, HTTP method, whether a retry is safe, and the
 * exact wire input (Dokploy's field names). The contract test checks each one against
 * Dokploy's OpenAPI document, so a rename there fails our tests.
 */
export interface Endpoint<S extends z.ZodType = z.ZodType> {
  readonly procedure: string;
  readonly method: 'GET' | 'POST';
  /** Retried on network errors, timeouts and 5xx. Creates, deploys, deletes and restarts never are. */
  readonly idempotent: boolean;
  readonly input: S;
  /** Wire fields that only older servers take (absent from the current document), by first version without them. */
  readonly legacyKeys?: Readonly<Record<string, string>>;
  /** Not a tRPC procedure (the plain `/api/health` route), so not in the OpenAPI document. */
  readonly outsideOpenApi?: boolean;
}

function ep<S extends z.ZodType>(
  procedure: string,
  method: 'GET' | 'POST',
  idempotent: boolean,
  input: S,
  extra: Pick<Endpoint, 'legacyKeys' | 'outsideOpenApi'> = {},
): Endpoint<S> {
  return { procedure, method, idempotent, input, ...extra };
}

const id = z.string().min(1);
const nullableString = z.string().nullable().optional();
const containerId = z
  .string()
  .min(1)
  .regex(/^[a-zA-Z0-9.\-_]+$/, 'only letters, digits, ".", "-" and "_"');
const appName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-zA-Z0-9._-]+$/, 'only letters, digits, ".", "-" and "_"');
export const sourceTypeSchema = z.enum(['git', 'github', 'gitlab', 'bitbucket', 'gitea', 'raw']);
export const composeTypeSchema = z.enum(['docker-compose', 'stack']);
const certificateType = z.enum(['letsencrypt', 'none', 'custom']);
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
const empty = z.object({}).strict();

const domainFields = {
  host: z.string().min(1),
  path: z.string().min(1).nullable().optional(),
  port: z.number().int().min(1).max(65535).nullable().optional(),
  https: z.boolean().optional(),
  certificateType: certificateType.optional(),
  customCertResolver: nullableString,
  serviceName: nullableString,
  domainType: z.enum(['compose', 'application', 'preview']).nullable().optional(),
  internalPath: nullableString,
  stripPath: z.boolean().optional(),
  middlewares: z.array(z.string()).nullable().optional(),
  customEntrypoint: nullableString,
  forwardAuthEnabled: z.boolean().optional(),
};

export const ENDPOINTS = {
  health: ep('health', 'GET', true, empty, { outsideOpenApi: true }),
  'user.get': ep('user.get', 'GET', true, empty),
  'settings.getDokployVersion': ep('settings.getDokployVersion', 'GET', true, empty),

  'project.all': ep('project.all', 'GET', true, empty),
  'project.one': ep('project.one', 'GET', true, z.object({ projectId: id }).strict()),
  'project.create': ep(
    'project.create',
    'POST',
    false,
    z
      .object({ name: z.string().min(1), description: nullableString, env: z.string().optional() })
      .strict(),
  ),
  'project.remove': ep('project.remove', 'POST', false, z.object({ projectId: id }).strict()),
  'project.search': ep(
    'project.search',
    'GET',
    true,
    z
      .object({
        q: z.string().optional(),
        name: z.string().optional(),
        description: z.string().optional(),
        limit: z.number().int().min(1).max(100).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
  ),

  'environment.byProjectId': ep(
    'environment.byProjectId',
    'GET',
    true,
    z.object({ projectId: id }).strict(),
  ),
  'environment.one': ep('environment.one', 'GET', true, z.object({ environmentId: id }).strict()),
  'environment.create': ep(
    'environment.create',
    'POST',
    false,
    z
      .object({ name: z.string().min(1), description: z.string().optional(), projectId: id })
      .strict(),
  ),
  'environment.remove': ep(
    'environment.remove',
    'POST',
    false,
    z.object({ environmentId: id }).strict(),
  ),
  'environment.duplicate': ep(
    'environment.duplicate',
    'POST',
    false,
    z
      .object({ environmentId: id, name: z.string().min(1), description: z.string().optional() })
      .strict(),
  ),

  'compose.create': ep(
    'compose.create',
    'POST',
    false,
    z
      .object({
        name: z.string().min(1),
        description: nullableString,
        environmentId: id.optional(),
        projectId: id.optional(),
        composeType: composeTypeSchema.optional(),
        appName: appName.optional(),
        serverId: nullableString,
        composeFile: z.string().optional(),
        sourceType: sourceTypeSchema.optional(),
      })
      .strict(),
    { legacyKeys: { projectId: '0.25.0' } },
  ),
  'compose.one': ep('compose.one', 'GET', true, z.object({ composeId: id }).strict()),
  'compose.update': ep(
    'compose.update',
    'POST',
    true,
    z
      .object({
        composeId: id,
        name: z.string().min(1).optional(),
        /** @deprecated Dokploy ignores it (updateCompose drops appName); the client does not send it. */
        appName: appName.optional(),
        description: nullableString,
        env: z.string().nullable().optional(),
        composeFile: z.string().optional(),
        sourceType: sourceTypeSchema.optional(),
        composeType: composeTypeSchema.optional(),
        command: z.string().optional(),
        composePath: z.string().min(1).optional(),
        createEnvFile: z.boolean().optional(),
        suffix: z.string().optional(),
        randomize: z.boolean().optional(),
        isolatedDeployment: z.boolean().optional(),
        isolatedDeploymentsVolume: z.boolean().optional(),
        autoDeploy: z.boolean().nullable().optional(),
        serviceNetworks: z
          .array(
            z
              .object({
                serviceName: z.string(),
                networkIds: z.array(z.string()),
                detachDokployNetwork: z.boolean(),
              })
              .strict(),
          )
          .nullable()
          .optional(),
      })
      .strict(),
  ),
  'compose.saveEnvironment': ep(
    'compose.saveEnvironment',
    'POST',
    true,
    z
      .object({ composeId: id, env: z.string().nullable(), createEnvFile: z.boolean().optional() })
      .strict(),
  ),
  'compose.deploy': ep(
    'compose.deploy',
    'POST',
    false,
    z
      .object({ composeId: id, title: z.string().optional(), description: z.string().optional() })
      .strict(),
  ),
  'compose.redeploy': ep(
    'compose.redeploy',
    'POST',
    false,
    z
      .object({ composeId: id, title: z.string().optional(), description: z.string().optional() })
      .strict(),
  ),
  'compose.stop': ep('compose.stop', 'POST', true, z.object({ composeId: id }).strict()),
  'compose.start': ep('compose.start', 'POST', true, z.object({ composeId: id }).strict()),
  'compose.delete': ep(
    'compose.delete',
    'POST',
    false,
    z.object({ composeId: id, deleteVolumes: z.boolean() }).strict(),
  ),
  'compose.templates': ep(
    'compose.templates',
    'GET',
    true,
    z.object({ baseUrl: z.url().optional() }).strict(),
  ),
  'compose.deployTemplate': ep(
    'compose.deployTemplate',
    'POST',
    false,
    z
      .object({
        environmentId: id.optional(),
        projectId: id.optional(),
        id: z.string().min(1),
        serverId: z.string().optional(),
        baseUrl: z.url().optional(),
      })
      .strict(),
    { legacyKeys: { projectId: '0.25.0' } },
  ),
  'compose.processTemplate': ep(
    'compose.processTemplate',
    'POST',
    true,
    z.object({ composeId: id, base64: z.string().min(1) }).strict(),
  ),
  'compose.import': ep(
    'compose.import',
    'POST',
    false,
    z.object({ composeId: id, base64: z.string().min(1) }).strict(),
  ),
  'compose.loadServices': ep(
    'compose.loadServices',
    'GET',
    true,
    z.object({ composeId: id, type: z.enum(['fetch', 'cache']).optional() }).strict(),
  ),
  'compose.getDefaultCommand': ep(
    'compose.getDefaultCommand',
    'GET',
    true,
    z.object({ composeId: id }).strict(),
  ),
  'compose.readLogs': ep(
    'compose.readLogs',
    'GET',
    true,
    z
      .object({
        composeId: id,
        containerId,
        tail: z.number().int().min(1).max(10_000).optional(),
        since: z
          .string()
          .regex(/^(all|\d+[smhd])$/, 'use "all" or a duration like 10m, 2h, 1d')
          .optional(),
        search: z
          .string()
          .regex(
            /^[a-zA-Z0-9 ._-]{0,500}$/,
            'only letters, digits, space, ".", "_" and "-" (at most 500)',
          )
          .optional(),
      })
      .strict(),
  ),

  'domain.create': ep(
    'domain.create',
    'POST',
    false,
    z
      .object({
        ...domainFields,
        composeId: nullableString,
        applicationId: nullableString,
        previewDeploymentId: nullableString,
      })
      .strict(),
  ),
  'domain.update': ep(
    'domain.update',
    'POST',
    true,
    z.object({ domainId: id, ...domainFields, enabled: z.boolean().optional() }).strict(),
  ),
  'domain.byComposeId': ep('domain.byComposeId', 'GET', true, z.object({ composeId: id }).strict()),
  'domain.delete': ep('domain.delete', 'POST', false, z.object({ domainId: id }).strict()),
  'domain.generateDomain': ep(
    'domain.generateDomain',
    'POST',
    false,
    z.object({ appName: z.string().min(1), serverId: z.string().optional() }).strict(),
  ),
  'domain.validateDomain': ep(
    'domain.validateDomain',
    'POST',
    true,
    z.object({ domain: z.string().min(1), serverIp: z.string().optional() }).strict(),
  ),

  'deployment.allByCompose': ep(
    'deployment.allByCompose',
    'GET',
    true,
    z.object({ composeId: id }).strict(),
  ),
  'deployment.readLogs': ep(
    'deployment.readLogs',
    'GET',
    true,
    z.object({ deploymentId: id, tail: z.number().int().min(1).max(10_000).optional() }).strict(),
  ),

  'docker.getContainersByAppNameMatch': ep(
    'docker.getContainersByAppNameMatch',
    'GET',
    true,
    z
      .object({
        appName: containerId,
        appType: composeTypeSchema.optional(),
        serverId: z.string().optional(),
      })
      .strict(),
  ),
  'docker.getConfig': ep(
    'docker.getConfig',
    'GET',
    true,
    z.object({ containerId, serverId: z.string().optional() }).strict(),
  ),
  'docker.restartContainer': ep(
    'docker.restartContainer',
    'POST',
    false,
    z.object({ containerId, serverId: z.string().optional() }).strict(),
  ),

  'mounts.create': ep(
    'mounts.create',
    'POST',
    false,
    z
      .object({
        type: z.enum(['bind', 'volume', 'file']),
        serviceType: serviceType,
        serviceId: id,
        mountPath: z.string().min(1),
        hostPath: nullableString,
        volumeName: nullableString,
        filePath: nullableString,
        content: nullableString,
      })
      .strict(),
  ),
  'mounts.update': ep(
    'mounts.update',
    'POST',
    true,
    z
      .object({
        mountId: id,
        type: z.enum(['bind', 'volume', 'file']).optional(),
        serviceType: serviceType.optional(),
        mountPath: z.string().min(1).optional(),
        hostPath: nullableString,
        volumeName: nullableString,
        filePath: nullableString,
        content: nullableString,
        composeId: nullableString,
      })
      .strict(),
  ),
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof ENDPOINTS;
export type EndpointInput<N extends EndpointName> = z.input<(typeof ENDPOINTS)[N]['input']>;
