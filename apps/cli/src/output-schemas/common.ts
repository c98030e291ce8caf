import { z } from 'zod';

export const severity = z.enum(['error', 'warning', 'info']);

/** A keys finding: its stable code and the one-line fix. */
export const finding = z.object({
  code: z.string().describe('stable finding code, e.g. JWT_SECRET_DEMO'),
  severity,
  variable: z.string(),
  message: z.string(),
  fix: z.string(),
});

export const counts = z.object({
  error: z.number().int(),
  warning: z.number().int(),
  info: z.number().int(),
});

export const diagnostic = z.object({
  code: z.string(),
  severity,
  message: z.string(),
  fix: z.string(),
});

export const errorDetail = z.object({
  code: z.string(),
  message: z.string(),
  fix: z.string().optional(),
});

export const network = z.object({
  resolves: z.boolean(),
  inContainer: z.boolean(),
  addresses: z.array(z.string()),
  summary: z.string(),
  alternatives: z.array(
    z.looseObject({
      kind: z.string(),
      description: z.string(),
      commands: z.array(z.string()).describe('e.g. the SSH tunnel to open'),
      connection: z.string().describe('the connection string to use afterwards (password ***)'),
    }),
  ),
});

const catalogObject = z.looseObject({ kind: z.string(), name: z.string() });

/** A migrator RunReport (up, down, repair, fetch). */
export const runReport = z.looseObject({
  runId: z.string(),
  operation: z.enum(['up', 'down', 'repair', 'fetch']),
  destructive: z.boolean(),
  dryRun: z.boolean(),
  target: z.string().describe('connection string, password ***'),
  dir: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  lockWaitedMs: z.number().nullable(),
  ok: z.boolean(),
  files: z.array(
    z.looseObject({
      version: z.string(),
      name: z.string(),
      file: z.string(),
      direction: z.enum(['up', 'down']),
      status: z.string(),
      noTransaction: z.boolean(),
      statements: z.number().int(),
      durationMs: z.number(),
      sha256: z.string().optional(),
      results: z
        .array(
          z.looseObject({
            index: z.number().int(),
            command: z.string().nullable(),
            rowCount: z.number().nullable(),
          }),
        )
        .optional(),
      changes: z
        .looseObject({
          created: z.array(catalogObject),
          dropped: z.array(catalogObject),
          altered: z.array(catalogObject),
        })
        .optional(),
      note: z.string().optional(),
    }),
  ),
});

export const migrationStatus = z.looseObject({
  dir: z.string(),
  historyTableExists: z.boolean(),
  entries: z.array(
    z.looseObject({
      version: z.string(),
      name: z.string(),
      file: z.string().nullable(),
      local: z.boolean(),
      remote: z.boolean(),
      state: z.enum(['applied', 'pending', 'missing-locally', 'out-of-order']),
      drift: z.enum(['none', 'changed', 'unknown']),
      appliedAt: z.string().nullable(),
    }),
  ),
  summary: z.looseObject({
    local: z.number().int(),
    applied: z.number().int(),
    pending: z.number().int(),
    missingLocally: z.number().int(),
    outOfOrder: z.number().int(),
    drifted: z.number().int(),
  }),
  pending: z.array(z.string()),
  missingLocally: z.array(z.string()),
  outOfOrder: z.array(z.string()),
  drifted: z.array(z.string()),
});

export const sandbox = z.object({
  state: z.enum(['running', 'stopped', 'absent']),
  dataDir: z.string(),
  host: z.string(),
  port: z.number().int().nullable(),
  pid: z.number().int().nullable(),
  superuser: z.string(),
  version: z.string().nullable(),
  binaries: z
    .object({ dir: z.string(), source: z.string(), version: z.string().optional() })
    .nullable(),
  extensions: z.object({ available: z.array(z.string()), missing: z.array(z.string()) }).nullable(),
  logFile: z.string().nullable(),
  reused: z.boolean().optional(),
  url: z.string().optional().describe('superuser URL with the password as ***'),
});

export const rowCountCheck = z.looseObject({
  mode: z.enum(['exact', 'estimated', 'none']),
  checked: z.number().int(),
  mismatches: z.array(
    z.looseObject({ table: z.string(), expected: z.number(), actual: z.number().nullable() }),
  ),
  skipped: z.boolean(),
});

export const retentionDecision = z.object({
  id: z.string(),
  createdAt: z.string(),
  reasons: z.array(z.string()),
});

const secretRef = z.string();

/** An instance as written to the config (secrets are references). */
export const instanceConfig = z.looseObject({
  kind: z.enum(['sandbox', 'self-hosted', 'dokploy', 'cloud']),
  description: z.string().optional(),
  database: z
    .looseObject({
      session: secretRef.optional(),
      transaction: secretRef.optional(),
      password: secretRef.optional(),
    })
    .optional(),
  api: z.looseObject({ url: z.string() }).optional(),
  migrationsDir: z.string().optional(),
  backups: z.looseObject({ storage: z.looseObject({ type: z.enum(['local', 's3']) }) }).optional(),
  labels: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
