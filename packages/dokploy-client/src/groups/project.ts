import { z } from 'zod';
import type { ClientCore } from '../client-core.js';
import type { EndpointInput } from '../endpoints.js';
import {
  type DokployEnvironment,
  type DokployProject,
  type DokployProjectCreated,
  type DokployProjectSearch,
  projectCreateRawSchema,
  projectSchema,
  projectSearchSchema,
} from '../responses.js';
import type { CallOptions } from '../transport.js';

export function projectMethods(core: ClientCore) {
  return {
    all: (options?: CallOptions): Promise<DokployProject[]> =>
      core.get('project.all', z.array(projectSchema), {}, options),
    one: (input: EndpointInput<'project.one'>, options?: CallOptions): Promise<DokployProject> =>
      core.get('project.one', projectSchema, input, options),
    /** Same shape on every version; `environment` is the default `production` one (null before v0.25.0). */
    create: async (
      input: EndpointInput<'project.create'>,
      options?: CallOptions,
    ): Promise<DokployProjectCreated> => {
      const raw = await core.get('project.create', projectCreateRawSchema, input, options);
      if (
        'project' in raw &&
        typeof raw.project === 'object' &&
        raw.project !== null &&
        'environment' in raw
      ) {
        return {
          project: raw.project as DokployProject,
          environment: raw.environment as DokployEnvironment,
        };
      }
      return { project: raw as DokployProject, environment: null };
    },
    remove: (
      input: EndpointInput<'project.remove'>,
      options?: CallOptions,
    ): Promise<DokployProject> => core.get('project.remove', projectSchema, input, options),
    search: (
      input: EndpointInput<'project.search'> = {},
      options?: CallOptions,
    ): Promise<DokployProjectSearch> =>
      core.get('project.search', projectSearchSchema, input, options),
  };
}
