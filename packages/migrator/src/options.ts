import { z } from 'zod';

const version = z.string().regex(/^[0-9]+$/, 'must be a migration version (digits only)');

const connectionSchema = z.union([
  z.string().min(1, 'must not be empty'),
  z.custom<Record<string, unknown>>(
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    'must be a connection string or a pg ClientConfig object',
  ),
]);

const signal = z.instanceof(AbortSignal, { error: 'must be an AbortSignal' }).optional();

const fn = z.custom<(...args: never[]) => unknown>(
  (v) => typeof v === 'function',
  'must be a function',
);

export const migratorOptionsSchema = z.object({
  /** Optional: only newMigration works without it; every other operation needs the database. */
  connection: connectionSchema.optional(),
  dir: z.string().min(1).default('supabase/migrations'),
  downDir: z.string().min(1).optional(),
  lock: z
    .object({
      mode: z.enum(['fail', 'wait']).default('fail'),
      timeoutMs: z.number().int().positive().max(86_400_000).default(60_000),
      key: z
        .union([z.string().regex(/^-?[0-9]+$/), z.bigint(), z.number().int()])
        .transform((v) => String(v))
        .optional(),
    })
    .default({ mode: 'fail', timeoutMs: 60_000 }),
  /** lock_timeout for each migration transaction (ms; 0 = none). */
  lockTimeoutMs: z.number().int().nonnegative().default(10_000),
  /** statement_timeout for each migration statement (ms; 0 = none). */
  statementTimeoutMs: z.number().int().nonnegative().default(600_000),
  /** After an abort, how long the server gets to cancel the running statement before its connection is closed. */
  cancelGraceMs: z.number().int().nonnegative().max(600_000).default(5_000),
  /** Stored in supaops_migration_meta.applied_by; defaults to the database role. */
  appliedBy: z.string().min(1).max(200).optional(),
  /** Directory where every run's JSON report is written. */
  reportDir: z.string().min(1).optional(),
  onEvent: fn.optional(),
  now: fn.optional(),
});

export type ParsedMigratorOptions = z.output<typeof migratorOptionsSchema>;

export const upOptionsSchema = z
  .object({
    dryRun: z.boolean().default(false),
    to: version.optional(),
    includeAll: z.boolean().default(false),
    allowDrift: z.boolean().default(false),
    signal,
  })
  .strict()
  .default({ dryRun: false, includeAll: false, allowDrift: false });

export const downOptionsSchema = z
  .object({
    to: version.optional(),
    last: z.number().int().positive().optional(),
    dryRun: z.boolean().default(false),
    signal,
  })
  .strict()
  .refine(
    (v) => (v.to === undefined) !== (v.last === undefined),
    'give exactly one of `to` (target version, "0" for all) or `last` (number of versions)',
  );

export const repairOptionsSchema = z
  .object({
    versions: z.array(version).min(1, 'name at least one version').optional(),
    all: z.literal(true).optional(),
    status: z.enum(['applied', 'reverted']),
    signal,
  })
  .strict()
  .refine(
    (v) => (v.versions === undefined) !== (v.all === undefined),
    'give either `versions` or `all: true` (the whole history, like `supabase migration repair` without versions)',
  );

export const fetchOptionsSchema = z
  .object({
    dir: z.string().min(1).optional(),
    overwrite: z.boolean().default(false),
    signal,
  })
  .strict()
  .default({ overwrite: false });

/** Options of status() and verify(). */
export const readOptionsSchema = z.object({ signal }).strict().default({});

export const newMigrationSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, _ and - only (snake_case like the CLI)'),
  options: z
    .object({ down: z.boolean().default(false), sql: z.string().optional() })
    .strict()
    .default({ down: false }),
});
