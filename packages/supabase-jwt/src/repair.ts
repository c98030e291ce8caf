import { z } from 'zod';
import { SERVICES_BY_VARIABLE } from './constants.js';
import { type Diagnosis, diagnoseKeys, type EnvSource, type KeyEnv } from './diagnose.js';
import type { Finding, FindingCode } from './finding-codes.js';
import { lazy } from './lazy.js';
import { generateLegacyApiKeys } from './legacy-keys.js';
import { generateOpaqueApiKeys } from './opaque-keys.js';
import { redactSecret } from './redact.js';
import { generateSecrets } from './secrets.js';
import { generateAsymmetricApiKeys, generateSigningKeys } from './signing-keys.js';
import { lifetimeSchema, type NowInput, nowSchema } from './time.js';
import { parseInput } from './validation.js';

export interface PlanKeyRepairOptions {
  now?: NowInput;
  /** Lifetime of re-signed keys; default 5 years. */
  expiresIn?: number | string;
  /** Length of a new JWT_SECRET; default 40. */
  jwtSecretLength?: number;
  /** Project ref for the sb_ key checksum; default `supabase-self-hosted`. */
  projectRef?: string;
  /** Where the values come from, as in diagnoseKeys(): `'env'` (default) or `'dotenv'`. */
  source?: EnvSource;
}

export interface RepairConsequences {
  /** Compose services to restart (recreate) so they read the new values. */
  restartServices: string[];
  /** Who must receive new values outside the deployment. */
  clientsToUpdate: string[];
  /** Further steps and effects. */
  notes: string[];
}

export interface KeyRepairPlan {
  /** True when at least one value changes. */
  needed: boolean;
  /** True when JWT_SECRET itself is replaced (it was missing, short or public). */
  rotateSecret: boolean;
  /** The corrected values to write into the env. Holds secrets: never log it; use `summary`. */
  changes: Record<string, string>;
  /** The findings the plan answers (diagnosis before). */
  findings: Finding[];
  /** Diagnosis of the env with the changes applied. */
  after: Diagnosis;
  consequences: RepairConsequences;
  /** One redacted line per change, safe to print. */
  summary: string[];
}

const optionsSchema = lazy(() =>
  z
    .object({
      now: nowSchema(),
      expiresIn: lifetimeSchema().optional(),
      jwtSecretLength: z.number().int().min(32).max(512).optional(),
      projectRef: z.string().min(1).max(200).optional(),
      source: z.enum(['env', 'dotenv']).optional(),
    })
    .strict()
    .optional(),
);

const SECRET_CODES: readonly FindingCode[] = [
  'JWT_SECRET_MISSING',
  'JWT_SECRET_TOO_SHORT',
  'JWT_SECRET_DEMO',
];
/** Findings that do not by themselves justify new keys (and new values for every client). */
const COSMETIC: readonly FindingCode[] = [
  'JWT_ISS_UNEXPECTED',
  'JWT_KEY_UNTRIMMED',
  'API_KEY_CHECKSUM_MISMATCH',
];
const PAIR_CODES: readonly FindingCode[] = ['JWT_IDENTICAL_KEYS', 'JWT_ROLES_SWAPPED'];

function present(value: string | undefined | null): value is string {
  return (
    typeof value === 'string' &&
    value.trim() !== '' &&
    value.trim() !== '[]' &&
    value.trim() !== '{"keys":[]}'
  );
}

function needsNew(findings: Finding[], variables: readonly string[]): boolean {
  return findings.some(
    (item) => variables.includes(item.variable) && !COSMETIC.includes(item.code),
  );
}

function trimmedValue(value: string): string {
  let out = value.trim();
  if (out.length >= 2 && (out[0] === '"' || out[0] === "'") && out.at(-1) === out[0])
    out = out.slice(1, -1).trim();
  return out;
}

/**
 * Plans the repair of an env's keys: new API keys signed with the existing JWT_SECRET when
 * it is sound, otherwise a new JWT_SECRET and new keys; new-style keys are rebuilt when they
 * are broken or depend on a replaced secret. Lists the services to restart and the clients
 * to update, and diagnoses the repaired env.
 */
export async function planKeyRepair(
  env: KeyEnv,
  options?: PlanKeyRepairOptions,
): Promise<KeyRepairPlan> {
  const parsed = parseInput('planKeyRepair', optionsSchema(), options);
  const source = parsed?.source ?? 'env';
  const diagnoseOptions = { source, ...(parsed?.now === undefined ? {} : { now: parsed.now }) };
  const before = diagnoseKeys(env, diagnoseOptions);
  const findings = before.findings;
  const changes: Record<string, string> = {};
  const notes: string[] = [];
  const has = (code: FindingCode) => findings.some((item) => item.code === code);

  // JWT_SECRET
  const rotateSecret = SECRET_CODES.some(has);
  // The secret the services use: a parsed env's value verbatim, a .env line's trimmed.
  const rawSecret = typeof env.JWT_SECRET === 'string' ? env.JWT_SECRET : '';
  let secret = source === 'dotenv' ? trimmedValue(rawSecret) : rawSecret;
  if (rotateSecret) {
    secret = generateSecrets(
      parsed?.jwtSecretLength === undefined ? {} : { jwtSecretLength: parsed.jwtSecretLength },
    ).JWT_SECRET;
    changes.JWT_SECRET = secret;
  } else if (has('JWT_SECRET_VERBATIM_MISMATCH')) {
    // The keys were signed with the trimmed value: cleaning the secret makes them verify.
    secret = trimmedValue(rawSecret);
    changes.JWT_SECRET = secret;
    notes.push(
      'JWT_SECRET loses the whitespace or quotes the services took as part of it: the keys verify again. User tokens Auth signed with the old value stop verifying, and app.settings.jwt_secret in the database must be set to the cleaned value too (ALTER DATABASE postgres SET "app.settings.jwt_secret" TO …).',
    );
  } else if (source === 'dotenv' && has('JWT_SECRET_UNTRIMMED')) {
    changes.JWT_SECRET = secret;
  }
  // Trimming the secret keeps the key material: only a replaced secret forces new keys.
  const secretChanged = rotateSecret;

  // Legacy keys
  const pairBroken = findings.some(
    (item) => PAIR_CODES.includes(item.code) && item.variable === 'ANON_KEY',
  );
  const signed = {
    ...(parsed?.now === undefined ? {} : { now: parsed.now }),
    ...(parsed?.expiresIn === undefined ? {} : { expiresIn: parsed.expiresIn }),
  };
  const resignAnon = secretChanged || pairBroken || needsNew(findings, ['ANON_KEY']);
  const resignService = secretChanged || pairBroken || needsNew(findings, ['SERVICE_ROLE_KEY']);
  if (resignAnon || resignService) {
    const keys = await generateLegacyApiKeys({ secret, ...signed });
    if (resignAnon) changes.ANON_KEY = keys.ANON_KEY;
    if (resignService) changes.SERVICE_ROLE_KEY = keys.SERVICE_ROLE_KEY;
  }
  // New-style keys
  const newStyle = [
    'JWT_KEYS',
    'JWT_JWKS',
    'ANON_KEY_ASYMMETRIC',
    'SERVICE_ROLE_KEY_ASYMMETRIC',
    'SUPABASE_PUBLISHABLE_KEY',
    'SUPABASE_SECRET_KEY',
  ];
  const usesNewStyle = newStyle.some((variable) => present(env[variable]));
  if (usesNewStyle) {
    const rebuildSigning =
      (secretChanged && (present(env.JWT_KEYS) || present(env.JWT_JWKS))) ||
      needsNew(findings, ['JWT_KEYS', 'JWT_JWKS']) ||
      findings.some((item) => item.code === 'JWT_KID_MISMATCH');
    let jwtKeys = typeof env.JWT_KEYS === 'string' ? env.JWT_KEYS : '[]';
    if (rebuildSigning) {
      const signing = await generateSigningKeys({ secret });
      changes.JWT_KEYS = signing.JWT_KEYS;
      changes.JWT_JWKS = signing.JWT_JWKS;
      jwtKeys = signing.JWT_KEYS;
      notes.push(
        'Auth signs user tokens with the new EC key; user access tokens signed with the old EC key stop verifying, so those users sign in again.',
      );
    }
    const anyAsymmetric =
      present(env.ANON_KEY_ASYMMETRIC) ||
      present(env.SERVICE_ROLE_KEY_ASYMMETRIC) ||
      present(env.SUPABASE_PUBLISHABLE_KEY) ||
      present(env.SUPABASE_SECRET_KEY);
    if (
      anyAsymmetric &&
      (rebuildSigning || needsNew(findings, ['ANON_KEY_ASYMMETRIC', 'SERVICE_ROLE_KEY_ASYMMETRIC']))
    ) {
      const asymmetric = await generateAsymmetricApiKeys({ jwtKeys, ...signed });
      Object.assign(changes, asymmetric);
    }
    if (needsNew(findings, ['SUPABASE_PUBLISHABLE_KEY', 'SUPABASE_SECRET_KEY'])) {
      Object.assign(
        changes,
        generateOpaqueApiKeys(
          parsed?.projectRef === undefined ? {} : { projectRef: parsed.projectRef },
        ),
      );
    }
  }

  // Values that only need their whitespace/quotes removed
  for (const item of findings) {
    const value = env[item.variable];
    if (
      item.code === 'JWT_KEY_UNTRIMMED' &&
      changes[item.variable] === undefined &&
      typeof value === 'string'
    ) {
      changes[item.variable] = trimmedValue(value);
    }
  }

  // Consequences
  const changed = Object.keys(changes);
  const restart = new Set<string>();
  for (const variable of changed)
    for (const service of SERVICES_BY_VARIABLE[variable] ?? []) restart.add(service);
  const clientsToUpdate: string[] = [];
  if (resignAnon) {
    clientsToUpdate.push(
      'Every client holding the old ANON_KEY (browser and mobile apps, supabase-js createClient(url, anonKey), .env files of front ends) must get the new ANON_KEY; the old one stops working.',
    );
  }
  if (resignService) {
    clientsToUpdate.push(
      'Server-side code, CI secrets and scripts holding SERVICE_ROLE_KEY must get the new value.',
    );
  }
  if (changes.SUPABASE_PUBLISHABLE_KEY !== undefined) {
    clientsToUpdate.push(
      'Clients using the sb_publishable_ key must get the new SUPABASE_PUBLISHABLE_KEY; server code using sb_secret_ must get the new SUPABASE_SECRET_KEY.',
    );
  }
  if (rotateSecret) {
    notes.push(
      'JWT_SECRET is replaced: every user access token signed with the old secret stops verifying, so users sign in again.',
      'The db service reads JWT_SECRET only at first boot (jwt.sql sets app.settings.jwt_secret): run ALTER DATABASE postgres SET "app.settings.jwt_secret" TO the new JWT_SECRET as supabase_admin, or the database keeps the old value.',
    );
  }
  if (changed.length > 0) {
    notes.push(
      'On Dokploy: write the changes into the compose environment, then redeploy the compose so every listed service is recreated with the new env.',
    );
  }
  const summary = changed.map((variable) => {
    const old = env[variable];
    return `${variable}: ${typeof old === 'string' && old !== '' ? redactSecret(old) : '(unset)'} → ${redactSecret(changes[variable])}`;
  });
  const after = diagnoseKeys({ ...env, ...changes }, diagnoseOptions);
  return {
    needed: changed.length > 0,
    rotateSecret,
    changes,
    findings,
    after,
    consequences: { restartServices: [...restart].sort(), clientsToUpdate, notes },
    summary,
  };
}
