import { z } from 'zod';
import { generateDomain, INVALID_HOSTNAME_MESSAGE, VALID_HOSTNAME_REGEX } from '../domain-name.js';
import { fixed, need, nonEmpty, nullableString, type Procedure } from '../procedure.js';
import { createDomainRow } from '../rows.js';
import type { SimDomain } from '../state.js';
import { atLeast, type SimVersion } from '../version.js';

/** `host`: any non-empty string before v0.29.9; trimmed RFC 1123 names from then on (b2692cd59). */
function hostSchema(v: SimVersion): z.ZodType<string> {
  if (!atLeast(v, '0.29.9')) return nonEmpty;
  return z
    .string()
    .min(1, { message: 'Add a hostname' })
    .refine((val) => val === val.trim(), {
      message: 'Domain name cannot have leading or trailing spaces',
    })
    .transform((val) => val.trim())
    .refine((val) => VALID_HOSTNAME_REGEX.test(val), { message: INVALID_HOSTNAME_MESSAGE });
}

const domainFields = (v: SimVersion) => ({
  host: hostSchema(v),
  path: z.string().min(1).nullable().optional(),
  port: z.number().min(1).max(65535).nullable().optional(),
  customEntrypoint: nullableString,
  https: z.boolean().optional(),
  certificateType: z.enum(['letsencrypt', 'none', 'custom']).optional(),
  customCertResolver: nullableString,
  serviceName: nullableString,
  domainType: z.enum(['compose', 'application', 'preview']).nullable().optional(),
  internalPath: nullableString,
  stripPath: z.boolean().optional(),
  middlewares: z.array(z.string()).nullable().optional(),
  forwardAuthEnabled: z.boolean().optional(),
});

/*
 * Domain rows change at once, but Traefik only learns about them when the compose is deployed
 * again (labels are written by addDomainToCompose at deploy): containers keep the routes of
 * their deploy (see containers.ts and `DokploySimulator.routes()`).
 */
export const domainProcedures: Record<string, Procedure> = {
  'domain.create': {
    method: 'POST',
    input: (v) =>
      z.object({
        ...domainFields(v),
        applicationId: nullableString,
        composeId: nullableString,
        previewDeploymentId: nullableString,
      }),
    handle: (ctx, input: Partial<SimDomain> & { host: string }) => {
      if (input.composeId) need(ctx.state.composes.get(input.composeId), 'Compose');
      const row = createDomainRow(input);
      ctx.state.domains.set(row.domainId, row);
      return row;
    },
  },
  'domain.update': {
    method: 'POST',
    input: (v) =>
      z.object({ ...domainFields(v), enabled: z.boolean().optional(), domainId: z.string() }),
    handle: (ctx, input: Partial<SimDomain> & { domainId: string }) => {
      const row = need(ctx.state.domains.get(input.domainId), 'Domain');
      for (const [k, v] of Object.entries(input))
        if (v !== undefined) (row as unknown as Record<string, unknown>)[k] = v;
      return row;
    },
  },
  'domain.byComposeId': {
    method: 'GET',
    input: fixed(z.object({ composeId: nonEmpty })),
    handle: (ctx, input: { composeId: string }) => {
      need(ctx.state.composes.get(input.composeId), 'Compose');
      return [...ctx.state.domains.values()].filter((d) => d.composeId === input.composeId);
    },
  },
  'domain.delete': {
    method: 'POST',
    input: fixed(z.object({ domainId: nonEmpty })),
    handle: (ctx, input: { domainId: string }) => {
      const row = need(ctx.state.domains.get(input.domainId), 'Domain');
      ctx.state.domains.delete(row.domainId);
      return row;
    },
  },
  /** generateTraefikMeDomain: the app name verbatim (not slugified). */
  'domain.generateDomain': {
    method: 'POST',
    input: fixed(z.object({ appName: z.string(), serverId: z.string().optional() })),
    handle: (ctx, input: { appName: string }) =>
      generateDomain(input.appName, ctx.serverIp, ctx.version),
  },
  /**
   * services/domain.ts validateDomain: `dns.resolve4`, then with `serverIp` the answer is valid
   * only if it is among the addresses; **without it, any name that resolves is valid**.
   */
  'domain.validateDomain': {
    method: 'POST',
    since: '0.22.0',
    input: fixed(z.object({ domain: z.string(), serverIp: z.string().optional() })),
    handle: async (ctx, input: { domain: string; serverIp?: string }) => {
      const clean = input.domain.replace(/^https?:\/\//, '').split('/')[0] ?? '';
      const ips = clean ? await ctx.resolveHost(clean) : [];
      if (!ips.length) return { isValid: false, error: `queryA ENOTFOUND ${clean}` };
      const resolvedIp = ips.join(', ');
      if (input.serverIp) {
        const isValid = ips.includes(input.serverIp);
        return {
          isValid,
          resolvedIp,
          ...(isValid
            ? {}
            : { error: `Domain resolves to ${resolvedIp} but should point to ${input.serverIp}` }),
        };
      }
      return { isValid: true, resolvedIp };
    },
  },
};
