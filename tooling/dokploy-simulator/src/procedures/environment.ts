import { z } from 'zod';
import { fixed, need, nonEmpty, type Procedure } from '../procedure.js';
import {
  composesOfEnvironment,
  createEnvironmentRow,
  deleteComposeRows,
  environmentWithServices,
} from '../rows.js';
import { SimTrpcError } from '../trpc-error.js';
import { atLeast } from '../version.js';

export const environmentProcedures: Record<string, Procedure> = {
  'environment.byProjectId': {
    method: 'GET',
    since: '0.25.0',
    input: fixed(z.object({ projectId: z.string() })),
    // findEnvironmentsByProjectId: an unknown project is simply no environments
    handle: (ctx, input: { projectId: string }) =>
      [...ctx.state.environments.values()]
        .filter((e) => e.projectId === input.projectId)
        .map((e) => environmentWithServices(ctx, e)),
  },
  'environment.one': {
    method: 'GET',
    since: '0.25.0',
    input: fixed(z.object({ environmentId: nonEmpty })),
    handle: (ctx, input: { environmentId: string }) => {
      const env = need(ctx.state.environments.get(input.environmentId), 'Environment');
      return {
        ...environmentWithServices(ctx, env),
        project: ctx.state.projects.get(env.projectId),
      };
    },
  },
  'environment.create': {
    method: 'POST',
    since: '0.25.0',
    input: fixed(
      z.object({ name: nonEmpty, description: z.string().optional(), projectId: nonEmpty }),
    ),
    handle: (ctx, input: { name: string; description?: string; projectId: string }) => {
      if (input.name === 'production')
        throw new SimTrpcError(
          'BAD_REQUEST',
          "You cannot create a environment with the name 'production'",
        );
      need(ctx.state.projects.get(input.projectId), 'Project');
      const env = createEnvironmentRow(
        input.projectId,
        input.name,
        input.description ?? null,
        false,
      );
      ctx.state.environments.set(env.environmentId, env);
      return env;
    },
  },
  /**
   * From v0.28.0 (7e8d3b716) deleteEnvironment refuses an environment with services; before,
   * it is a bare row delete: the composes' rows cascade and their containers keep running.
   */
  'environment.remove': {
    method: 'POST',
    since: '0.25.0',
    input: fixed(z.object({ environmentId: nonEmpty })),
    handle: (ctx, input: { environmentId: string }) => {
      const env = need(ctx.state.environments.get(input.environmentId), 'Environment');
      if (env.isDefault)
        throw new SimTrpcError('BAD_REQUEST', 'You cannot delete the default environment');
      const composes = composesOfEnvironment(ctx, env.environmentId);
      if (composes.length && atLeast(ctx.version, '0.28.0'))
        throw new SimTrpcError(
          'BAD_REQUEST',
          'Cannot delete environment: it has active services. Delete all services first.',
        );
      for (const c of composes) deleteComposeRows(ctx, c.composeId);
      ctx.state.environments.delete(env.environmentId);
      return env;
    },
  },
  /** duplicateEnvironment copies {name, description, env} only: never the services. */
  'environment.duplicate': {
    method: 'POST',
    since: '0.25.0',
    input: fixed(
      z.object({ environmentId: nonEmpty, name: nonEmpty, description: z.string().optional() }),
    ),
    handle: (ctx, input: { environmentId: string; name: string; description?: string }) => {
      const source = need(ctx.state.environments.get(input.environmentId), 'Environment');
      const copy = createEnvironmentRow(
        source.projectId,
        input.name,
        input.description || source.description,
        false,
      );
      copy.env = source.env;
      ctx.state.environments.set(copy.environmentId, copy);
      return copy;
    },
  },
};
