import { z } from 'zod';
import { severity } from './common.js';

/** A doctor finding (@supaops/selfhost's DoctorFinding): never a secret in message or fix. */
const doctorFinding = z.object({
  code: z.string().describe('stable finding code, e.g. SMTP_FAKE_DEFAULTS or JWT_SECRET_DEMO'),
  severity,
  variable: z.string().optional().describe('absent for findings about names or domains'),
  message: z.string(),
  fix: z.string().describe('the one-line fix'),
  services: z.array(z.string()).optional().describe('compose services that read the variable'),
});

const diffStatus = z.enum(['added', 'removed', 'changed', 'unchanged']);

const check = z.object({ name: z.string(), ok: z.boolean(), reason: z.string() });

export const validation = z
  .object({ ok: z.boolean(), checks: z.array(check) })
  .describe('the post-deploy checks (containers, GoTrue, PostgREST, Storage)');

const envEdit = z.object({
  target: z.enum(['file', 'instance']),
  file: z.string().optional(),
  instance: z.string().optional(),
  composeId: z.string().optional(),
  changed: z.array(z.string()).describe('keys whose value was written'),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  unchanged: z.array(z.string()),
  written: z.boolean(),
  redeployed: z.boolean(),
  historyDir: z.string().optional(),
});

/** The wizard's summary (deploy, clone): no secret, the service key and passwords masked. */
export const wizardSummary = z.object({
  publicUrl: z.string(),
  studioUrl: z.string(),
  anonKey: z.string().describe('the public anon key'),
  serviceKey: z.string().describe('masked: first/last 4 characters'),
  connectionStrings: z
    .object({ session: z.string(), transaction: z.string() })
    .describe('Supavisor strings, the password as ***'),
  secrets: z.union([
    z.object({ mode: z.literal('file'), path: z.string() }),
    z.object({ mode: z.literal('print') }),
  ]),
  notes: z.array(z.string()),
});

/** The config entry a deploy or clone added (no keys in it). */
export const registration = z
  .object({
    name: z.string(),
    registered: z.boolean(),
    note: z.string(),
    hint: z.string().optional(),
  })
  .nullable()
  .describe('the config entry (no keys in it); null with --no-register');

/** The --json documents of the self-hosting commands (doctor, env, deploy, repair). */
export const SELFHOST_SCHEMAS = {
  deploy: z.object({
    project: z.string(),
    environment: z.string().optional(),
    server: z.object({ name: z.string(), url: z.string() }),
    composeId: z.string(),
    dokployVersion: z.string(),
    ran: z.array(z.string()).describe('steps this run executed'),
    skipped: z.array(z.string()).describe('steps an earlier run had done'),
    summary: wizardSummary,
    validation,
    statePath: z.string().describe('the state file a re-run resumes from'),
    historyDir: z.string().describe('every Dokploy write, recorded before it was made'),
    instance: registration,
    secrets: z
      .record(z.string(), z.string())
      .optional()
      .describe('only with --print-secrets, on the run that finished'),
  }),
  'keys-repair-instance': z.object({
    source: z.literal('instance'),
    instance: z.string(),
    composeId: z.string(),
    needed: z.boolean(),
    rotateSecret: z.boolean(),
    changedKeys: z.array(z.string()),
    diff: z.string().describe('the env diff, secrets masked'),
    domain: z
      .object({ host: z.string(), https: z.boolean(), certificateType: z.string() })
      .optional()
      .describe("the gateway domain's switch to https"),
    findingsBefore: z.array(z.string()),
    findingsAfter: z.array(z.string()),
    notes: z.array(z.string()),
    applied: z.boolean(),
    dryRun: z.boolean(),
    deploymentId: z.string().optional(),
    validation: validation.optional(),
    historyDir: z.string(),
  }),
  'env-set': envEdit,
  'env-unset': envEdit,
  doctor: z.object({
    source: z.enum(['file', 'stdin', 'instance']),
    file: z.string().optional(),
    instance: z.string().optional(),
    mode: z.enum(['offline', 'online']),
    findings: z.array(doctorFinding).describe('errors first, then warnings, then infos'),
    summary: z.object({
      errors: z.number().int(),
      warnings: z.number().int(),
      infos: z.number().int(),
    }),
    exitCode: z.union([z.literal(0), z.literal(1)]).describe('1 when any finding is an error'),
    skipped: z.array(z.object({ check: z.string(), reason: z.string() })),
    target: z
      .object({
        composeId: z.string(),
        appName: z.string().optional(),
        dokployVersion: z.string().optional(),
      })
      .optional()
      .describe('the Dokploy compose checked (online)'),
  }),
  'env-diff': z.object({
    left: z.string(),
    right: z.string(),
    differs: z.boolean(),
    entries: z.array(
      z.object({
        key: z.string(),
        status: diffStatus,
        left: z.string().optional().describe('secrets masked: first/last 4 characters or ***'),
        right: z.string().optional(),
        secret: z.boolean(),
        templated: z.boolean().describe('the left value is a Dokploy template expression'),
      }),
    ),
    summary: z.record(diffStatus, z.number().int()),
  }),
};
