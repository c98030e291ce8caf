import { z } from 'zod';
import { type ClientCore, parseWith } from '../client-core.js';
import { ENDPOINTS, type EndpointInput } from '../endpoints.js';
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

/** `project.search` as Dokploy runs it (case-insensitive `ilike`), over `project.all`, before v0.28.3. */
function searchLocally(
  all: DokployProject[],
  input: z.output<(typeof ENDPOINTS)['project.search']['input']>,
) {
  const has = (value: string | null | undefined, q: string | undefined) =>
    q === undefined || (value ?? '').toLowerCase().includes(q.toLowerCase());
  const matches = all.filter(
    (p) =>
      (input.q === undefined || has(p.name, input.q) || has(p.description, input.q)) &&
      has(p.name, input.name) &&
      has(p.description, input.description),
  );
  const offset = input.offset ?? 0;
  return { items: matches.slice(offset, offset + (input.limit ?? 20)), total: matches.length };
}

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
    /**
     * `{items, total}`, paginated (`limit` 1-100, default 20). Before v0.28.3 Dokploy has no
     * `project.search`: the client filters `project.all` the same way instead.
     */
    search: async (
      input: EndpointInput<'project.search'> = {},
      options?: CallOptions,
    ): Promise<DokployProjectSearch> => {
      const data = parseWith(
        ENDPOINTS['project.search'].input,
        input,
        'project.search',
        core.redactor,
      );
      if (await core.has('projectSearch', options)) {
        return core.get('project.search', projectSearchSchema, data, options);
      }
      return searchLocally(
        await core.get('project.all', z.array(projectSchema), {}, options),
        data,
      );
    },
  };
}
