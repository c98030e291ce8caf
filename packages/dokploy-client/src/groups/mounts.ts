import { z } from 'zod';
import { type ClientCore, parseWith } from '../client-core.js';
import type { EndpointInput } from '../endpoints.js';
import { type DokployMount, mountResultSchema } from '../responses.js';
import type { CallOptions } from '../transport.js';

const updateFileMountInput = z
  .object({
    mountId: z.string().min(1),
    content: z.string(),
    filePath: z.string().min(1).optional(),
  })
  .strict();

export function mountMethods(core: ClientCore) {
  const update = async (
    input: EndpointInput<'mounts.update'>,
    options?: CallOptions,
  ): Promise<DokployMount | null> => {
    const out = await core.get('mounts.update', mountResultSchema, input, options);
    return typeof out === 'object' ? out : null;
  };
  return {
    /** For compose file mounts: `{type: "file", serviceType: "compose", serviceId: composeId, filePath, content, mountPath: "/"}`. */
    create: async (
      input: EndpointInput<'mounts.create'>,
      options?: CallOptions,
    ): Promise<DokployMount | null> => {
      const out = await core.get('mounts.create', mountResultSchema, input, options);
      return typeof out === 'object' ? out : null;
    },
    update,
    /** Replaces the content (and optionally the path) of a file mount. */
    updateFile: async (
      input: z.input<typeof updateFileMountInput>,
      options?: CallOptions,
    ): Promise<DokployMount | null> => {
      const data = parseWith(updateFileMountInput, input, 'mounts.update', core.redactor);
      return update({ ...data, type: 'file' }, options);
    },
  };
}
