import { z } from 'zod';
import { DEFAULT_JWT_SECRET_LENGTH, MIN_JWT_SECRET_LENGTH } from './constants.js';
import { DEMO_JWT_SECRETS } from './demo.js';
import { parseEnvInput } from './env-input.js';
import { SecretConstraintError } from './errors.js';
import { lazy } from './lazy.js';
import { randomHex, randomString, randomUuid } from './random.js';
import { redactSecret } from './redact.js';
import { parseInput } from './validation.js';

/** The secrets a self-hosted Supabase needs besides the API keys. */
export type GeneratedSecrets = {
  JWT_SECRET: string;
  POSTGRES_PASSWORD: string;
  DASHBOARD_USERNAME: string;
  DASHBOARD_PASSWORD: string;
  SECRET_KEY_BASE: string;
  VAULT_ENC_KEY: string;
  PG_META_CRYPTO_KEY: string;
  LOGFLARE_PUBLIC_ACCESS_TOKEN: string;
  LOGFLARE_PRIVATE_ACCESS_TOKEN: string;
  S3_PROTOCOL_ACCESS_KEY_ID: string;
  S3_PROTOCOL_ACCESS_KEY_SECRET: string;
  POOLER_TENANT_ID: string;
};

export type SecretName = keyof GeneratedSecrets;

export interface GenerateSecretsOptions {
  /** Length of JWT_SECRET; at least 32, default 40. */
  jwtSecretLength?: number;
  /** Length of POSTGRES_PASSWORD; 16 to 128, default 32. */
  postgresPasswordLength?: number;
  /** Length of DASHBOARD_PASSWORD; 16 to 128, default 32. */
  dashboardPasswordLength?: number;
  /** DASHBOARD_USERNAME; default `supabase`. */
  dashboardUsername?: string;
}

const optionsSchema = lazy(() =>
  z
    .object({
      jwtSecretLength: z.number().int().min(MIN_JWT_SECRET_LENGTH).max(512).optional(),
      postgresPasswordLength: z.number().int().min(16).max(128).optional(),
      dashboardPasswordLength: z.number().int().min(16).max(128).optional(),
      dashboardUsername: z
        .string()
        .regex(/^[A-Za-z0-9_]{1,64}$/, 'must be 1-64 characters from [A-Za-z0-9_]')
        .optional(),
    })
    .strict()
    .optional(),
);

const ALNUM = /^[A-Za-z0-9]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Constraint {
  /** The documented constraint, for messages and the README. */
  readonly rule: string;
  /** A problem description, or undefined when the value is fine. */
  readonly check: (value: string) => string | undefined;
}

function alnum(min: number, max = 4096, exact = false): Constraint['check'] {
  return (value) => {
    if (!ALNUM.test(value)) {
      return 'contains characters outside [A-Za-z0-9] (@ : / $ # break database URLs and compose interpolation)';
    }
    if (exact && value.length !== min) return `is ${value.length} characters, needs exactly ${min}`;
    if (value.length < min) return `is ${value.length} characters, needs at least ${min}`;
    if (value.length > max) return `is ${value.length} characters, at most ${max} are allowed`;
    return undefined;
  };
}

/** Each secret's documented constraint (upstream CONFIG.md, generate-keys.sh, the services). */
export const SECRET_CONSTRAINTS: Readonly<Record<SecretName, Constraint>> = {
  JWT_SECRET: {
    rule: 'at least 32 characters from [A-Za-z0-9] (GoTrue/Studio: >= 32), used as a raw string',
    check: (value) =>
      DEMO_JWT_SECRETS.includes(value)
        ? 'is the public demo secret'
        : alnum(MIN_JWT_SECRET_LENGTH)(value),
  },
  POSTGRES_PASSWORD: {
    rule: '16-128 characters from [A-Za-z0-9]: it is embedded in postgres:// URLs inside the compose file',
    check: alnum(16, 128),
  },
  DASHBOARD_USERNAME: {
    rule: '1-64 characters from [A-Za-z0-9_] (Kong basic-auth user)',
    check: (value) =>
      /^[A-Za-z0-9_]{1,64}$/.test(value) ? undefined : 'must be 1-64 characters from [A-Za-z0-9_]',
  },
  DASHBOARD_PASSWORD: {
    rule: '16-128 characters from [A-Za-z0-9] with at least one letter (Kong basic-auth)',
    check: (value) =>
      alnum(16, 128)(value) ?? (/[A-Za-z]/.test(value) ? undefined : 'has no letter'),
  },
  SECRET_KEY_BASE: {
    rule: 'exactly 64 characters (Phoenix secret_key_base of Realtime and Supavisor needs >= 64 bytes)',
    check: alnum(64, 64, true),
  },
  VAULT_ENC_KEY: {
    rule: 'exactly 32 characters (Supavisor uses it as an AES-256 key)',
    check: alnum(32, 32, true),
  },
  PG_META_CRYPTO_KEY: {
    rule: 'at least 32 characters (postgres-meta/Studio encryption key)',
    check: alnum(32),
  },
  LOGFLARE_PUBLIC_ACCESS_TOKEN: {
    rule: 'at least 32 characters from [A-Za-z0-9], different from the private token',
    check: alnum(32),
  },
  LOGFLARE_PRIVATE_ACCESS_TOKEN: {
    rule: 'at least 32 characters from [A-Za-z0-9], different from the public token',
    check: alnum(32),
  },
  S3_PROTOCOL_ACCESS_KEY_ID: {
    rule: '16-128 characters from [A-Za-z0-9] (generated: 32 hex, like upstream)',
    check: alnum(16, 128),
  },
  S3_PROTOCOL_ACCESS_KEY_SECRET: {
    rule: 'at least 32 characters from [A-Za-z0-9] (generated: 64 hex, like upstream)',
    check: alnum(32),
  },
  POOLER_TENANT_ID: {
    rule: 'a lowercase UUID (Supavisor tenant; pooler users are postgres.<tenant>)',
    check: (value) => (UUID.test(value) ? undefined : 'is not a lowercase UUID'),
  },
};

/** Placeholder values of upstream's `.env.example`; a deployment must not keep them. */
export const DEMO_SECRET_VALUES: Readonly<Partial<Record<SecretName, string>>> = {
  POSTGRES_PASSWORD: 'your-super-secret-and-long-postgres-password',
  DASHBOARD_PASSWORD: 'this_password_is_insecure_and_should_be_updated',
  SECRET_KEY_BASE: 'UpNVntn3cDxHJpq99YMc1T1AQgQpc8kfYTuRgBiYa15BLrx8etQoXz3gZv1/u2oq',
  VAULT_ENC_KEY: 'your-32-character-encryption-key',
  PG_META_CRYPTO_KEY: 'your-encryption-key-32-chars-min',
  LOGFLARE_PUBLIC_ACCESS_TOKEN: 'your-super-secret-and-long-logflare-key-public',
  LOGFLARE_PRIVATE_ACCESS_TOKEN: 'your-super-secret-and-long-logflare-key-private',
  S3_PROTOCOL_ACCESS_KEY_ID: '625729a08b95bf1b7ff351a663f3a23c',
  S3_PROTOCOL_ACCESS_KEY_SECRET: '850181e4652dd023b7a98c58ae0d2d34bd487ee0cc3254aed6eda37307425907',
  POOLER_TENANT_ID: 'your-tenant-id',
};

/** A secret that breaks its constraint. */
export interface SecretViolation {
  readonly variable: SecretName;
  /** What is wrong; never the value itself. */
  readonly problem: string;
  readonly rule: string;
}

const checkOptionsSchema = lazy(() => z.object({ requireAll: z.boolean().optional() }).optional());

/**
 * Checks every known secret present in `env` against its documented constraint, plus the
 * cross-value rules (distinct Logflare tokens, no public demo values). With `requireAll`,
 * missing secrets are reported too.
 */
export function checkSecretConstraints(
  env: Readonly<Record<string, string | undefined | null>>,
  options: { requireAll?: boolean } = {},
): SecretViolation[] {
  const values = parseEnvInput('checkSecretConstraints', env);
  const requireAll = parseInput(
    'checkSecretConstraints',
    checkOptionsSchema(),
    options,
  )?.requireAll;
  const violations: SecretViolation[] = [];
  for (const [name, constraint] of Object.entries(SECRET_CONSTRAINTS) as [
    SecretName,
    Constraint,
  ][]) {
    const value = values[name];
    if (value === undefined || value === null || value === '') {
      if (requireAll)
        violations.push({ variable: name, problem: 'is missing', rule: constraint.rule });
      continue;
    }
    if (DEMO_SECRET_VALUES[name] === value) {
      violations.push({
        variable: name,
        problem: 'is the public .env.example value',
        rule: constraint.rule,
      });
      continue;
    }
    const problem = constraint.check(value);
    if (problem) violations.push({ variable: name, problem, rule: constraint.rule });
  }
  const pub = values.LOGFLARE_PUBLIC_ACCESS_TOKEN;
  if (pub && pub === values.LOGFLARE_PRIVATE_ACCESS_TOKEN) {
    violations.push({
      variable: 'LOGFLARE_PRIVATE_ACCESS_TOKEN',
      problem: 'equals LOGFLARE_PUBLIC_ACCESS_TOKEN',
      rule: SECRET_CONSTRAINTS.LOGFLARE_PRIVATE_ACCESS_TOKEN.rule,
    });
  }
  return violations;
}

/** Throws a SecretConstraintError naming the first violated constraint (values are redacted). */
export function assertSecretConstraints(
  env: Readonly<Record<string, string | undefined | null>>,
): void {
  const violations = checkSecretConstraints(env);
  const first = violations[0];
  if (first) {
    throw new SecretConstraintError(
      first.variable,
      `${first.variable} (${redactSecret(env[first.variable])}) ${first.problem}. Rule: ${first.rule}. Fix: generate it with generateSecrets()${violations.length > 1 ? ` (and ${violations.length - 1} more violations)` : ''}.`,
    );
  }
}

/**
 * Generates the full secret set of a self-hosted Supabase with crypto randomness, each value
 * checked against its service's constraint. The API keys come from generateLegacyApiKeys().
 */
export function generateSecrets(options?: GenerateSecretsOptions): GeneratedSecrets {
  const parsed = parseInput(
    'generateSecrets',
    optionsSchema(),
    options,
    'jwtSecretLength must be an integer 32-512, password lengths integers 16-128',
  );
  let logflarePrivate = randomString(40);
  const logflarePublic = randomString(40);
  while (logflarePrivate === logflarePublic) logflarePrivate = randomString(40);
  let dashboardPassword = randomString(parsed?.dashboardPasswordLength ?? 32);
  while (!/[A-Za-z]/.test(dashboardPassword)) {
    dashboardPassword = randomString(parsed?.dashboardPasswordLength ?? 32);
  }
  const secrets: GeneratedSecrets = {
    JWT_SECRET: randomString(parsed?.jwtSecretLength ?? DEFAULT_JWT_SECRET_LENGTH),
    POSTGRES_PASSWORD: randomString(parsed?.postgresPasswordLength ?? 32),
    DASHBOARD_USERNAME: parsed?.dashboardUsername ?? 'supabase',
    DASHBOARD_PASSWORD: dashboardPassword,
    SECRET_KEY_BASE: randomString(64),
    VAULT_ENC_KEY: randomString(32),
    PG_META_CRYPTO_KEY: randomString(32),
    LOGFLARE_PUBLIC_ACCESS_TOKEN: logflarePublic,
    LOGFLARE_PRIVATE_ACCESS_TOKEN: logflarePrivate,
    S3_PROTOCOL_ACCESS_KEY_ID: randomHex(16),
    S3_PROTOCOL_ACCESS_KEY_SECRET: randomHex(32),
    POOLER_TENANT_ID: randomUuid(),
  };
  assertSecretConstraints({ ...secrets });
  return secrets;
}
