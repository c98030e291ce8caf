import { z } from 'zod';
import {
  fixed,
  hasEnvironments,
  id,
  need,
  nonEmpty,
  now,
  nullableString,
  type Procedure,
} from '../procedure.js';
import {
  createEnvironmentRow,
  deleteComposeRows,
  projectOfCompose,
  projectWithChildren,
} from '../rows.js';
import type { SimProject } from '../state.js';
import { atLeast } from '../version.js';

export const projectProcedures: Record<string, Procedure> = {
  'project.all': {
    method: 'GET',
    input: fixed(z.object({}).optional()),
    handle: (ctx) => [...ctx.state.projects.values()].map((p) => projectWithChildren(ctx, p)),
  },
  'project.one': {
    method: 'GET',
    input: fixed(z.object({ projectId: nonEmpty })),
    handle: (ctx, input: { projectId: string }) =>
      projectWithChildren(ctx, need(ctx.state.projects.get(input.projectId), 'Project')),
  },
  'project.create': {
    method: 'POST',
    input: fixed(
      z.object({ name: nonEmpty, description: nullableString, env: z.string().optional() }),
    ),
    handle: (ctx, input: { name: string; description?: string | null; env?: string }) => {
      const project: SimProject = {
        projectId: id(),
        name: input.name,
        description: input.description ?? null,
        env: input.env ?? '',
        organizationId: ctx.state.organizationId,
        createdAt: now(),
      };
      ctx.state.projects.set(project.projectId, project);
      if (!hasEnvironments(ctx.version)) return project;
      const environment = createEnvironmentRow(
        project.projectId,
        'production',
        'Production environment',
        true,
      );
      ctx.state.environments.set(environment.environmentId, environment);
      if (!atLeast(ctx.version, '0.26.1')) {
        // `isDefault` arrived in v0.26.1
        const { isDefault: _isDefault, ...rest } = environment;
        return { project, environment: rest };
      }
      return { project, environment };
    },
  },
  /**
   * services/project.ts deleteProject is one `DELETE FROM project`: the database cascades the
   * environments, composes, deployments, domains and mounts, but nothing stops the containers
   * or removes /etc/dokploy/compose/<appName>. They keep running, orphaned.
   */
  'project.remove': {
    method: 'POST',
    input: fixed(z.object({ projectId: nonEmpty })),
    handle: (ctx, input: { projectId: string }) => {
      const project = need(ctx.state.projects.get(input.projectId), 'Project');
      for (const c of [...ctx.state.composes.values()])
        if (projectOfCompose(ctx, c)?.projectId === project.projectId)
          deleteComposeRows(ctx, c.composeId);
      for (const [k, e] of ctx.state.environments)
        if (e.projectId === project.projectId) ctx.state.environments.delete(k);
      ctx.state.projects.delete(project.projectId);
      return project;
    },
  },
  'project.search': {
    method: 'GET',
    since: '0.28.3',
    input: fixed(
      z.object({
        q: z.string().optional(),
        name: z.string().optional(),
        description: z.string().optional(),
        limit: z.coerce.number().min(1).max(100).default(20),
        offset: z.coerce.number().min(0).default(0),
      }),
    ),
    handle: (
      ctx,
      input: { q?: string; name?: string; description?: string; limit: number; offset: number },
    ) => {
      const has = (v: string | null, q: string | undefined) =>
        q === undefined || (v ?? '').toLowerCase().includes(q.toLowerCase());
      const all = [...ctx.state.projects.values()].filter(
        (p) =>
          (input.q === undefined || has(p.name, input.q) || has(p.description, input.q)) &&
          has(p.name, input.name) &&
          has(p.description, input.description),
      );
      return { items: all.slice(input.offset, input.offset + input.limit), total: all.length };
    },
  },
};
