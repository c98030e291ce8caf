import { z } from 'zod';
import type { DokployBaseUrl } from './base-url.js';
import { ENDPOINTS, type EndpointInput, type EndpointName, sourceTypeSchema } from './endpoints.js';
import {
  DokployInputError,
  DokployNotFoundError,
  DokployResponseError,
  DokployVersionError,
} from './errors.js';
import { type DokployClientOptions, resolveOptions } from './options.js';
import { Redactor } from './redact.js';
import {
  composeDetailSchema,
  composeSchema,
  containerConfigSchema,
  containerSchema,
  type DokployCompose,
  type DokployComposeDetail,
  type DokployContainer,
  type DokployContainerConfig,
  type DokployDeployment,
  type DokployDeployQueued,
  type DokployDomain,
  type DokployDomainValidation,
  type DokployEnvironment,
  type DokployHealth,
  type DokployImportResult,
  type DokployMount,
  type DokployProcessedTemplate,
  type DokployProject,
  type DokployProjectCreated,
  type DokployProjectSearch,
  type DokployTemplateInfo,
  type DokployUser,
  deploymentSchema,
  deployRawSchema,
  domainSchema,
  domainValidationSchema,
  environmentSchema,
  healthSchema,
  importResultSchema,
  mountResultSchema,
  processedTemplateSchema,
  projectCreateRawSchema,
  projectSchema,
  projectSearchSchema,
  templateInfoSchema,
  userSchema,
} from './responses.js';
import { type CallOptions, Transport } from './transport.js';
import {
  DOKPLOY_FEATURES,
  type DokployFeature,
  type DokployVersion,
  hasFeature,
  parseDokployVersion,
} from './version.js';

export type { CallOptions } from './transport.js';

/** `compose.create` input: give `environmentId` (v0.25.0+) or `projectId` (any version, see README). */
export type ComposeCreateInput = Omit<
  EndpointInput<'compose.create'>,
  'environmentId' | 'projectId'
> & {
  environmentId?: string;
  projectId?: string;
};
export type DeployTemplateInput = Omit<
  EndpointInput<'compose.deployTemplate'>,
  'environmentId' | 'projectId'
> & {
  environmentId?: string;
  projectId?: string;
};

const ownerRefine = (v: { environmentId?: string | undefined; projectId?: string | undefined }) =>
  v.environmentId !== undefined || v.projectId !== undefined;
const ownerMessage = {
  message: 'give environmentId (Dokploy v0.25.0+) or projectId',
  path: ['environmentId'],
};
const composeCreateInput = ENDPOINTS['compose.create'].input.refine(ownerRefine, ownerMessage);
const deployTemplateInput = ENDPOINTS['compose.deployTemplate'].input.refine(
  ownerRefine,
  ownerMessage,
);
const updateFileMountInput = z
  .object({
    mountId: z.string().min(1),
    content: z.string(),
    filePath: z.string().min(1).optional(),
  })
  .strict();

function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  procedure: string,
  redactor: Redactor,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    message: redactor.redact(i.message),
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    code: i.code,
  }));
  const list = issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
  throw new DokployInputError(
    `Invalid input for ${procedure}: ${list}. Fix: correct these fields (nothing was sent).`,
    issues,
  );
}

/**
 * A typed client for one Dokploy instance. Create it with `createDokployClient`.
 * Methods validate their input with zod before sending, read the server version once when
 * a call depends on it, and throw `DokployError` subclasses only.
 */
/** Auth headers per client, for the WebSocket helper; kept off the public surface so the key is not handed out. */
const authHeaders = new WeakMap<DokployClient, () => Record<string, string>>();

/** @internal The headers `streamContainerLogs` sends on the upgrade request. */
export function clientAuthHeaders(client: DokployClient): Record<string, string> | undefined {
  return authHeaders.get(client)?.();
}

/** Whether `value` is a client of this copy of the package. */
export function isDokployClient(value: unknown): value is DokployClient {
  return value instanceof DokployClient;
}

export class DokployClient {
  readonly name: string;
  readonly baseUrl: DokployBaseUrl;
  readonly #transport: Transport;
  readonly #redactor: Redactor;
  #version: DokployVersion | undefined;
  #versionPromise: Promise<DokployVersion> | undefined;

  constructor(options: DokployClientOptions) {
    const o = resolveOptions(options);
    this.name = o.name;
    this.baseUrl = o.base;
    this.#redactor = new Redactor([o.apiKey, ...o.secrets]);
    this.#version = o.version;
    this.#transport = new Transport({
      base: o.base,
      apiKey: o.apiKey,
      headers: o.headers,
      timeoutMs: o.timeoutMs,
      retry: o.retry,
      redactor: this.#redactor,
      logger: o.logger,
      fetch: o.fetch,
      onRetry: o.onRetry,
      knownVersion: () => this.#version,
    });
    authHeaders.set(this, () => ({ ...o.headers, 'x-api-key': o.apiKey }));
    if (o.base.insecure) {
      const msg = `Dokploy client "${o.name}": ${o.base.root} uses plain http to a non-local host, so the API key travels unencrypted. Fix: use https.`;
      if (o.logger?.warn) o.logger.warn(msg);
      else process.emitWarning(msg, { code: 'SUPAOPS_DOKPLOY_INSECURE' });
    }
  }

  /** The server version once read (or given in options); `undefined` before. */
  get version(): DokployVersion | undefined {
    return this.#version;
  }

  /** Forgets the cached version and reads it again (e.g. after upgrading Dokploy). */
  async refreshVersion(options?: CallOptions): Promise<DokployVersion> {
    this.#version = undefined;
    this.#versionPromise = undefined;
    return this.getVersion(options);
  }

  /** Masks the API key and every secret this client has seen. */
  redact(text: string): string {
    return this.#redactor.redact(text);
  }

  /** Reads `settings.getDokployVersion` once and caches it. */
  async getVersion(options?: CallOptions): Promise<DokployVersion> {
    if (this.#version) return this.#version;
    this.#versionPromise ??= this.settings.getDokployVersion(options).then(
      (raw) => {
        let v: DokployVersion;
        try {
          v = parseDokployVersion(raw);
        } catch (cause) {
          throw new DokployResponseError(
            `settings.getDokployVersion answered "${this.redact(String(raw))}", which is not a version. Fix: pass \`version\` in the client options.`,
            { request: { method: 'GET', procedure: 'settings.getDokployVersion' } },
            { cause },
          );
        }
        this.#version = v;
        return v;
      },
      (error: unknown) => {
        this.#versionPromise = undefined;
        throw error;
      },
    );
    return this.#versionPromise;
  }

  /** Whether the server has a version-dependent feature (reads the version once). */
  async supports(feature: DokployFeature, options?: CallOptions): Promise<boolean> {
    return hasFeature(await this.getVersion(options), feature);
  }

  async #require(
    feature: DokployFeature,
    what: string,
    alternative: string,
    options?: CallOptions,
  ): Promise<DokployVersion> {
    const v = await this.getVersion(options);
    if (!hasFeature(v, feature)) {
      throw new DokployVersionError(
        `${what} needs Dokploy v${DOKPLOY_FEATURES[feature]} or later; this server runs ${v.raw}. Fix: upgrade Dokploy${alternative}.`,
        { serverVersion: v.raw, requiredVersion: `v${DOKPLOY_FEATURES[feature]}` },
      );
    }
    return v;
  }

  async #send<N extends EndpointName>(
    name: N,
    input: unknown,
    options?: CallOptions,
  ): Promise<unknown> {
    const ep = ENDPOINTS[name];
    const data = parseWith(ep.input, input ?? {}, name, this.#redactor);
    return this.#transport.call(ep, data, options);
  }

  #read<S extends z.ZodType>(schema: S, raw: unknown, procedure: string): z.output<S> {
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    const list = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new DokployResponseError(
      `${procedure} answered a body this client cannot read (${list}). Fix: check that baseUrl points at Dokploy; if it does, report the Dokploy version (${this.#version?.raw ?? 'unknown'}) to supaops.`,
      { request: { method: ENDPOINTS[procedure as EndpointName]?.method ?? 'GET', procedure } },
    );
  }

  async #get<S extends z.ZodType>(
    name: EndpointName,
    schema: S,
    input: unknown,
    options?: CallOptions,
  ): Promise<z.output<S>> {
    return this.#read(schema, await this.#send(name, input, options), name);
  }

  /** `environmentId` on v0.25.0+ (resolving a `projectId` to its default environment), `projectId` before. */
  async #owner(
    input: { environmentId?: string | undefined; projectId?: string | undefined },
    procedure: string,
    options?: CallOptions,
  ) {
    const v = await this.getVersion(options);
    if (!hasFeature(v, 'environments')) {
      if (input.projectId === undefined) {
        throw new DokployVersionError(
          `${procedure}: this Dokploy (${v.raw}) has no environments (they came in v0.25.0), so environmentId cannot be used. Fix: pass projectId, or upgrade Dokploy.`,
          { serverVersion: v.raw, requiredVersion: `v${DOKPLOY_FEATURES.environments}` },
        );
      }
      return { projectId: input.projectId };
    }
    if (input.environmentId !== undefined) return { environmentId: input.environmentId };
    const envs = await this.environment.byProjectId(
      { projectId: input.projectId as string },
      options,
    );
    const chosen =
      envs.find((e) => e.isDefault === true) ??
      envs.find((e) => e.name === 'production') ??
      envs[0];
    if (!chosen) {
      throw new DokployNotFoundError(
        `${procedure}: project ${input.projectId} has no environment to put the compose in. Fix: create one with environment.create, or pass environmentId.`,
        { status: 404, request: { method: 'GET', procedure: 'environment.byProjectId' } },
      );
    }
    return { environmentId: chosen.environmentId };
  }

  #warn(message: string): void {
    const logger = this.#transport.config.logger;
    if (logger?.warn) logger.warn(this.#redactor.redact(message));
    else
      process.emitWarning(this.#redactor.redact(message), {
        code: 'SUPAOPS_DOKPLOY_TEMPLATE_KEYS',
      });
  }

  #trackEnv<T extends { env?: string | null | undefined }>(row: T): T {
    this.#redactor.addEnv(row.env ?? undefined);
    return row;
  }

  /** `GET /api/health`: liveness, no key needed. */
  async health(options?: CallOptions): Promise<DokployHealth> {
    return this.#get('health', healthSchema, {}, options);
  }

  readonly user = {
    /** Cheap key check: the key's member row with `organizationId` and `role`. */
    get: (options?: CallOptions): Promise<DokployUser> =>
      this.#get('user.get', userSchema, {}, options),
  };

  readonly settings = {
    /** The raw version string, e.g. `v0.30.2`. Prefer `client.getVersion()`. */
    getDokployVersion: async (options?: CallOptions): Promise<string> =>
      this.#get('settings.getDokployVersion', z.string(), {}, options),
  };

  readonly project = {
    all: (options?: CallOptions): Promise<DokployProject[]> =>
      this.#get('project.all', z.array(projectSchema), {}, options),
    one: (input: EndpointInput<'project.one'>, options?: CallOptions): Promise<DokployProject> =>
      this.#get('project.one', projectSchema, input, options),
    /** Same shape on every version; `environment` is the default `production` one (null before v0.25.0). */
    create: async (
      input: EndpointInput<'project.create'>,
      options?: CallOptions,
    ): Promise<DokployProjectCreated> => {
      const raw = await this.#get('project.create', projectCreateRawSchema, input, options);
      if (
        'project' in raw &&
        typeof raw.project === 'object' &&
        raw.project !== null &&
        'environment' in raw
      ) {
        return {
          project: raw.project as DokployProject,
          environment: raw.environment as DokployEnvironment,
        };
      }
      return { project: raw as DokployProject, environment: null };
    },
    remove: (
      input: EndpointInput<'project.remove'>,
      options?: CallOptions,
    ): Promise<DokployProject> => this.#get('project.remove', projectSchema, input, options),
    search: (
      input: EndpointInput<'project.search'> = {},
      options?: CallOptions,
    ): Promise<DokployProjectSearch> =>
      this.#get('project.search', projectSearchSchema, input, options),
  };

  readonly environment = {
    byProjectId: async (
      input: EndpointInput<'environment.byProjectId'>,
      options?: CallOptions,
    ): Promise<DokployEnvironment[]> => {
      await this.#require(
        'environments',
        'environment.byProjectId',
        '; before v0.25.0 composes belong to the project directly',
        options,
      );
      return this.#get('environment.byProjectId', z.array(environmentSchema), input, options);
    },
    one: async (
      input: EndpointInput<'environment.one'>,
      options?: CallOptions,
    ): Promise<DokployEnvironment> => {
      await this.#require('environments', 'environment.one', '', options);
      return this.#get('environment.one', environmentSchema, input, options);
    },
    create: async (
      input: EndpointInput<'environment.create'>,
      options?: CallOptions,
    ): Promise<DokployEnvironment> => {
      await this.#require('environments', 'environment.create', '', options);
      return this.#get('environment.create', environmentSchema, input, options);
    },
    remove: async (
      input: EndpointInput<'environment.remove'>,
      options?: CallOptions,
    ): Promise<DokployEnvironment> => {
      await this.#require('environments', 'environment.remove', '', options);
      return this.#get('environment.remove', environmentSchema, input, options);
    },
    duplicate: async (
      input: EndpointInput<'environment.duplicate'>,
      options?: CallOptions,
    ): Promise<DokployEnvironment> => {
      await this.#require('environments', 'environment.duplicate', '', options);
      return this.#get('environment.duplicate', environmentSchema, input, options);
    },
  };

  readonly compose = {
    /**
     * Creates a compose. `sourceType` defaults to `raw` when `composeFile` is given. Before
     * v0.30.0 Dokploy ignores `sourceType` at create, so the client follows up with
     * `compose.update {sourceType, composeFile}`.
     */
    create: async (input: ComposeCreateInput, options?: CallOptions): Promise<DokployCompose> => {
      const data = parseWith(composeCreateInput, input, 'compose.create', this.#redactor);
      const { environmentId, projectId, sourceType: given, ...rest } = data;
      const owner = await this.#owner({ environmentId, projectId }, 'compose.create', options);
      const v = await this.getVersion(options);
      const sourceType = given ?? (rest.composeFile !== undefined ? 'raw' : undefined);
      const atCreate = hasFeature(v, 'composeCreateSourceType');
      const row = await this.#get(
        'compose.create',
        composeSchema,
        { ...rest, ...owner, ...(atCreate && sourceType ? { sourceType } : {}) },
        options,
      );
      if (sourceType === undefined || atCreate) return row;
      return this.compose.update(
        {
          composeId: row.composeId,
          sourceType,
          ...(rest.composeFile !== undefined ? { composeFile: rest.composeFile } : {}),
        },
        options,
      );
    },
    /** The compose with deployments, domains and mounts; `env` comes back decrypted. */
    one: async (
      input: EndpointInput<'compose.one'>,
      options?: CallOptions,
    ): Promise<DokployComposeDetail> =>
      this.#trackEnv(await this.#get('compose.one', composeDetailSchema, input, options)),
    /** Updates fields; `env` replaces the whole env string. */
    update: async (
      input: EndpointInput<'compose.update'>,
      options?: CallOptions,
    ): Promise<DokployCompose> => {
      this.#redactor.addEnv(input?.env ?? undefined);
      return this.#trackEnv(await this.#get('compose.update', composeSchema, input, options));
    },
    saveEnvironment: async (
      input: EndpointInput<'compose.saveEnvironment'>,
      options?: CallOptions,
    ): Promise<boolean> => {
      this.#redactor.addEnv(input?.env ?? undefined);
      const raw = await this.#get('compose.saveEnvironment', z.unknown(), input, options);
      return raw !== false;
    },
    /** Queues a deployment (never retried). Use `waitForDeployment`/`deployAndWait` to follow it. */
    deploy: async (
      input: EndpointInput<'compose.deploy'>,
      options?: CallOptions,
    ): Promise<DokployDeployQueued> =>
      this.#deployResult(await this.#get('compose.deploy', deployRawSchema, input, options)),
    redeploy: async (
      input: EndpointInput<'compose.redeploy'>,
      options?: CallOptions,
    ): Promise<DokployDeployQueued> =>
      this.#deployResult(await this.#get('compose.redeploy', deployRawSchema, input, options)),
    stop: async (input: EndpointInput<'compose.stop'>, options?: CallOptions): Promise<boolean> =>
      (await this.#send('compose.stop', input, options)) !== false,
    start: async (input: EndpointInput<'compose.start'>, options?: CallOptions): Promise<boolean> =>
      (await this.#send('compose.start', input, options)) !== false,
    /** Deletes the compose; its directory (with bind-mounted data such as the Supabase DB) goes too. */
    delete: async (
      input: EndpointInput<'compose.delete'>,
      options?: CallOptions,
    ): Promise<DokployCompose> => this.#get('compose.delete', composeSchema, input, options),
    templates: (
      input: EndpointInput<'compose.templates'> = {},
      options?: CallOptions,
    ): Promise<DokployTemplateInfo[]> =>
      this.#get('compose.templates', z.array(templateInfoSchema), input, options),
    /**
     * Creates a compose from a template (does not deploy). Before v0.25.6 Dokploy generates the
     * Supabase `ANON_KEY`/`SERVICE_ROLE_KEY` wrongly (identical, no `role`): check `env`.
     */
    deployTemplate: async (
      input: DeployTemplateInput,
      options?: CallOptions,
    ): Promise<DokployCompose> => {
      const data = parseWith(deployTemplateInput, input, 'compose.deployTemplate', this.#redactor);
      const { environmentId, projectId, ...rest } = data;
      const owner = await this.#owner(
        { environmentId, projectId },
        'compose.deployTemplate',
        options,
      );
      const v = await this.getVersion(options);
      if (!hasFeature(v, 'templateJwtTrim')) {
        this.#warn(
          `compose.deployTemplate on Dokploy ${v.raw}: before v0.25.6 \${jwt:secret:payload} keys come out identical and without "role" (Dokploy#2867). Fix: replace ANON_KEY/SERVICE_ROLE_KEY in env with keys you sign yourself, or upgrade Dokploy.`,
        );
      }
      return this.#trackEnv(
        await this.#get('compose.deployTemplate', composeSchema, { ...rest, ...owner }, options),
      );
    },
    /** Preview: runs a `{compose, config}` template through Dokploy's helpers without saving. */
    processTemplate: async (
      input: EndpointInput<'compose.processTemplate'>,
      options?: CallOptions,
    ): Promise<DokployProcessedTemplate> => {
      const out = await this.#get(
        'compose.processTemplate',
        processedTemplateSchema,
        input,
        options,
      );
      this.#redactor.addEnv(out.template.envs.join('\n'));
      return out;
    },
    /** Replaces the compose file, env, mounts and domains from a base64 `{compose, config}` template. */
    import: (
      input: EndpointInput<'compose.import'>,
      options?: CallOptions,
    ): Promise<DokployImportResult> =>
      this.#get('compose.import', importResultSchema, input, options),
    loadServices: (
      input: EndpointInput<'compose.loadServices'>,
      options?: CallOptions,
    ): Promise<string[]> => this.#get('compose.loadServices', z.array(z.string()), input, options),
    getDefaultCommand: (
      input: EndpointInput<'compose.getDefaultCommand'>,
      options?: CallOptions,
    ): Promise<string> => this.#get('compose.getDefaultCommand', z.string(), input, options),
    /** One-shot `docker container logs` (v0.29.0+). */
    readLogs: async (
      input: EndpointInput<'compose.readLogs'>,
      options?: CallOptions,
    ): Promise<string> => {
      await this.#require(
        'composeReadLogs',
        'compose.readLogs',
        ', or stream the logs with streamContainerLogs (WebSocket, any version)',
        options,
      );
      return this.#redactor.redact(await this.#get('compose.readLogs', z.string(), input, options));
    },
  };

  readonly domain = {
    /** Dokploy defaults: `https: false`, `certificateType: "none"`, `port: 3000`, `path: "/"`. */
    create: (
      input: EndpointInput<'domain.create'>,
      options?: CallOptions,
    ): Promise<DokployDomain> => this.#get('domain.create', domainSchema, input, options),
    update: (
      input: EndpointInput<'domain.update'>,
      options?: CallOptions,
    ): Promise<DokployDomain> => this.#get('domain.update', domainSchema, input, options),
    byComposeId: (
      input: EndpointInput<'domain.byComposeId'>,
      options?: CallOptions,
    ): Promise<DokployDomain[]> =>
      this.#get('domain.byComposeId', z.array(domainSchema), input, options),
    delete: (
      input: EndpointInput<'domain.delete'>,
      options?: CallOptions,
    ): Promise<DokployDomain> => this.#get('domain.delete', domainSchema, input, options),
    /** A host like `<name>-<hex>-<ip>.sslip.io` (traefik.me before v0.29.3). */
    generateDomain: (
      input: EndpointInput<'domain.generateDomain'>,
      options?: CallOptions,
    ): Promise<string> => this.#get('domain.generateDomain', z.string(), input, options),
    validateDomain: (
      input: EndpointInput<'domain.validateDomain'>,
      options?: CallOptions,
    ): Promise<DokployDomainValidation> =>
      this.#get('domain.validateDomain', domainValidationSchema, input, options),
  };

  readonly deployment = {
    /** Deployments of a compose, newest first. */
    allByCompose: (
      input: EndpointInput<'deployment.allByCompose'>,
      options?: CallOptions,
    ): Promise<DokployDeployment[]> =>
      this.#get('deployment.allByCompose', z.array(deploymentSchema), input, options),
    /** The tail of a deployment's build log (v0.29.5+). */
    readLogs: async (
      input: EndpointInput<'deployment.readLogs'>,
      options?: CallOptions,
    ): Promise<string> => {
      await this.#require(
        'deploymentReadLogs',
        'deployment.readLogs',
        ' (before v0.29.5 build logs are only on the /listen-deployment WebSocket)',
        options,
      );
      return this.#redactor.redact(
        await this.#get('deployment.readLogs', z.string(), input, options),
      );
    },
  };

  readonly docker = {
    /** Containers of a compose: pass `appName` = `compose.appName` and `appType: "docker-compose"`. */
    getContainersByAppNameMatch: (
      input: EndpointInput<'docker.getContainersByAppNameMatch'>,
      options?: CallOptions,
    ): Promise<DokployContainer[]> =>
      this.#get('docker.getContainersByAppNameMatch', z.array(containerSchema), input, options),
    /** `docker inspect`; `State.Health.Status` holds the health check result. */
    getConfig: (
      input: EndpointInput<'docker.getConfig'>,
      options?: CallOptions,
    ): Promise<DokployContainerConfig> =>
      this.#get('docker.getConfig', containerConfigSchema, input, options),
    restartContainer: async (
      input: EndpointInput<'docker.restartContainer'>,
      options?: CallOptions,
    ): Promise<void> => {
      await this.#send('docker.restartContainer', input, options);
    },
  };

  readonly mounts = {
    /** For compose file mounts: `{type: "file", serviceType: "compose", serviceId: composeId, filePath, content, mountPath: "/"}`. */
    create: async (
      input: EndpointInput<'mounts.create'>,
      options?: CallOptions,
    ): Promise<DokployMount | null> => {
      const out = await this.#get('mounts.create', mountResultSchema, input, options);
      return typeof out === 'object' ? out : null;
    },
    update: async (
      input: EndpointInput<'mounts.update'>,
      options?: CallOptions,
    ): Promise<DokployMount | null> => {
      const out = await this.#get('mounts.update', mountResultSchema, input, options);
      return typeof out === 'object' ? out : null;
    },
    /** Replaces the content (and optionally the path) of a file mount. */
    updateFile: async (
      input: z.input<typeof updateFileMountInput>,
      options?: CallOptions,
    ): Promise<DokployMount | null> => {
      const data = parseWith(updateFileMountInput, input, 'mounts.update', this.#redactor);
      return this.mounts.update({ ...data, type: 'file' }, options);
    },
  };

  #deployResult(raw: z.output<typeof deployRawSchema>): DokployDeployQueued {
    if (raw && typeof raw === 'object') {
      return { queued: true, message: raw.message ?? null, composeId: raw.composeId ?? null };
    }
    return { queued: true, message: null, composeId: null };
  }
}

/** Creates a client for one Dokploy instance. Throws `DokployConfigError` on bad options. */
export function createDokployClient(options: DokployClientOptions): DokployClient {
  return new DokployClient(options);
}

export { sourceTypeSchema };
