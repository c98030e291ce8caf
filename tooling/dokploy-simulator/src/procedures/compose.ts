import { z } from 'zod';
import { composeServices } from '../compose-file.js';
import { findContainer } from '../containers.js';
import { composeOnWire, storeEnv } from '../env-crypto.js';
import {
  appNameRe,
  composeType,
  containerIdRe,
  fixed,
  hasEnvironments,
  need,
  nonEmpty,
  now,
  nullableString,
  type Procedure,
  type ProcedureContext,
  sourceType,
} from '../procedure.js';
import { createComposeRow, deleteComposeRows, projectOfCompose, resolveOwner } from '../rows.js';
import type { SimCompose } from '../state.js';
import { SimTrpcError } from '../trpc-error.js';
import { atLeast, type SimVersion } from '../version.js';

/** compose.deploy/redeploy answers: empty through v0.25.6, `{success, message}` from v0.25.7, `+composeId` from v0.26.4. */
function deployResponse(version: SimVersion, composeId: string, message: string): unknown {
  if (atLeast(version, '0.26.4')) return { success: true, message, composeId };
  if (atLeast(version, '0.25.7')) return { success: true, message };
  return undefined; // empty body
}

/** compose.deploy and compose.redeploy differ only in their default title and message. */
function queueDeployment(defaultTitle: string, message: string): Procedure {
  return {
    method: 'POST',
    input: fixed(
      z.object({
        composeId: nonEmpty,
        title: z.string().optional(),
        description: z.string().optional(),
      }),
    ),
    handle: (ctx, input: { composeId: string; title?: string; description?: string }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      ctx.queue.enqueue(c, {
        title: input.title ?? defaultTitle,
        description: input.description ?? null,
      });
      return deployResponse(ctx.version, c.composeId, message);
    },
  };
}

function containersOf(ctx: ProcedureContext, composeId: string) {
  return [...ctx.state.containers.values()].filter((c) => c.composeId === composeId);
}

const composeUpdateShape = (v: SimVersion) => ({
  composeId: z.string(),
  name: nonEmpty.optional(),
  appName: z.string().min(1).max(63).regex(appNameRe).optional(),
  description: nullableString,
  env: nullableString,
  composeFile: z.string().optional(),
  sourceType: sourceType.optional(),
  composeType: composeType.optional(),
  command: z.string().optional(),
  composePath: z.string().min(1).optional(),
  // the column and the field came in v0.30.0; before, zod strips it
  ...(atLeast(v, '0.30.0') ? { createEnvFile: z.boolean().optional() } : {}),
  suffix: z.string().optional(),
  randomize: z.boolean().optional(),
  isolatedDeployment: z.boolean().optional(),
  isolatedDeploymentsVolume: z.boolean().optional(),
  composeStatus: z.enum(['idle', 'running', 'done', 'error']).optional(),
  serviceNetworks: z
    .array(
      z.object({
        serviceName: z.string(),
        networkIds: z.array(z.string()),
        detachDokployNetwork: z.boolean(),
      }),
    )
    .nullable()
    .optional(),
});

export const composeProcedures: Record<string, Procedure> = {
  'compose.create': {
    method: 'POST',
    input: (v) =>
      z.object({
        name: nonEmpty,
        description: nullableString,
        ...(hasEnvironments(v) ? { environmentId: z.string() } : { projectId: z.string() }),
        composeType: composeType.optional(),
        appName: z.string().min(1).max(63).regex(appNameRe).optional(),
        serverId: nullableString,
        composeFile: z.string().optional(),
        ...(atLeast(v, '0.30.0') ? { sourceType: sourceType.optional() } : {}),
      }),
    handle: (
      ctx,
      input: { name: string; environmentId?: string; projectId?: string } & Partial<SimCompose>,
    ) =>
      composeOnWire(ctx.state, ctx.version, createComposeRow(ctx, input, resolveOwner(ctx, input))),
  },
  'compose.one': {
    method: 'GET',
    input: fixed(z.object({ composeId: nonEmpty })),
    handle: (ctx, input: { composeId: string }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      const project = projectOfCompose(ctx, c);
      const env = c.environmentId ? ctx.state.environments.get(c.environmentId) : undefined;
      // findComposeById: `deployments: true` without ORDER BY, i.e. insertion order
      const deployments = [...ctx.state.deployments.values()]
        .filter((d) => d.composeId === c.composeId)
        .map(({ logs: _logs, ...d }) => d);
      return {
        ...composeOnWire(ctx.state, ctx.version, c),
        ...(env ? { environment: { ...env, project } } : { project }),
        deployments,
        mounts: [...ctx.state.mounts.values()].filter((m) => m.composeId === c.composeId),
        domains: [...ctx.state.domains.values()].filter((d) => d.composeId === c.composeId),
        server: null,
        backups: [],
        hasGitProviderAccess: true,
        unauthorizedProvider: null,
      };
    },
  },
  /**
   * services/compose.ts updateCompose: `const { appName, ...rest } = composeData` (appName is
   * silently ignored), the rest is SET verbatim, and an unknown id returns undefined: 200 with
   * an empty body.
   */
  'compose.update': {
    method: 'POST',
    input: (v) => z.object(composeUpdateShape(v)),
    handle: (ctx, input: { composeId: string } & Partial<SimCompose>) => {
      const c = ctx.state.composes.get(input.composeId);
      if (!c) return undefined;
      const { composeId: _id, appName: _ignored, env, ...rest } = input;
      for (const [k, v] of Object.entries(rest)) if (v !== undefined) c[k] = v;
      if (env !== undefined) storeEnv(ctx.state, ctx.version, c, env);
      return composeOnWire(ctx.state, ctx.version, c);
    },
  },
  'compose.saveEnvironment': {
    method: 'POST',
    since: '0.29.0',
    input: (v) =>
      z.object({
        composeId: z.string(),
        env: z.string().nullable(),
        ...(atLeast(v, '0.30.0') ? { createEnvFile: z.boolean().optional() } : {}),
      }),
    handle: (ctx, input: { composeId: string; env: string | null; createEnvFile?: boolean }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      storeEnv(ctx.state, ctx.version, c, input.env);
      if (input.createEnvFile !== undefined) c.createEnvFile = input.createEnvFile;
      return true;
    },
  },
  'compose.deploy': queueDeployment('Manual deployment', 'Deployment queued'),
  'compose.redeploy': queueDeployment('Rebuild deployment', 'Redeployment queued'),
  'compose.stop': {
    method: 'POST',
    input: fixed(z.object({ composeId: nonEmpty })),
    handle: (ctx, input: { composeId: string }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      for (const container of containersOf(ctx, c.composeId)) container.state = 'exited';
      c.composeStatus = 'idle';
      return true;
    },
  },
  'compose.start': {
    method: 'POST',
    input: fixed(z.object({ composeId: nonEmpty })),
    handle: (ctx, input: { composeId: string }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      for (const container of containersOf(ctx, c.composeId)) {
        container.state = 'running';
        container.startedAt = now();
      }
      c.composeStatus = 'done';
      return true;
    },
  },
  /** Deletes the row, cleans the queue, runs `docker compose down` and removes the directory. */
  'compose.delete': {
    method: 'POST',
    input: fixed(z.object({ composeId: nonEmpty, deleteVolumes: z.boolean() })),
    handle: (ctx, input: { composeId: string }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      const answer = composeOnWire(ctx.state, ctx.version, c);
      ctx.queue.forget(c.composeId);
      deleteComposeRows(ctx, c.composeId);
      ctx.state.composeFilesOnDisk.delete(c.composeId);
      for (const [k, container] of ctx.state.containers)
        if (container.composeId === c.composeId) ctx.state.containers.delete(k);
      return answer;
    },
  },
  /**
   * services/compose.ts loadServices reads /etc/dokploy/compose/<appName>/code/docker-compose.yml.
   * The router defaults to `cache`, which reads whatever the last deploy (or `fetch`) wrote:
   * nothing before the first deploy, the old file after compose.update. `fetch` writes it first.
   */
  'compose.loadServices': {
    method: 'GET',
    input: fixed(
      z.object({ composeId: nonEmpty, type: z.enum(['fetch', 'cache']).default('cache') }),
    ),
    handle: (ctx, input: { composeId: string; type: 'fetch' | 'cache' }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      if (input.type === 'fetch') ctx.state.composeFilesOnDisk.set(c.composeId, c.composeFile);
      const onDisk = ctx.state.composeFilesOnDisk.get(c.composeId);
      const services = onDisk === undefined ? [] : composeServices(onDisk);
      if (!services.length) throw new SimTrpcError('NOT_FOUND', 'Services not found');
      return services.map((s) => s.name);
    },
  },
  'compose.getDefaultCommand': {
    method: 'GET',
    input: fixed(z.object({ composeId: nonEmpty })),
    handle: (ctx, input: { composeId: string }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      return c.composeType === 'stack'
        ? `docker stack deploy -c ${c.composePath} ${c.appName} --prune`
        : `docker compose -p ${c.appName} -f ${c.composePath} up -d --build --remove-orphans`;
    },
  },
  /**
   * services/docker.ts getContainerLogs runs `docker container logs … 2>&1 | grep -iF`; on a
   * failing exit it returns the output, so an unknown container is 200 with the daemon's error.
   */
  'compose.readLogs': {
    method: 'GET',
    since: '0.29.0',
    input: fixed(
      z.object({
        composeId: nonEmpty,
        containerId: z.string().min(1).regex(containerIdRe),
        tail: z.coerce.number().int().min(1).max(10000).default(100),
        since: z
          .string()
          .regex(/^(all|\d+[smhd])$/)
          .default('all'),
        search: z
          .string()
          .regex(/^[a-zA-Z0-9 ._-]{0,500}$/)
          .optional(),
      }),
    ),
    handle: (
      ctx,
      input: { composeId: string; containerId: string; tail: number; search?: string },
    ) => {
      need(ctx.state.composes.get(input.composeId), 'Compose');
      const container = findContainer(ctx.state, input.containerId);
      if (!container) return `Error response from daemon: No such container: ${input.containerId}`;
      const search = (input.search ?? '').toLowerCase();
      const lines = search
        ? container.logs.filter((l) => l.toLowerCase().includes(search))
        : container.logs;
      return lines.slice(-input.tail).join('\n');
    },
  },
};
