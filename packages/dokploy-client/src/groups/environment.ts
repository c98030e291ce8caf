import { z } from 'zod';
import type { ClientCore } from '../client-core.js';
import type { EndpointInput } from '../endpoints.js';
import { type DokployEnvironment, environmentSchema } from '../responses.js';
import type { CallOptions } from '../transport.js';

export function environmentMethods(core: ClientCore) {
  return {
    byProjectId: async (
      input: EndpointInput<'environment.byProjectId'>,
      options?: CallOptions,
    ): Promise<DokployEnvironment[]> => {
      await core.require(
        'environments',
        'environment.byProjectId',
        '; before v0.25.0 composes belong to the project directly',
        options,
      );
      return core.get('environment.byProjectId', z.array(environmentSchema), input, options);
    },
    one: async (
      input: EndpointInput<'environment.one'>,
      options?: CallOptions,
    ): Promise<DokployEnvironment> => {
      await core.require('environments', 'environment.one', '', options);
      return core.get('environment.one', environmentSchema, input, options);
    },
    create: async (
      input: EndpointInput<'environment.create'>,
      options?: CallOptions,
    ): Promise<DokployEnvironment> => {
      await core.require('environments', 'environment.create', '', options);
      return core.get('environment.create', environmentSchema, input, options);
    },
    remove: async (
      input: EndpointInput<'environment.remove'>,
      options?: CallOptions,
    ): Promise<DokployEnvironment> => {
      await core.require('environments', 'environment.remove', '', options);
      return core.get('environment.remove', environmentSchema, input, options);
    },
    duplicate: async (
      input: EndpointInput<'environment.duplicate'>,
      options?: CallOptions,
    ): Promise<DokployEnvironment> => {
      await core.require('environments', 'environment.duplicate', '', options);
      return core.get('environment.duplicate', environmentSchema, input, options);
    },
  };
}
