import { z } from 'zod';
import type { ClientCore } from '../client-core.js';
import type { EndpointInput } from '../endpoints.js';
import {
  type DokployDomain,
  type DokployDomainValidation,
  domainSchema,
  domainValidationSchema,
} from '../responses.js';
import type { CallOptions } from '../transport.js';

export function domainMethods(core: ClientCore) {
  return {
    /** Dokploy defaults: `https: false`, `certificateType: "none"`, `port: 3000`, `path: "/"`. */
    create: (
      input: EndpointInput<'domain.create'>,
      options?: CallOptions,
    ): Promise<DokployDomain> => core.get('domain.create', domainSchema, input, options),
    update: (
      input: EndpointInput<'domain.update'>,
      options?: CallOptions,
    ): Promise<DokployDomain> => core.get('domain.update', domainSchema, input, options),
    byComposeId: (
      input: EndpointInput<'domain.byComposeId'>,
      options?: CallOptions,
    ): Promise<DokployDomain[]> =>
      core.get('domain.byComposeId', z.array(domainSchema), input, options),
    delete: (
      input: EndpointInput<'domain.delete'>,
      options?: CallOptions,
    ): Promise<DokployDomain> => core.get('domain.delete', domainSchema, input, options),
    /** A host like `<name>-<hex>-<ip>.sslip.io` (traefik.me before v0.29.3). */
    generateDomain: (
      input: EndpointInput<'domain.generateDomain'>,
      options?: CallOptions,
    ): Promise<string> => core.get('domain.generateDomain', z.string(), input, options),
    validateDomain: (
      input: EndpointInput<'domain.validateDomain'>,
      options?: CallOptions,
    ): Promise<DokployDomainValidation> =>
      core.get('domain.validateDomain', domainValidationSchema, input, options),
  };
}
