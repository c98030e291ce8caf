import { z } from 'zod';
import { type ClientCore, parseWith } from '../client-core.js';
import { ENDPOINTS, type EndpointInput } from '../endpoints.js';
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
import { hasFeature } from '../version.js';
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
      if (!hasFeature(v, 'templateJwtTrim')) {
        core.warn(
          `compose.deployTemplate on Dokploy ${v.raw}: before v0.25.6 \${jwt:secret:payload} keys come out identical and without "role" (Dokploy#2867). Fix: replace ANON_KEY/SERVICE_ROLE_KEY in env with keys you sign yourself, or upgrade Dokploy.`,
          'SUPAOPS_DOKPLOY_TEMPLATE_KEYS',
        );
      }
      return core.trackEnv(
        await core.get('compose.deployTemplate', composeSchema, { ...rest, ...owner }, options),
      );
    },
    /** Preview: runs a `{compose, config}` template through Dokploy's helpers without saving. */
    processTemplate: async (
      input: EndpointInput<'compose.processTemplate'>,
      options?: CallOptions,
    ): Promise<DokployProcessedTemplate> => {
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
    import: (
      input: EndpointInput<'compose.import'>,
      options?: CallOptions,
    ): Promise<DokployImportResult> =>
      core.get('compose.import', importResultSchema, input, options),
  };
}
