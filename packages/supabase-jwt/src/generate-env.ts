import { z } from 'zod';
import { lazy } from './lazy.js';
import { generateLegacyApiKeys, jwtSecretSchema, type LegacyApiKeys } from './legacy-keys.js';
import { generateOpaqueApiKeys, type OpaqueApiKeys } from './opaque-keys.js';
import { type GeneratedSecrets, type GenerateSecretsOptions, generateSecrets } from './secrets.js';
import {
  type AsymmetricApiKeys,
  generateAsymmetricApiKeys,
  generateSigningKeys,
} from './signing-keys.js';
import { lifetimeSchema, type NowInput, nowSchema } from './time.js';
import { parseInput } from './validation.js';

const newStyleSchema = lazy(() =>
  z
    .object({
      secret: jwtSecretSchema(),
      expiresIn: lifetimeSchema().optional(),
      now: nowSchema(),
      projectRef: z.string().min(1).max(200).optional(),
    })
    .strict(),
);

export type NewStyleKeys = AsymmetricApiKeys &
  OpaqueApiKeys & {
    JWT_KEYS: string;
    JWT_JWKS: string;
  };

/**
 * The whole new-style set for a JWT_SECRET, as upstream's `add-new-auth-keys.sh` makes it:
 * JWT_KEYS, JWT_JWKS (both with the secret as oct key), ANON_KEY_ASYMMETRIC,
 * SERVICE_ROLE_KEY_ASYMMETRIC, SUPABASE_PUBLISHABLE_KEY and SUPABASE_SECRET_KEY.
 */
export async function generateNewStyleKeys(input: {
  secret: string;
  expiresIn?: number | string;
  now?: NowInput;
  projectRef?: string;
}): Promise<NewStyleKeys> {
  const parsed = parseInput('generateNewStyleKeys', newStyleSchema(), input);
  const signing = await generateSigningKeys({ secret: parsed.secret });
  const asymmetric = await generateAsymmetricApiKeys({
    jwtKeys: signing.JWT_KEYS,
    ...(parsed.expiresIn === undefined ? {} : { expiresIn: parsed.expiresIn }),
    ...(parsed.now === undefined ? {} : { now: parsed.now }),
  });
  const opaque = generateOpaqueApiKeys(
    parsed.projectRef === undefined ? {} : { projectRef: parsed.projectRef },
  );
  return { JWT_KEYS: signing.JWT_KEYS, JWT_JWKS: signing.JWT_JWKS, ...asymmetric, ...opaque };
}

export interface GenerateSupabaseEnvOptions extends GenerateSecretsOptions {
  /** Lifetime of the API keys; default 5 years. */
  expiresIn?: number | string;
  now?: NowInput;
  /** Also generate the new-style keys (JWT_KEYS, JWT_JWKS, sb_ keys). Default false. */
  newStyleKeys?: boolean;
}

// The secret options are checked by generateSecrets(), with its own messages.
const envOptionsSchema = lazy(() =>
  z
    .object({
      jwtSecretLength: z.unknown().optional(),
      postgresPasswordLength: z.unknown().optional(),
      dashboardPasswordLength: z.unknown().optional(),
      dashboardUsername: z.unknown().optional(),
      expiresIn: lifetimeSchema().optional(),
      now: nowSchema(),
      newStyleKeys: z.boolean().optional(),
    })
    .strict()
    .optional(),
);

export type SupabaseEnv = GeneratedSecrets & LegacyApiKeys & Partial<NewStyleKeys>;

/** Secrets, ANON_KEY and SERVICE_ROLE_KEY (and optionally the new-style keys) in one call. */
export async function generateSupabaseEnv(
  options?: GenerateSupabaseEnvOptions,
): Promise<SupabaseEnv> {
  const parsed = parseInput('generateSupabaseEnv', envOptionsSchema(), options);
  const { expiresIn, now, newStyleKeys, ...secretOptions } = parsed ?? {};
  const secrets = generateSecrets(secretOptions as GenerateSecretsOptions);
  const timing = {
    ...(expiresIn === undefined ? {} : { expiresIn }),
    ...(now === undefined ? {} : { now }),
  };
  const legacy = await generateLegacyApiKeys({ secret: secrets.JWT_SECRET, ...timing });
  const extra = newStyleKeys
    ? await generateNewStyleKeys({ secret: secrets.JWT_SECRET, ...timing })
    : {};
  return { ...secrets, ...legacy, ...extra };
}
