import { z } from 'zod';
import type { ClientCore } from '../client-core.js';
import type { EndpointInput } from '../endpoints.js';
import { type DokployDeployment, deploymentSchema } from '../responses.js';
import type { CallOptions } from '../transport.js';

export function deploymentMethods(core: ClientCore) {
  return {
    /** Deployments of a compose, newest first. */
    allByCompose: (
      input: EndpointInput<'deployment.allByCompose'>,
      options?: CallOptions,
    ): Promise<DokployDeployment[]> =>
      core.get('deployment.allByCompose', z.array(deploymentSchema), input, options),
    /** The tail of a deployment's build log (v0.29.5+). */
    readLogs: async (
      input: EndpointInput<'deployment.readLogs'>,
      options?: CallOptions,
    ): Promise<string> => {
      await core.require(
        'deploymentReadLogs',
        'deployment.readLogs',
        ' (before v0.29.5 build logs are only on the /listen-deployment WebSocket)',
        options,
      );
      return core.redactor.redact(
        await core.get('deployment.readLogs', z.string(), input, options),
      );
    },
  };
}
