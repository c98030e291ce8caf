import { z } from 'zod';
import { type ClientCore, parseWith } from '../client-core.js';
import { ENDPOINTS, type EndpointInput } from '../endpoints.js';
import { DokployNotFoundError, DokployVersionError } from '../errors.js';
import {
  composeDetailSchema,
  composeSchema,
  type DokployCompose,
  type DokployComposeDetail,
  type DokployDeployQueued,
  type DokployEnvironment,
  deployRawSchema,
} from '../responses.js';
import type { CallOptions } from '../transport.js';
import { DOKPLOY_FEATURES, hasFeature } from '../version.js';
import { containerNotFound } from './docker.js';

/** `compose.create` input: give `environmentId` (v0.25.0+) or `projectId` (any version, see README). */
export type ComposeCreateInput = Omit<
  EndpointInput<'compose.create'>,
  'environmentId' | 'projectId'
> & {
  environmentId?: string;
  projectId?: string;
};

export const ownerRefine = (v: {
  environmentId?: string | undefined;
  projectId?: string | undefined;
}) => v.environmentId !== undefined || v.projectId !== undefined;
export const ownerMessage = {
  message: 'give environmentId (Dokploy v0.25.0+) or projectId',
  path: ['environmentId'],
};
const composeCreateInput = ENDPOINTS['compose.create'].input.refine(ownerRefine, ownerMessage);

export type EnvironmentsOf = (
  projectId: string,
  options?: CallOptions,
) => Promise<DokployEnvironment[]>;

function deployResult(raw: z.output<typeof deployRawSchema>): DokployDeployQueued {
  if (raw && typeof raw === 'object') {
    return { queued: true, message: raw.message ?? null, composeId: raw.composeId ?? null };
  }
  return { queued: true, message: null, composeId: null };
}

/**
 * `createEnvFile` exists from v0.30.0; before, Dokploy strips it and always writes the .env
 * file. So `true` is what the server does anyway and is dropped; `false` cannot be honoured.
 */
async function envFileField(
  core: ClientCore,
  createEnvFile: boolean | undefined,
  procedure: string,
  options: CallOptions | undefined,
): Promise<{ createEnvFile?: boolean }> {
  if (createEnvFile === undefined) return {};
  if (await core.has('createEnvFile', options)) return { createEnvFile };
  if (createEnvFile) return {};
  const v = await core.getVersion(options);
  throw new DokployVersionError(
    `${procedure} with createEnvFile: false needs Dokploy v${DOKPLOY_FEATURES.createEnvFile} or later; ${v.raw} always writes the .env file next to the compose. Fix: upgrade Dokploy, or leave createEnvFile out.`,
    { serverVersion: v.raw, requiredVersion: `v${DOKPLOY_FEATURES.createEnvFile}` },
  );
}

export function composeMethods(core: ClientCore, environmentsOf: EnvironmentsOf) {
  const update = async (
    input: EndpointInput<'compose.update'>,
    options?: CallOptions,
  ): Promise<DokployCompose> => {
    const data = parseWith(
      ENDPOINTS['compose.update'].input,
      input,
      'compose.update',
      core.redactor,
    );
    if (data.env !== undefined)
      core.checkEnvToWrite(data.env, data.composeId, 'compose.update', options);
    core.redactor.addEnv(data.env ?? undefined);
    const { createEnvFile, appName: ignored, ...rest } = data;
    if (ignored !== undefined) {
      core.warn(
        `compose.update: Dokploy ignores appName (updateCompose drops it), so "${ignored}" was not sent; the app name is fixed when the compose is created. Fix: leave appName out, or create a new compose with the name you want.`,
        'SUPAOPS_DOKPLOY_IGNORED_FIELD',
      );
    }
    const envFile = await envFileField(core, createEnvFile, 'compose.update', options);
    const raw = await core.send('compose.update', { ...rest, ...envFile }, options);
    // updateCompose returns the updated row, or nothing at all when the id matched no row
    if (raw === undefined) {
      throw new DokployNotFoundError(
        `Dokploy has no compose "${data.composeId}" (compose.update answered 200 with an empty body, so nothing was changed). Fix: check composeId (project.one lists the composes).`,
        {
          status: 200,
          request: { method: 'POST', procedure: 'compose.update' },
          resource: 'compose',
          resourceId: data.composeId,
        },
      );
    }
    return core.trackEnv(core.read(composeSchema, raw, 'compose.update'));
  };
  return {
    /**
     * Creates a compose. `sourceType` defaults to `raw` when `composeFile` is given. Before
     * v0.30.0 Dokploy ignores `sourceType` at create, so the client follows up with
     * `compose.update {sourceType, composeFile}`.
     */
    create: async (input: ComposeCreateInput, options?: CallOptions): Promise<DokployCompose> => {
      const data = parseWith(composeCreateInput, input, 'compose.create', core.redactor);
      const { environmentId, projectId, sourceType: given, ...rest } = data;
      const owner = await core.owner(
        { environmentId, projectId },
        'compose.create',
        (id) => environmentsOf(id, options),
        options,
      );
      const v = await core.getVersion(options);
      const sourceType = given ?? (rest.composeFile !== undefined ? 'raw' : undefined);
      const atCreate = hasFeature(v, 'composeCreateSourceType');
      const row = await core.get(
        'compose.create',
        composeSchema,
        { ...rest, ...owner, ...(atCreate && sourceType ? { sourceType } : {}) },
        options,
      );
      if (sourceType === undefined || atCreate) return row;
      return update(
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
      core.trackEnv(await core.get('compose.one', composeDetailSchema, input, options)),
    /**
     * Updates fields; `env` replaces the whole env string. `appName` is not sent (Dokploy
     * ignores it); `createEnvFile` needs v0.30.0. An unknown id is a `DokployNotFoundError`.
     */
    update,
    /**
     * Replaces the whole env (needs `envVars:write`). Before v0.29.0 there is no
     * `saveEnvironment`: the client sends `compose.update {composeId, env}` instead.
     */
    saveEnvironment: async (
      input: EndpointInput<'compose.saveEnvironment'>,
      options?: CallOptions,
    ): Promise<boolean> => {
      const data = parseWith(
        ENDPOINTS['compose.saveEnvironment'].input,
        input,
        'compose.saveEnvironment',
        core.redactor,
      );
      core.checkEnvToWrite(data.env, data.composeId, 'compose.saveEnvironment', options);
      core.redactor.addEnv(data.env ?? undefined);
      const envFile = await envFileField(
        core,
        data.createEnvFile,
        'compose.saveEnvironment',
        options,
      );
      if (!(await core.has('composeSaveEnvironment', options))) {
        await update({ composeId: data.composeId, env: data.env, ...envFile }, options);
        return true;
      }
      const raw = await core.get(
        'compose.saveEnvironment',
        z.unknown(),
        { composeId: data.composeId, env: data.env, ...envFile },
        options,
      );
      return raw !== false;
    },
    /** Queues a deployment (never retried). Use `waitForDeployment`/`deployAndWait` to follow it. */
    deploy: async (
      input: EndpointInput<'compose.deploy'>,
      options?: CallOptions,
    ): Promise<DokployDeployQueued> =>
      deployResult(await core.get('compose.deploy', deployRawSchema, input, options)),
    redeploy: async (
      input: EndpointInput<'compose.redeploy'>,
      options?: CallOptions,
    ): Promise<DokployDeployQueued> =>
      deployResult(await core.get('compose.redeploy', deployRawSchema, input, options)),
    stop: async (input: EndpointInput<'compose.stop'>, options?: CallOptions): Promise<boolean> =>
      (await core.send('compose.stop', input, options)) !== false,
    start: async (input: EndpointInput<'compose.start'>, options?: CallOptions): Promise<boolean> =>
      (await core.send('compose.start', input, options)) !== false,
    /** Deletes the compose; its directory (with bind-mounted data such as the Supabase DB) goes too. */
    delete: async (
      input: EndpointInput<'compose.delete'>,
      options?: CallOptions,
    ): Promise<DokployCompose> => core.get('compose.delete', composeSchema, input, options),
    /**
     * The compose's service names. Sends `type: "fetch"` unless told otherwise: Dokploy's
     * default `cache` reads the file the last deploy wrote, so it is a 404 before the first
     * deploy and stale after `compose.update` (fetch writes the current file first; for git
     * sources it re-clones).
     */
    loadServices: (
      input: EndpointInput<'compose.loadServices'>,
      options?: CallOptions,
    ): Promise<string[]> =>
      core.get('compose.loadServices', z.array(z.string()), { type: 'fetch', ...input }, options),
    getDefaultCommand: (
      input: EndpointInput<'compose.getDefaultCommand'>,
      options?: CallOptions,
    ): Promise<string> => core.get('compose.getDefaultCommand', z.string(), input, options),
    /** One-shot `docker container logs` (v0.29.0+). */
    readLogs: async (
      input: EndpointInput<'compose.readLogs'>,
      options?: CallOptions,
    ): Promise<string> => {
      await core.require(
        'composeReadLogs',
        'compose.readLogs',
        ', or stream the logs with streamContainerLogs (WebSocket, any version)',
        options,
      );
      const text = await core.get('compose.readLogs', z.string(), input, options);
      // `docker logs` failing: Dokploy returns its output, the daemon's error, as the logs
      const missing = /^Error response from daemon: No such container: ?\S*$/.exec(text.trim());
      if (missing) {
        throw containerNotFound(
          'compose.readLogs',
          input.containerId,
          `"${core.redactor.redact(missing[0])}"`,
        );
      }
      return core.redactor.redact(text);
    },
  };
}
