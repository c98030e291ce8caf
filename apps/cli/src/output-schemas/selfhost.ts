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

/** The --json documents of the self-hosting commands (doctor, env). */
export const SELFHOST_SCHEMAS = {
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
