import { z } from 'zod';

/*
 * Response shapes, typed by hand from Dokploy's router code (the OpenAPI document types no
 * responses). Parsing is lenient: only the fields callers rely on are checked and every other
 * field passes through untouched.
 */

const str = z.string();
const optStr = z.string().nullish();

export const composeSummarySchema = z.looseObject({
  composeId: str,
  name: str,
  appName: str.optional(),
  composeStatus: str.optional(),
});

export const environmentSchema = z.looseObject({
  environmentId: str,
  name: str,
  projectId: str.optional(),
  description: optStr,
  /** v0.26.1+. */
  isDefault: z.boolean().optional(),
  env: optStr,
  compose: z.array(composeSummarySchema).optional(),
});
export type DokployEnvironment = z.infer<typeof environmentSchema>;

export const projectSchema = z.looseObject({
  projectId: str,
  name: str,
  description: optStr,
  organizationId: str.optional(),
  env: optStr,
  createdAt: str.optional(),
  /** v0.25.0+. */
  environments: z.array(environmentSchema).optional(),
  /** Before v0.25.0 composes hang off the project. */
  compose: z.array(composeSummarySchema).optional(),
});
export type DokployProject = z.infer<typeof projectSchema>;

/** `project.create`, the same on every version (before v0.25.0 `environment` is `null`). */
export interface DokployProjectCreated {
  project: DokployProject;
  environment: DokployEnvironment | null;
}
export const projectCreateRawSchema = z.union([
  z.looseObject({ project: projectSchema, environment: environmentSchema }),
  projectSchema,
]);

export const projectSearchSchema = z.looseObject({
  items: z.array(projectSchema),
  total: z.number(),
});
export type DokployProjectSearch = z.infer<typeof projectSearchSchema>;

export type DeploymentStatus = 'running' | 'done' | 'error' | 'cancelled' | (string & {});

export const deploymentSchema = z.looseObject({
  deploymentId: str,
  status: str as z.ZodType<DeploymentStatus>,
  title: optStr,
  description: optStr,
  logPath: optStr,
  composeId: optStr,
  errorMessage: optStr,
  createdAt: str.optional(),
  startedAt: optStr,
  finishedAt: optStr,
});
export type DokployDeployment = z.infer<typeof deploymentSchema>;

export const domainSchema = z.looseObject({
  domainId: str,
  host: str,
  https: z.boolean().optional(),
  certificateType: str.optional(),
  port: z.number().nullish(),
  path: optStr,
  serviceName: optStr,
  composeId: optStr,
  domainType: optStr,
});
export type DokployDomain = z.infer<typeof domainSchema>;

export const mountSchema = z.looseObject({
  mountId: str,
  type: str.optional(),
  filePath: optStr,
  content: optStr,
  mountPath: str.optional(),
  serviceType: str.optional(),
});
export type DokployMount = z.infer<typeof mountSchema>;

export type ComposeStatus = 'idle' | 'running' | 'done' | 'error' | (string & {});

export const composeSchema = z.looseObject({
  composeId: str,
  name: str,
  appName: str,
  description: optStr,
  /** Returned decrypted (encrypted at rest since v0.29.12). */
  env: optStr,
  composeFile: str.optional(),
  sourceType: str.optional(),
  composeType: str.optional(),
  composeStatus: (str as z.ZodType<ComposeStatus>).optional(),
  environmentId: optStr,
  /** Before v0.25.0. */
  projectId: optStr,
  serverId: optStr,
  createdAt: str.optional(),
});
export type DokployCompose = z.infer<typeof composeSchema>;

export const composeDetailSchema = z.looseObject({
  ...composeSchema.shape,
  deployments: z.array(deploymentSchema).optional(),
  domains: z.array(domainSchema).optional(),
  mounts: z.array(mountSchema).optional(),
  environment: z.looseObject({ environmentId: str, project: projectSchema.optional() }).optional(),
  project: projectSchema.optional(),
});
export type DokployComposeDetail = z.infer<typeof composeDetailSchema>;

/** `compose.deploy`/`redeploy`, normalized across versions (empty body, `true`, `{success, message[, composeId]}`). */
export interface DokployDeployQueued {
  queued: true;
  message: string | null;
  composeId: string | null;
}
export const deployRawSchema = z.union([
  z.undefined(),
  z.boolean(),
  z.looseObject({ success: z.boolean().optional(), message: optStr, composeId: optStr }),
]);

export const templateInfoSchema = z.looseObject({
  id: str,
  name: str.optional(),
  description: str.optional(),
  version: str.optional(),
  tags: z.array(str).optional(),
});
export type DokployTemplateInfo = z.infer<typeof templateInfoSchema>;

export const processedTemplateSchema = z.looseObject({
  compose: str,
  template: z.looseObject({
    envs: z.array(str),
    mounts: z.array(z.looseObject({ filePath: str, content: str })),
    domains: z.array(
      z.looseObject({ host: str, port: z.number().optional(), serviceName: str.optional() }),
    ),
  }),
});
export type DokployProcessedTemplate = z.infer<typeof processedTemplateSchema>;

export const importResultSchema = z.looseObject({ success: z.boolean(), message: optStr });
export type DokployImportResult = z.infer<typeof importResultSchema>;

export const domainValidationSchema = z.looseObject({
  isValid: z.boolean(),
  resolvedIp: str.optional(),
  error: str.optional(),
});
export type DokployDomainValidation = z.infer<typeof domainValidationSchema>;

export const containerSchema = z.looseObject({
  containerId: str,
  name: str,
  state: str,
  status: str.optional(),
});
export type DokployContainer = z.infer<typeof containerSchema>;

/** `docker inspect` output; `State.Health.Status` is the health check result when the service has one. */
export const containerConfigSchema = z.looseObject({
  Id: str.optional(),
  Name: str.optional(),
  State: z
    .looseObject({
      Status: str.optional(),
      Running: z.boolean().optional(),
      Health: z.looseObject({ Status: str }).optional(),
    })
    .optional(),
});
export type DokployContainerConfig = z.infer<typeof containerConfigSchema>;

export const userSchema = z.looseObject({
  id: str.optional(),
  organizationId: str.optional(),
  userId: str.optional(),
  role: str.optional(),
  user: z.looseObject({ id: str.optional(), email: str.optional(), name: optStr }).optional(),
});
export type DokployUser = z.infer<typeof userSchema>;

export const healthSchema = z.looseObject({ ok: z.boolean().optional(), status: str.optional() });
export type DokployHealth = z.infer<typeof healthSchema>;

export const mountResultSchema = z.union([mountSchema, z.boolean(), z.undefined()]);
