import { z } from 'zod';
import { type ClientCore, parseWith } from '../client-core.js';
import { ENDPOINTS, type EndpointInput } from '../endpoints.js';
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
    /**
     * Dokploy's DNS check (v0.22.0+). **Without `serverIp` it only checks that the name
     * resolves** (`isValid: true` for any address); pass the server's IP to check where it points.
     */
    validateDomain: async (
      input: EndpointInput<'domain.validateDomain'>,
      options?: CallOptions,
    ): Promise<DokployDomainValidation> => {
      const data = parseWith(
        ENDPOINTS['domain.validateDomain'].input,
        input,
        'domain.validateDomain',
        core.redactor,
      );
      await core.require(
        'validateDomain',
        'domain.validateDomain',
        ', or resolve the name yourself (node:dns) and compare it with the server IP',
        options,
      );
      return core.get('domain.validateDomain', domainValidationSchema, data, options);
    },
  };
}
