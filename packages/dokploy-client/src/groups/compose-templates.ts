import { z } from 'zod';
import { type ClientCore, parseWith } from '../client-core.js';
import { ENDPOINTS, type EndpointInput } from '../endpoints.js';
import { DokployVersionError } from '../errors.js';
import {
  composeSchema,
  type DokployCompose,
  type DokployImportResult,
  type DokployProcessedTemplate,
  type DokployTemplateInfo,
  importResultSchema,
  processedTemplateSchema,
  templateInfoSchema,
} from '../responses.js';
import type { CallOptions } from '../transport.js';
import { compareVersions, type DokployVersion, hasFeature } from '../version.js';
import { type EnvironmentsOf, ownerMessage, ownerRefine } from './compose.js';

export type DeployTemplateInput = Omit<
  EndpointInput<'compose.deployTemplate'>,
  'environmentId' | 'projectId'
> & {
  environmentId?: string;
  projectId?: string;
};

const deployTemplateInput = ENDPOINTS['compose.deployTemplate'].input.refine(
  ownerRefine,
  ownerMessage,
);

/**
 * What deployTemplate does to template keys per version (fidelity audit §2): v0.19.x ran a
 * bundled generator (correct keys); v0.20.x fetches a template.yml the templates repo deleted,
 * so it always fails; v0.21.0-v0.21.7 turn `${jwt:…}` into random hex; v0.21.8-v0.25.5 sign
 * identical role-less keys.
 */
function templateVersionCheck(core: ClientCore, v: DokployVersion): void {
  if (hasFeature(v, 'templateJwtTrim') || !hasFeature(v, 'templateImport')) return;
  if (compareVersions(v, '0.21.0') < 0) {
    throw new DokployVersionError(
      `compose.deployTemplate cannot work on Dokploy ${v.raw}: v0.20.x fetches blueprints/<id>/template.yml, which templates.dokploy.com no longer has, so Dokploy answers "Template files not found". Fix: upgrade Dokploy (v0.25.6 or later for correct Supabase keys), or create the compose yourself (compose.create + mounts).`,
      { serverVersion: v.raw, requiredVersion: 'v0.21.0' },
    );
  }
  const keys = hasFeature(v, 'templateJwtPayload')
    ? `before v0.25.6 \${jwt:secret:payload} keys come out identical and without "role" (Dokploy#2867)`
    : `before v0.21.8 \${jwt:…} is random hex, so ANON_KEY/SERVICE_ROLE_KEY are not JWTs at all`;
  core.warn(
    `compose.deployTemplate on Dokploy ${v.raw}: ${keys}. Fix: replace ANON_KEY/SERVICE_ROLE_KEY in env with keys you sign yourself, or upgrade Dokploy.`,
    'SUPAOPS_DOKPLOY_TEMPLATE_KEYS',
  );
}

export function composeTemplateMethods(core: ClientCore, environmentsOf: EnvironmentsOf) {
  return {
    templates: (
      input: EndpointInput<'compose.templates'> = {},
      options?: CallOptions,
    ): Promise<DokployTemplateInfo[]> =>
      core.get('compose.templates', z.array(templateInfoSchema), input, options),
    /**
     * Creates a compose from a template (does not deploy). Before v0.25.6 Dokploy generates the
     * Supabase `ANON_KEY`/`SERVICE_ROLE_KEY` wrongly (identical, no `role`): check `env`.
     */
    deployTemplate: async (
      input: DeployTemplateInput,
      options?: CallOptions,
    ): Promise<DokployCompose> => {
      const data = parseWith(deployTemplateInput, input, 'compose.deployTemplate', core.redactor);
      const { environmentId, projectId, ...rest } = data;
      const owner = await core.owner(
        { environmentId, projectId },
        'compose.deployTemplate',
        (id) => environmentsOf(id, options),
        options,
      );
      const v = await core.getVersion(options);
      templateVersionCheck(core, v);
      return core.trackEnv(
        await core.get('compose.deployTemplate', composeSchema, { ...rest, ...owner }, options),
      );
    },
    /** Preview: runs a `{compose, config}` template through Dokploy's helpers without saving. */
    processTemplate: async (
      input: EndpointInput<'compose.processTemplate'>,
      options?: CallOptions,
    ): Promise<DokployProcessedTemplate> => {
      await core.require('templateImport', 'compose.processTemplate', '', options);
      const out = await core.get(
        'compose.processTemplate',
        processedTemplateSchema,
        input,
        options,
      );
      core.redactor.addEnv(out.template.envs.join('\n'));
      return out;
    },
    /** Replaces the compose file, env, mounts and domains from a base64 `{compose, config}` template. */
    import: async (
      input: EndpointInput<'compose.import'>,
      options?: CallOptions,
    ): Promise<DokployImportResult> => {
      await core.require('templateImport', 'compose.import', '', options);
      return core.get('compose.import', importResultSchema, input, options);
    },
  };
}
