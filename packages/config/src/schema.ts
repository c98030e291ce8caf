import { z } from 'zod';
import { connectionStringForm, connectionStringPassword } from './connection-string.js';
import { isSecretRef, SECRET_REF_FIX, SECRET_REF_PATTERN } from './secret-ref.js';
import type { DokployServerConfig, InstanceConfig, SupaopsConfig } from './types.js';

// Names of instances and servers are used on command lines and in file names.
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
export const NAME_FIX =
  'use 1-63 letters, digits, "_", "." or "-", starting with a letter or digit';

const secretRef = (description: string) =>
  z
    .string()
    .regex(new RegExp(SECRET_REF_PATTERN), {
      error: `must be a secret reference, not a literal value. Fix: ${SECRET_REF_FIX}`,
    })
    .meta({ description: `${description} A secret reference: env:NAME, file:PATH or store:NAME.` });

const connectionString = (description: string) =>
  z
    .string()
    .superRefine((value, ctx) => {
      if (isSecretRef(value)) return;
      if (connectionStringForm(value) === null) {
        ctx.addIssue({
          code: 'custom',
          message:
            'is neither a secret reference nor a PostgreSQL connection string. Fix: write postgres://user@host:5432/db (password in database.password) or a reference such as env:DATABASE_URL',
        });
      } else if (connectionStringPassword(value) !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `contains a literal password. Fix: remove the password from the connection string and set database.password to a reference, or make the whole connection string a reference: ${SECRET_REF_FIX}`,
        });
      }
    })
    .meta({
      description: `${description} A secret reference (env:NAME, file:PATH, store:NAME) or a connection string without a password.`,
    });

const httpUrl = (description: string) =>
  z
    .url({
      protocol: /^https?$/,
      error: 'must be an http(s) URL, e.g. https://supabase.example.com',
    })
    .meta({ description });

const name = z.string().regex(NAME_PATTERN, { error: `is not a valid name. Fix: ${NAME_FIX}` });

export const databaseSchema = z
  .strictObject({
    session: connectionString('Direct or Supavisor session-mode (5432) connection.').optional(),
    transaction: connectionString('Supavisor transaction-mode (6543) connection.').optional(),
    password: secretRef('Password put into session/transaction when they carry none.').optional(),
  })
  .meta({ description: 'Database target.' });

export const apiSchema = z
  .strictObject({
    url: httpUrl('Base URL of the Supabase API (Kong), e.g. https://supabase.example.com.'),
    anonKey: secretRef('Legacy anon JWT.').optional(),
    serviceRoleKey: secretRef('Legacy service_role JWT.').optional(),
    publishableKey: secretRef('sb_publishable_... key.').optional(),
    secretKey: secretRef('sb_secret_... key.').optional(),
    jwtSecret: secretRef('JWT signing secret.').optional(),
  })
  .meta({ description: 'Supabase API endpoint and keys.' });

const backupStorageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('local'),
    dir: z.string().min(1).meta({ description: 'Directory, relative to the config file.' }),
  }),
  z.strictObject({
    type: z.literal('s3'),
    bucket: z.string().min(1),
    prefix: z.string().optional(),
    region: z.string().optional(),
    endpoint: httpUrl('S3-compatible endpoint.').optional(),
    forcePathStyle: z.boolean().optional(),
    accessKeyId: secretRef('S3 access key id.').optional(),
    secretAccessKey: secretRef('S3 secret access key.').optional(),
  }),
]);

export const backupsSchema = z.strictObject({
  storage: backupStorageSchema,
  encryptionKey: secretRef(
    'Passphrase or raw key for backup encryption; absent = unencrypted.',
  ).optional(),
  retention: z
    .strictObject({
      keepLast: z.int().min(1).optional(),
      keepDays: z.int().min(1).optional(),
    })
    .optional(),
});

const labelValue = z.union([z.string(), z.number(), z.boolean()]);

export const instanceSchema = z
  .strictObject({
    kind: z.enum(['sandbox', 'self-hosted', 'dokploy', 'cloud']),
    description: z.string().optional(),
    database: databaseSchema.optional(),
    api: apiSchema.optional(),
    dokploy: z
      .strictObject({
        server: name.meta({ description: 'A key of dokployServers.' }),
        composeId: z.string().min(1),
      })
      .optional(),
    migrationsDir: z
      .string()
      .min(1)
      .meta({ description: "Default 'supabase/migrations', relative to the config file." })
      .optional(),
    backups: backupsSchema.optional(),
    labels: z
      .object({
        production: z
          .boolean()
          .meta({ description: 'true makes supaops ask for confirmation before writes.' })
          .optional(),
      })
      .catchall(labelValue)
      .optional(),
    allowServiceKey: z.boolean().optional(),
  })
  .meta({ description: 'One Supabase instance.' });

export const dokployServerSchema = z
  .strictObject({
    url: httpUrl('Dokploy base URL, e.g. https://dokploy.example.com.'),
    apiKey: secretRef('Dokploy API key (x-api-key).'),
    description: z.string().optional(),
  })
  .meta({ description: 'One Dokploy server.' });

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1).default(1),
    defaultInstance: name.optional(),
    instances: z.record(name, instanceSchema).default({}),
    dokployServers: z.record(name, dokployServerSchema).default({}),
    secretStore: z
      .strictObject({
        path: z.string().min(1).optional(),
        keyEnv: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name' })
          .optional(),
      })
      .optional(),
    audit: z
      .strictObject({ enabled: z.boolean().optional(), path: z.string().min(1).optional() })
      .optional(),
    mcp: z
      .strictObject({
        http: z
          .strictObject({
            host: z.string().min(1).optional(),
            port: z.int().min(0).max(65535).optional(),
            token: secretRef('Bearer token clients must send.').optional(),
            allowedOrigins: z.array(z.string()).optional(),
          })
          .optional(),
      })
      .optional(),
  })
  .meta({
    title: 'supaops configuration',
    description: 'supaops.config.json: instances, Dokploy servers, secret store, audit log.',
  });

// Compile-time proof that the hand-written public types and the schema agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const typesAgree: [
  Same<z.output<typeof instanceSchema>, InstanceConfig>,
  Same<z.output<typeof dokployServerSchema>, DokployServerConfig>,
  Same<z.output<typeof configSchema>, SupaopsConfig>,
] = [true, true, true];
void typesAgree;
