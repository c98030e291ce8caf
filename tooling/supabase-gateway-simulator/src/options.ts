import { z } from 'zod';
import { GatewayOptionsError } from './errors.js';
import type { GatewayFaults } from './kong-gateway.js';
import type { GatewayData } from './memory-source.js';

const fault = z.enum(['unresolvable', 'refused', 'timeout']);

export const faultsSchema = z
  .object({
    auth: fault.optional(),
    rest: fault.optional(),
    storage: fault.optional(),
    gateway: z.literal('refused').optional(),
  })
  .strict();

export const envSchema = z.union([z.string(), z.record(z.string(), z.string())]);

const roles = z.array(z.string());

const dataSchema = z
  .object({
    tables: z
      .array(
        z.object({
          schema: z.string().optional(),
          name: z.string().min(1),
          roles,
          kind: z.enum(['table', 'view']).optional(),
          columns: z
            .array(
              z.object({ name: z.string(), type: z.string(), notNull: z.boolean().optional() }),
            )
            .optional(),
        }),
      )
      .optional(),
    functions: z
      .array(
        z.object({
          schema: z.string().optional(),
          name: z.string().min(1),
          roles,
          volatile: z.boolean().optional(),
        }),
      )
      .optional(),
    buckets: z
      .array(
        z.object({
          id: z.string().min(1),
          name: z.string().optional(),
          public: z.boolean().optional(),
          owner: z.string().nullable().optional(),
          readableBy: roles.optional(),
          file_size_limit: z.number().nullable().optional(),
          allowed_mime_types: z.array(z.string()).nullable().optional(),
          created_at: z.string().optional(),
        }),
      )
      .optional(),
    users: z
      .array(
        z.object({
          id: z.string().min(1),
          email: z.string().optional(),
          phone: z.string().optional(),
          aud: z.string().optional(),
          role: z.string().optional(),
          created_at: z.string().optional(),
        }),
      )
      .optional(),
    schemaDescriptions: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export const optionsSchema = z
  .object({
    env: envSchema,
    host: z.literal('127.0.0.1').optional(),
    port: z.number().int().min(0).max(65535).optional(),
    database: z
      .object({ url: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL') })
      .strict()
      .optional(),
    kong: z.enum(['3.9.1', '2.8.1']).optional(),
    jwksServices: z.array(z.enum(['auth', 'rest', 'storage'])).optional(),
    now: z
      .custom<() => number>((v) => typeof v === 'function', 'a function returning ms')
      .optional(),
    data: dataSchema.optional(),
    versions: z
      .object({ gotrue: z.string().optional(), postgrest: z.string().optional() })
      .strict()
      .optional(),
    faults: faultsSchema.optional(),
  })
  .strict();

export type SupabaseGatewayOptions = {
  /** The compose env as a record, or the .env text Dokploy writes (parsed as compose parses it). */
  env: string | Record<string, string>;
  /** Loopback only. */
  host?: '127.0.0.1';
  /** 0 (default) picks a free port. */
  port?: number;
  /** A real PostgreSQL: privileges, RLS, buckets and users come from it. */
  database?: { url: string };
  /** Kong 3.9.1 with the mid-2026 kong.yml (default, Dokploy's template) or 2.8.1 with the older one. */
  kong?: '3.9.1' | '2.8.1';
  /** Services the compose hands JWT_KEYS/JWT_JWKS to. Default `['auth']`, as Dokploy's compose. */
  jwksServices?: ('auth' | 'rest' | 'storage')[];
  /** The services' clock in ms. Default `Date.now`. */
  now?: () => number;
  /** In-memory catalogue, buckets and users (used when `database` is not given). */
  data?: Partial<GatewayData>;
  versions?: { gotrue?: string; postgrest?: string };
  faults?: GatewayFaults;
};

export function parseWith<T>(schema: z.ZodType<T>, fn: string, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new GatewayOptionsError(fn, result.error);
  return result.data;
}
