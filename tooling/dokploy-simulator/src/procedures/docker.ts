import { z } from 'zod';
import { containerStatus, findContainer, inspectContainer } from '../containers.js';
import { containerIdRe, fixed, now, type Procedure } from '../procedure.js';
import { SimTrpcError } from '../trpc-error.js';

export const dockerProcedures: Record<string, Procedure> = {
  'docker.getContainersByAppNameMatch': {
    method: 'GET',
    input: fixed(
      z.object({
        appType: z.enum(['stack', 'docker-compose']).optional(),
        appName: z.string().min(1).regex(containerIdRe),
        serverId: z.string().optional(),
      }),
    ),
    // `docker ps -a --filter label=com.docker.compose.project=<appName>`: orphaned containers too
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
  /** services/docker.ts getConfig swallows `docker inspect` errors: an unknown id is 200, empty body. */
  'docker.getConfig': {
    method: 'GET',
    input: fixed(
      z.object({
        containerId: z.string().min(1).regex(containerIdRe),
        serverId: z.string().optional(),
      }),
    ),
    handle: (ctx, input: { containerId: string }) => {
      const c = findContainer(ctx.state, input.containerId);
      return c ? inspectContainer(c) : undefined;
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
      const c = findContainer(ctx.state, input.containerId);
      if (!c) throw new SimTrpcError('NOT_FOUND', `No such container: ${input.containerId}`);
      c.state = 'running';
      c.startedAt = now();
      c.logs.push(`${now()} ${c.service} | restarted`);
      return undefined;
    },
  },
};
