import { z } from 'zod';
import type { ClientCore } from '../client-core.js';
import type { EndpointInput } from '../endpoints.js';
import { DokployNotFoundError } from '../errors.js';
import {
  containerConfigSchema,
  containerSchema,
  type DokployContainer,
  type DokployContainerConfig,
} from '../responses.js';
import type { CallOptions } from '../transport.js';

/** A container Dokploy answered 200 for without having it. */
export function containerNotFound(
  procedure: string,
  containerId: string,
  answer: string,
): DokployNotFoundError {
  return new DokployNotFoundError(
    `Dokploy has no container "${containerId}" (${procedure} answered 200 with ${answer}). Fix: container ids change on every redeploy; list the current ones with docker.getContainersByAppNameMatch({ appName, appType: "docker-compose" }).`,
    {
      status: 200,
      request: { method: 'GET', procedure },
      resource: 'container',
      resourceId: containerId,
    },
  );
}

export function dockerMethods(core: ClientCore) {
  return {
    /** Containers of a compose: pass `appName` = `compose.appName` and `appType: "docker-compose"`. */
    getContainersByAppNameMatch: (
      input: EndpointInput<'docker.getContainersByAppNameMatch'>,
      options?: CallOptions,
    ): Promise<DokployContainer[]> =>
      core.get('docker.getContainersByAppNameMatch', z.array(containerSchema), input, options),
    /** `docker inspect`; `State.Health.Status` holds the health check result. */
    /**
     * Dokploy swallows `docker inspect` errors and answers an unknown container with 200 and an
     * empty body: that is a `DokployNotFoundError` (`resource: "container"`).
     */
    getConfig: async (
      input: EndpointInput<'docker.getConfig'>,
      options?: CallOptions,
    ): Promise<DokployContainerConfig> => {
      const raw = await core.send('docker.getConfig', input, options);
      if (raw === undefined)
        throw containerNotFound('docker.getConfig', input.containerId, 'an empty body');
      return core.read(containerConfigSchema, raw, 'docker.getConfig');
    },
    restartContainer: async (
      input: EndpointInput<'docker.restartContainer'>,
      options?: CallOptions,
    ): Promise<void> => {
      await core.send('docker.restartContainer', input, options);
    },
  };
}
