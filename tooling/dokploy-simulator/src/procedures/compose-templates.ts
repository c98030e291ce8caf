import { z } from 'zod';
import { slugify } from '../domain-name.js';
import { composeOnWire, storeEnv } from '../env-crypto.js';
import {
  fixed,
  hasEnvironments,
  need,
  nonEmpty,
  type Procedure,
  type ProcedureContext,
} from '../procedure.js';
import { createComposeRow, createDomainRow, createMountRow, resolveOwner } from '../rows.js';
import type { SimCompose } from '../state.js';
import { loadBundledTemplate, type ProcessedTemplate, processTemplate } from '../template.js';
import { generatePassword } from '../template-helpers.js';
import { legacySupabaseTemplate } from '../template-legacy.js';
import { SimTrpcError } from '../trpc-error.js';
import { atLeast } from '../version.js';

function decodeTemplate(base64: string): { compose: string; config: string } {
  const parsed = JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as {
    compose?: unknown;
    config?: unknown;
  };
  if (typeof parsed.compose !== 'string' || typeof parsed.config !== 'string' || !parsed.compose)
    throw new Error('Invalid template format. Must contain compose and config fields');
  return { compose: parsed.compose, config: parsed.config };
}

/** processTemplate / import render with projectName = compose.appName and APP_NAME injected. */
function renderForCompose(ctx: ProcedureContext, compose: SimCompose, base64: string) {
  if (!atLeast(ctx.version, '0.21.0')) {
    throw new Error(
      `Dokploy ${ctx.version.tag} reads the template config as YAML; the dokploy-simulator models the TOML configs of v0.21.0 and later only`,
    );
  }
  const { compose: composeFile, config } = decodeTemplate(base64);
  const processed = processTemplate(
    config,
    { projectName: compose.appName, serverIp: ctx.serverIp, version: ctx.version },
    { APP_NAME: compose.appName },
  );
  return { composeFile, processed };
}

function storeTemplateChildren(
  ctx: ProcedureContext,
  compose: SimCompose,
  processed: ProcessedTemplate,
) {
  for (const m of processed.mounts) {
    const row = createMountRow(
      {
        type: 'file',
        filePath: m.filePath,
        content: m.content,
        mountPath: '',
        serviceType: 'compose',
      },
      compose.composeId,
    );
    ctx.state.mounts.set(row.mountId, row);
  }
  for (const d of processed.domains) {
    const row = createDomainRow({
      host: d.host,
      serviceName: d.serviceName,
      composeId: compose.composeId,
      domainType: 'compose',
      https: false,
      certificateType: 'none',
      ...(d.port === undefined ? {} : { port: d.port }),
      ...(d.path ? { path: d.path } : {}),
    });
    ctx.state.domains.set(row.domainId, row);
  }
}

export const composeTemplateProcedures: Record<string, Procedure> = {
  'compose.templates': {
    method: 'GET',
    input: fixed(z.object({ baseUrl: z.string().optional() }).optional()),
    handle: () => {
      const t = loadBundledTemplate('supabase');
      return t ? [{ ...t.meta, id: t.id }] : [];
    },
  },
  /**
   * Fetches the template live (the simulator serves its bundled snapshot), renders it with
   * projectName = slugify("<project> <id>") and APP_NAME injected, then stores a raw compose
   * with file mounts (mountPath "") and http-only domains. Versions differ below v0.21.8:
   * v0.19.x ran the bundled TypeScript generator (correct keys), v0.20.x fetched a
   * template.yml the templates repo no longer has, v0.21.0–v0.21.7 had hex `${jwt:…}`.
   */
  'compose.deployTemplate': {
    method: 'POST',
    input: (v) =>
      z.object({
        ...(hasEnvironments(v) ? { environmentId: z.string() } : { projectId: z.string() }),
        serverId: z.string().optional(),
        id: z.string(),
        baseUrl: z.string().optional(),
      }),
    handle: (
      ctx,
      input: { environmentId?: string; projectId?: string; id: string; serverId?: string },
    ) => {
      const owner = resolveOwner(ctx, input);
      const template = loadBundledTemplate(input.id);
      if (!template) throw new SimTrpcError('NOT_FOUND', `Template ${input.id} not found`);
      if (atLeast(ctx.version, '0.20.0') && !atLeast(ctx.version, '0.21.0')) {
        // blueprints/<id>/template.yml was deleted from the templates repo (efe26cc1)
        throw new Error('Template files not found');
      }
      const projectName = slugify(`${owner.project.name} ${input.id}`);
      const appName = `${projectName}-${generatePassword(6)}`;
      const schema = { projectName, serverIp: ctx.serverIp, version: ctx.version };
      let processed = processTemplate(template.toml, schema, { APP_NAME: appName });
      if (!atLeast(ctx.version, '0.20.0') && input.id === 'supabase') {
        processed = { ...processed, ...legacySupabaseTemplate(schema) };
      }
      const compose = createComposeRow(
        ctx,
        {
          name: input.id,
          composeFile: template.composeFile,
          env: processed.envs.join('\n'),
          sourceType: 'raw',
          serverId: input.serverId ?? null,
        },
        owner,
      );
      compose.appName = appName;
      storeTemplateChildren(ctx, compose, processed);
      return composeOnWire(ctx.state, ctx.version, compose);
    },
  },
  'compose.processTemplate': {
    method: 'POST',
    since: '0.20.0',
    input: fixed(z.object({ base64: z.string(), composeId: nonEmpty })),
    handle: (ctx, input: { base64: string; composeId: string }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      try {
        const { composeFile, processed } = renderForCompose(ctx, c, input.base64);
        return { compose: composeFile, template: processed };
      } catch (cause) {
        throw new SimTrpcError(
          'BAD_REQUEST',
          `Error processing template: ${(cause as Error).message}`,
        );
      }
    },
  },
  /** Not atomic: the compose's mounts and domains are deleted before the template is parsed. */
  'compose.import': {
    method: 'POST',
    since: '0.20.0',
    input: fixed(z.object({ base64: z.string(), composeId: nonEmpty })),
    handle: (ctx, input: { base64: string; composeId: string }) => {
      const c = need(ctx.state.composes.get(input.composeId), 'Compose');
      for (const [k, m] of ctx.state.mounts)
        if (m.composeId === c.composeId) ctx.state.mounts.delete(k);
      for (const [k, d] of ctx.state.domains)
        if (d.composeId === c.composeId) ctx.state.domains.delete(k);
      let rendered: ReturnType<typeof renderForCompose>;
      try {
        rendered = renderForCompose(ctx, c, input.base64);
      } catch (cause) {
        throw new SimTrpcError(
          'BAD_REQUEST',
          `Error importing template: ${(cause as Error).message}`,
        );
      }
      c.composeFile = rendered.composeFile;
      storeEnv(ctx.state, ctx.version, c, rendered.processed.envs.join('\n'));
      c.sourceType = 'raw';
      storeTemplateChildren(ctx, c, rendered.processed);
      return { success: true, message: 'Template imported successfully' };
    },
  },
};
