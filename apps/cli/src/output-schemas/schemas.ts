import { z } from 'zod';
import {
  counts,
  diagnostic,
  errorDetail,
  finding,
  instanceConfig,
  migrationStatus,
  network,
  retentionDecision,
  rowCountCheck,
  runReport,
  sandbox,
} from './common.js';
import { DAY2_SCHEMAS } from './day2.js';
import { OPS_SCHEMAS } from './ops.js';
import { SELFHOST_SCHEMAS } from './selfhost.js';

const keysFindings = {
  ok: z.boolean(),
  counts,
  findings: z.array(finding),
};

const source = z.enum(['file', 'stdin', 'instance']);

const column = z.object({ name: z.string(), type: z.string() });
const row = z.record(z.string(), z.unknown());
const statement = z.object({
  command: z.string().nullable(),
  rowCount: z.number().int().nullable(),
  truncated: z.boolean(),
  columns: z.array(column),
  rows: z.array(row),
});

const backupPart = z.object({
  name: z.string(),
  key: z.string(),
  rawSize: z.number(),
  storedSize: z.number(),
});

/** The --json document of every command, by schema file name (without `.schema.json`). */
export const OUTPUT_SCHEMAS = {
  error: z
    .object({ error: errorDetail })
    .describe('What every command prints on stdout with --json when it fails (exit code 2 and up)'),
  init: z.object({
    path: z.string(),
    config: z.looseObject({
      version: z.literal(1),
      instances: z.record(z.string(), instanceConfig),
    }),
  }),
  'instances-list': z.object({
    instances: z.array(
      z.looseObject({
        name: z.string(),
        kind: z.string(),
        production: z.boolean(),
        isDefault: z.boolean(),
        hasSession: z.boolean(),
        hasTransaction: z.boolean(),
        apiUrl: z.string().optional(),
        sessionUrlRedacted: z.string().optional(),
      }),
    ),
    defaultInstance: z.string().optional(),
    sources: z.looseObject({
      project: z.string().optional(),
      user: z.string().optional(),
      env: z.array(z.string()),
    }),
    writePath: z.string(),
  }),
  'instances-add': z.object({
    name: z.string(),
    path: z.string(),
    instance: instanceConfig,
    default: z.boolean().describe("whether it was made the file's defaultInstance"),
  }),
  'instances-remove': z.object({ name: z.string(), path: z.string(), removed: z.literal(true) }),
  'instances-default': z.object({
    path: z.string().describe('the config file that was changed'),
    defaultInstance: z.string().nullable().describe('the new default; null when cleared'),
  }),
  'instances-test': z.object({
    name: z.string(),
    kind: z.string(),
    target: z.string(),
    mode: z.enum(['direct', 'session', 'transaction']),
    diagnostics: z.array(diagnostic),
    network,
    query: z.object({
      ok: z.boolean(),
      durationMs: z.number(),
      serverVersion: z.string().optional(),
      error: errorDetail.optional(),
    }),
    ok: z.boolean(),
  }),
  'keys-generate': z.union([
    z.object({
      env: z
        .record(z.string(), z.string())
        .describe('the generated secrets and keys: this command exists to produce them'),
      variables: z.array(z.string()),
    }),
    z.object({ written: z.string().describe('the --out file'), variables: z.array(z.string()) }),
  ]),
  'keys-check': z.object({ source, file: z.string().optional(), ...keysFindings }),
  'keys-repair': z.object({
    source,
    file: z.string().optional(),
    needed: z.boolean(),
    rotateSecret: z.boolean(),
    changes: z
      .array(z.string())
      .describe('names of the variables the plan changes (never their values)'),
    summary: z.array(z.string()).describe('redacted before → after lines'),
    consequences: z.looseObject({
      restartServices: z.array(z.string()),
      clientsToUpdate: z.array(z.string()),
      notes: z.array(z.string()),
    }),
    findings: z.array(finding),
    after: z.object(keysFindings),
    written: z.boolean(),
  }),
  'db-sql': z.object({
    instance: z.string(),
    command: z.string().nullable(),
    rowCount: z.number().int().nullable(),
    truncated: z.boolean(),
    columns: z.array(column),
    rows: z.array(row),
    durationMs: z.number(),
    statements: z.array(statement),
    roleChoice: z
      .looseObject({
        requested: z.literal('auto'),
        used: z.string().nullable(),
        reason: z.string(),
      })
      .optional(),
  }),
  'db-connections': z.looseObject({
    instance: z.string(),
    maxConnections: z.number().int(),
    superuserReservedConnections: z.number().int(),
    used: z.number().int(),
    percentUsed: z.number(),
    level: z.enum(['ok', 'warn', 'critical']),
    groups: z.array(
      z.looseObject({
        user: z.string().nullable(),
        application: z.string(),
        state: z.string().nullable(),
        service: z.string(),
        count: z.number().int(),
      }),
    ),
    byService: z.record(z.string(), z.number()),
    idleInTransaction: z.array(z.looseObject({ pid: z.number().int() })),
    longRunning: z.array(z.looseObject({ pid: z.number().int() })),
    recommendedPoolerPoolSize: z.number(),
    recommendations: z.array(z.looseObject({ code: z.string(), message: z.string() })),
  }),
  'db-check': z.object({
    target: z.string().describe('the connection string, password ***'),
    host: z.string(),
    port: z.number().int(),
    user: z.string(),
    database: z.string(),
    mode: z.enum(['direct', 'session', 'transaction']),
    pooler: z.enum(['supavisor', 'pgbouncer']).nullable(),
    hostKind: z.string(),
    diagnostics: z.array(diagnostic),
    network,
    connect: z.object({ ok: z.boolean(), error: errorDetail.optional() }).optional(),
    ok: z.boolean(),
  }),
  'migration-new': z.object({
    version: z.string(),
    name: z.string(),
    path: z.string(),
    downPath: z.string().optional(),
  }),
  'migration-list': migrationStatus,
  'migration-up': runReport,
  'migration-down': runReport,
  'migration-repair': runReport,
  'migration-fetch': runReport,
  'migration-verify': z.object({
    ok: z.boolean(),
    problems: z.array(z.string()),
    status: migrationStatus,
  }),
  'backup-create': z.object({
    id: z.string(),
    instance: z.string(),
    storage: z.string(),
    manifestKey: z.string(),
    encrypted: z.boolean(),
    compression: z.looseObject({ algorithm: z.enum(['zstd', 'gzip', 'none']), level: z.number() }),
    parts: z.array(backupPart),
    rowCounts: z.object({ mode: z.enum(['exact', 'estimated', 'none']), tables: z.number().int() }),
    warnings: z.array(z.string()),
    durationMs: z.number(),
  }),
  'backup-list': z.object({
    storage: z.string(),
    backups: z.array(
      z.object({
        id: z.string(),
        createdAt: z.string(),
        verifiedAt: z.string().nullable(),
        storedSize: z.number(),
        tags: z.record(z.string(), z.string()),
      }),
    ),
  }),
  'backup-verify': z.union([
    z.object({
      id: z.string(),
      ok: z.literal(true),
      manifestAuthentication: z.enum(['hmac', 'sha256']),
      parts: z.array(
        z.looseObject({ name: z.string(), rawSize: z.number(), storedSize: z.number() }),
      ),
      restoreTest: z
        .object({ scratchDatabase: z.string(), rowCounts: rowCountCheck, durationMs: z.number() })
        .optional(),
      verifiedAt: z.string(),
    }),
    z.object({ id: z.string(), ok: z.literal(false), error: errorDetail }),
  ]),
  'backup-restore': z.object({
    id: z.string(),
    database: z.string(),
    previousDatabase: z.string().nullable(),
    rowCounts: rowCountCheck,
    skippedEntries: z.array(z.string()),
    durationMs: z.number(),
  }),
  'backup-prune': z.object({
    storage: z.string(),
    dryRun: z.boolean(),
    policy: z.record(z.string(), z.number()),
    kept: z.array(retentionDecision),
    deleted: z.array(retentionDecision),
    orphans: z.array(z.string()),
    protectedId: z.string().nullable(),
  }),
  ...SELFHOST_SCHEMAS,
  ...DAY2_SCHEMAS,
  ...OPS_SCHEMAS,
  'sandbox-start': sandbox,
  'sandbox-status': sandbox,
  'sandbox-stop': sandbox,
  'sandbox-reset': sandbox,
  audit: z.object({
    path: z.string(),
    entries: z.array(
      z.looseObject({
        time: z.string(),
        source: z.enum(['mcp', 'cli', 'api']),
        action: z.string(),
        instance: z.string().optional(),
        args: z.record(z.string(), z.unknown()),
        outcome: z.enum(['ok', 'error', 'refused', 'dry-run']),
        error: z.looseObject({ code: z.string().optional(), message: z.string() }).optional(),
        durationMs: z.number().optional(),
      }),
    ),
  }),
  completion: z.object({
    shell: z.enum(['bash', 'zsh', 'fish']),
    script: z.string(),
    install: z.string(),
  }),
} as const;

export type OutputSchemaName = keyof typeof OUTPUT_SCHEMAS;
