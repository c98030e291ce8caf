import { z } from 'zod';
import { registration, validation, wizardSummary } from './selfhost.js';

/** The --json documents of `clone` and `promote`. */

const migrationRef = z.object({
  version: z.string(),
  name: z.string(),
  file: z.string().nullable(),
  sha256: z.string().nullable(),
});

const divergence = z.object({
  kind: z.enum([
    'target-only',
    'checksum-mismatch',
    'name-mismatch',
    'source-file-changed',
    'source-file-missing',
  ]),
  version: z.string(),
  name: z.string(),
  detail: z.string(),
  fix: z.string(),
});

const schemaSync = z.object({
  applied: z.array(migrationRef).describe('applied by this run (a dry run: would be applied)'),
  alreadyPresent: z.array(migrationRef),
  skipped: z
    .array(migrationRef.extend({ reason: z.string() }))
    .describe('in the directory but never applied on the source: not promoted'),
  divergence: z
    .array(divergence)
    .describe('only in a dry run: a real run with divergence is refused (exit 7)'),
  backup: z
    .object({
      id: z.string(),
      location: z.string(),
      verified: z.boolean(),
      warnings: z.array(z.string()),
    })
    .optional()
    .describe("the target's backup, made before the first migration"),
  histories: z.object({
    match: z.boolean(),
    source: z.number().int().describe('migrations applied on the source'),
    target: z.number().int(),
  }),
});

const imageChange = z.object({ service: z.string(), from: z.string(), to: z.string() });

const note = z.object({ code: z.string(), message: z.string() });

const clonePlan = z
  .object({
    dryRun: z.literal(true),
    source: z.object({
      instance: z.string(),
      composeId: z.string(),
      name: z.string(),
      appName: z.string(),
      mounts: z.number().int().describe("the source's mounts of any type"),
    }),
    clone: z.object({
      name: z.string(),
      projectName: z.string(),
      environmentName: z.string().optional(),
      host: z.string().optional().describe('the own host; absent for a generated domain'),
      generatedDomain: z.boolean(),
      dokploy: z.string().describe('the Dokploy API the clone will live on'),
      serverId: z.string().optional().describe('the Dokploy remote server'),
    }),
    server: z.object({ name: z.string(), url: z.string() }),
    carried: z.array(z.string()).describe("names of the source's settings taken over"),
    regenerated: z.array(z.string()).describe('names of the secrets and keys made fresh'),
    mounts: z.array(z.string()).describe('the file mounts to copy, by path'),
    smtp: z.enum(['smtp', 'development-autoconfirm']),
    data: z.boolean().describe('--copy-data: the data copied and its row counts proven'),
    warnings: z.array(note).describe('phone sign-up turned off, bind and volume mounts skipped'),
    statePath: z.string().describe('the state file the clone will resume from'),
  })
  .describe('--dry-run: the plan (selfhost planClone), nothing written');

const cloneDone = z.object({
  dryRun: z.literal(false),
  source: z.object({
    instance: z.string(),
    composeId: z.string(),
    name: z.string(),
    appName: z.string(),
  }),
  clone: z.object({
    composeId: z.string(),
    appName: z.string(),
    name: z.string(),
    projectName: z.string(),
    environmentName: z.string().optional(),
    host: z.string(),
    publicUrl: z.string(),
    generatedDomain: z.boolean(),
    dokploy: z.string().describe('the Dokploy API the clone lives on'),
  }),
  server: z.object({ name: z.string(), url: z.string() }),
  carried: z.array(z.string()).describe("names of the source's settings taken over"),
  regenerated: z.array(z.string()).describe('names of the secrets and keys made fresh'),
  mounts: z
    .object({
      copied: z.array(z.string()),
      unchanged: z.array(z.string()),
      skipped: z.array(z.object({ type: z.string(), mountPath: z.string(), reason: z.string() })),
    })
    .optional(),
  wizard: z.object({ ran: z.array(z.string()), skipped: z.array(z.string()) }),
  summary: wizardSummary,
  validation: validation.describe("the post-deploy checks with the clone's own keys"),
  data: z
    .object({
      strategy: z.string(),
      tables: z.number().int(),
      rows: z.number().int(),
      rowCounts: z
        .array(z.object({ table: z.string(), source: z.number().int(), clone: z.number().int() }))
        .describe('every table, equal on both sides'),
    })
    .optional()
    .describe('with --copy-data'),
  sourceUnchanged: z.boolean(),
  statePath: z.string().describe('the state file a re-run resumes from'),
  historyDir: z.string(),
  instance: registration.describe('the config entry of --register (no keys); null without'),
  secrets: z
    .record(z.string(), z.string())
    .optional()
    .describe('only with --print-secrets, on the run that finished'),
});

export const OPS_SCHEMAS = {
  clone: z.discriminatedUnion('dryRun', [clonePlan, cloneDone]),
  promote: z.object({
    from: z.string(),
    to: z.string(),
    mode: z.enum(['deployment', 'schema-only']),
    dryRun: z.boolean(),
    production: z.boolean().describe('the target is labelled production'),
    schema: schemaSync,
    source: z.object({ composeId: z.string(), appName: z.string() }).optional(),
    target: z.object({ composeId: z.string(), appName: z.string() }).optional(),
    images: z
      .object({
        changes: z.array(imageChange),
        sourceOnly: z.array(z.string()),
        targetOnly: z.array(z.string()),
        written: z.boolean(),
      })
      .optional()
      .describe('with --align-images'),
    effective: z.boolean().optional(),
    needsRedeploy: z.boolean().optional(),
    deploymentId: z.string().optional(),
    validation: validation.optional(),
    historyDir: z.string().optional().describe("the target server's history (rollback undoes it)"),
    dataCopied: z.literal(false),
  }),
};
