import { z } from 'zod';
import type { ClientCore } from '../client-core.js';
import type { EndpointInput } from '../endpoints.js';
import {
  containerConfigSchema,
  containerSchema,
  type DokployContainer,
  type DokployContainerConfig,
} from '../responses.js';
import type { CallOptions } from '../transport.js';

export function dockerMethods(core: ClientCore) {
  return {
    /** Containers of a compose: pass `appName` = `compose.appName` and `appType: "docker-compose"`. */
    getContainersByAppNameMatch: (
      input: EndpointInput<'docker.getContainersByAppNameMatch'>,
      options?: CallOptions,
    ): Promise<DokployContainer[]> =>
      core.get('docker.getContainersByAppNameMatch', z.array(containerSchema), input, options),
    /** `docker inspect`; `State.Health.Status` holds the health check result. */
    getConfig: (
      input: EndpointInput<'docker.getConfig'>,
      options?: CallOptions,
    ): Promise<DokployContainerConfig> =>
      core.get('docker.getConfig', containerConfigSchema, input, options),
    restartContainer: async (
      input: EndpointInput<'docker.restartContainer'>,
      options?: CallOptions,
    ): Promise<void> => {
      await core.send('docker.restartContainer', input, options);
    },
  };
}
