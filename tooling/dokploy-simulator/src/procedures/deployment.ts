import { z } from 'zod';
import { fixed, need, nonEmpty, type Procedure } from '../procedure.js';

export const deploymentProcedures: Record<string, Procedure> = {
  /** findAllDeploymentsByComposeId: newest first. Rows appear when the queue starts the job. */
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
};
