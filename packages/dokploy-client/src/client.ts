import { z } from 'zod';
import type { DokployBaseUrl } from './base-url.js';
import { ClientCore } from './client-core.js';
import { sourceTypeSchema } from './endpoints.js';
import { composeMethods } from './groups/compose.js';
import { composeTemplateMethods } from './groups/compose-templates.js';
import { deploymentMethods } from './groups/deployment.js';
import { dockerMethods } from './groups/docker.js';
import { domainMethods } from './groups/domain.js';
import { environmentMethods } from './groups/environment.js';
import { mountMethods } from './groups/mounts.js';
import { projectMethods } from './groups/project.js';
import { type DokployClientOptions, resolveOptions } from './options.js';
import { type DokployHealth, type DokployUser, healthSchema, userSchema } from './responses.js';
import type { CallOptions } from './transport.js';
import type { DokployFeature, DokployVersion } from './version.js';

export type { ComposeCreateInput } from './groups/compose.js';
export type { DeployTemplateInput } from './groups/compose-templates.js';
export type { CallOptions } from './transport.js';

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

/**
 * A typed client for one Dokploy instance. Create it with `createDokployClient`.
 * Methods validate their input with zod before sending, read the server version once when
 * a call depends on it, and throw `DokployError` subclasses only.
 */
export class DokployClient {
  readonly name: string;
  readonly baseUrl: DokployBaseUrl;
  readonly #core: ClientCore;

  readonly user: { get(options?: CallOptions): Promise<DokployUser> };
  readonly settings: { getDokployVersion(options?: CallOptions): Promise<string> };
  readonly project: ReturnType<typeof projectMethods>;
  readonly environment: ReturnType<typeof environmentMethods>;
  readonly compose: ReturnType<typeof composeMethods> & ReturnType<typeof composeTemplateMethods>;
  readonly domain: ReturnType<typeof domainMethods>;
  readonly deployment: ReturnType<typeof deploymentMethods>;
  readonly docker: ReturnType<typeof dockerMethods>;
  readonly mounts: ReturnType<typeof mountMethods>;

  constructor(options: DokployClientOptions) {
    const o = resolveOptions(options);
    this.name = o.name;
    this.baseUrl = o.base;
    const core = new ClientCore(o);
    this.#core = core;
    authHeaders.set(this, () => ({ ...o.headers, 'x-api-key': o.apiKey }));
    if (o.base.insecure) {
      const msg = `Dokploy client "${o.name}": ${o.base.root} uses plain http to a non-local host, so the API key travels unencrypted. Fix: use https.`;
      if (o.logger?.warn) o.logger.warn(msg);
      else process.emitWarning(msg, { code: 'SUPAOPS_DOKPLOY_INSECURE' });
    }
    this.user = {
      /** Cheap key check: the key's member row with `organizationId` and `role`. */
      get: (callOptions) => core.get('user.get', userSchema, {}, callOptions),
    };
    this.settings = {
      /** The raw version string, e.g. `v0.30.2`. Prefer `client.getVersion()`. */
      getDokployVersion: (callOptions) =>
        core.get('settings.getDokployVersion', z.string(), {}, callOptions),
    };
    this.project = projectMethods(core);
    this.environment = environmentMethods(core);
    const environmentsOf = (projectId: string, callOptions?: CallOptions) =>
      this.environment.byProjectId({ projectId }, callOptions);
    this.compose = {
      ...composeMethods(core, environmentsOf),
      ...composeTemplateMethods(core, environmentsOf),
    };
    this.domain = domainMethods(core);
    this.deployment = deploymentMethods(core);
    this.docker = dockerMethods(core);
    this.mounts = mountMethods(core);
  }

  /** The server version once read (or given in options); `undefined` before. */
  get version(): DokployVersion | undefined {
    return this.#core.version;
  }

  /** Forgets the cached version and reads it again (e.g. after upgrading Dokploy). */
  async refreshVersion(options?: CallOptions): Promise<DokployVersion> {
    this.#core.forgetVersion();
    return this.getVersion(options);
  }

  /** Masks the API key and every secret this client has seen. */
  redact(text: string): string {
    return this.#core.redactor.redact(text);
  }

  /** Reads `settings.getDokployVersion` once and caches it. */
  async getVersion(options?: CallOptions): Promise<DokployVersion> {
    return this.#core.getVersion(options);
  }

  /** Whether the server has a version-dependent feature (reads the version once). */
  async supports(feature: DokployFeature, options?: CallOptions): Promise<boolean> {
    return this.#core.has(feature, options);
  }

  /** `GET /api/health`: liveness, no key needed. */
  async health(options?: CallOptions): Promise<DokployHealth> {
    return this.#core.get('health', healthSchema, {}, options);
  }
}

/** Creates a client for one Dokploy instance. Throws `DokployConfigError` on bad options. */
export function createDokployClient(options: DokployClientOptions): DokployClient {
  return new DokployClient(options);
}

export { sourceTypeSchema };
