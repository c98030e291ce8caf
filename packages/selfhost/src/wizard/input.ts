import { z } from 'zod';

const hostSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i,
    'a DNS name of letters, digits and - (no _, no scheme, no path)',
  );

const smtpSchema = z.discriminatedUnion('mode', [
  z
    .object({
      mode: z.literal('smtp'),
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535),
      user: z.string().min(1),
      pass: z.string().min(1),
      adminEmail: z.email(),
      senderName: z.string().min(1).optional(),
    })
    .strict(),
  // an explicit development choice: no mail, sign-ups confirmed without one
  z.object({ mode: z.literal('development-autoconfirm') }).strict(),
]);

const domainSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('own'), host: hostSchema }).strict(),
  z.object({ mode: z.literal('generated') }).strict(),
]);

const composeSchema = z.discriminatedUnion('source', [
  // the live template, falling back to the bundled one when Dokploy cannot fetch it
  z.object({ source: z.literal('template') }).strict(),
  z.object({ source: z.literal('bundled') }).strict(),
  z
    .object({
      source: z.literal('own'),
      composeFile: z.string().min(1),
      // values for the file's own variables; the template's literal defaults fill the rest
      env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/), z.string()).optional(),
    })
    .strict(),
]);

const secretsOutputSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('file'), path: z.string().min(1) }).strict(),
  z.object({ mode: z.literal('print') }).strict(),
]);

/** Every answer of the setup wizard: agents pass it whole, the CLI builds it from prompts. */
export const wizardInputSchema = z
  .object({
    projectName: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, 'letters, digits, spaces, _ . - (ASCII)'),
    /** v0.25.0+: the environment (created when missing). Default: the project's default one. */
    environmentName: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/)
      .optional(),
    composeName: z
      .string()
      .min(1)
      .max(63)
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and -')
      .default('supabase'),
    serverId: z.string().min(1).optional(),
    smtp: smtpSchema,
    domain: domainSchema,
    /** The app that signs users in; default the Supabase URL itself. */
    siteUrl: z.url().optional(),
    additionalRedirectUrls: z.array(z.string().min(1)).optional(),
    compose: composeSchema.default({ source: 'template' }),
    secretsOutput: secretsOutputSchema,
    /** Whether the env's FUNCTIONS_VERIFY_JWT stays on (default true). */
    functionsVerifyJwt: z.boolean().default(true),
    /** Dokploy's wait for the first deploy (about 13 images): default 30 minutes. */
    deployTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .max(6 * 3600_000)
      .default(30 * 60_000),
    deployPollMs: z.number().int().min(5).max(60_000).default(2000),
    /** Post-deploy HTTP checks: attempts while the services come up, and the pause between. */
    validateAttempts: z.number().int().min(1).max(100).default(10),
    validateRetryMs: z.number().int().min(0).max(60_000).default(3000),
  })
  .strict();

export type WizardInput = z.input<typeof wizardInputSchema>;
export type WizardAnswers = z.output<typeof wizardInputSchema>;
