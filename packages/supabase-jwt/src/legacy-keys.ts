import { z } from 'zod';
import {
  API_KEY_ROLES,
  type ApiKeyRole,
  DEFAULT_API_KEY_LIFETIME_SECONDS,
  MIN_JWT_SECRET_LENGTH,
  SUPABASE_ISSUER,
} from './constants.js';
import { DEMO_JWT_SECRETS } from './demo.js';
import { SigningError } from './errors.js';
import { loadJose } from './jose.js';
import { lazy } from './lazy.js';
import {
  lifetimeSchema,
  lifetimeToSeconds,
  type NowInput,
  nowSchema,
  toUnixSeconds,
} from './time.js';
import { parseInput } from './validation.js';

export interface SignLegacyApiKeyInput {
  /** JWT_SECRET, used as a raw UTF-8 string (never base64-decoded). */
  secret: string;
  role: ApiKeyRole;
  /** Lifetime in seconds or as `"5y"`, `"90d"`; default 5 years. `exp` is always relative to `now`. */
  expiresIn?: number | string;
  /** Signing time (Date or epoch ms); default now. */
  now?: NowInput;
  /** Allow one of the public demo secrets (tests only). Default false. */
  allowDemoSecret?: boolean;
}

/** JWT_SECRET for signing: at least 32 UTF-8 bytes, as PostgREST counts them. */
export const jwtSecretSchema = lazy(() =>
  z
    .string()
    .max(4096, 'JWT_SECRET longer than 4096 characters is not supported')
    .refine(
      (secret) => Buffer.byteLength(secret, 'utf8') >= MIN_JWT_SECRET_LENGTH,
      `JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} bytes (UTF-8)`,
    ),
);

const signSchema = lazy(() =>
  z
    .object({
      secret: jwtSecretSchema(),
      role: z.enum(API_KEY_ROLES),
      expiresIn: lifetimeSchema().optional(),
      now: nowSchema(),
      allowDemoSecret: z.boolean().optional(),
    })
    .strict(),
);

const HINT =
  'pass { secret: JWT_SECRET (>= 32 bytes), role: "anon" | "service_role", expiresIn?: seconds or "5y", now?: Date }';

function rejectDemoSecret(functionName: string, secret: string, allow: boolean | undefined): void {
  if (!allow && DEMO_JWT_SECRETS.includes(secret)) {
    throw new SigningError(
      `${functionName}() refused to sign with a public demo JWT_SECRET: anyone could forge these keys. Fix: generate a secret with generateSecrets(), or pass allowDemoSecret: true in tests.`,
    );
  }
}

async function sign(
  secret: string,
  role: ApiKeyRole,
  iat: number,
  lifetime: number,
): Promise<string> {
  const { SignJWT } = await loadJose();
  try {
    return await new SignJWT({ role, iss: SUPABASE_ISSUER, iat, exp: iat + lifetime })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(secret));
  } catch (cause) {
    throw new SigningError(
      `Signing the ${role} key failed. Fix: check that JWT_SECRET is a plain string of 32+ characters.`,
      { cause },
    );
  }
}

/**
 * Signs one legacy API key: HS256 with JWT_SECRET as raw UTF-8, payload
 * `{ role, iss: "supabase", iat, exp }` where `exp = iat + expiresIn` (5 years by default).
 */
export async function signLegacyApiKey(input: SignLegacyApiKeyInput): Promise<string> {
  const parsed = parseInput('signLegacyApiKey', signSchema(), input, HINT);
  rejectDemoSecret('signLegacyApiKey', parsed.secret, parsed.allowDemoSecret);
  const lifetime = lifetimeToSeconds(parsed.expiresIn ?? DEFAULT_API_KEY_LIFETIME_SECONDS);
  return sign(parsed.secret, parsed.role, toUnixSeconds(parsed.now), lifetime);
}

export interface GenerateLegacyApiKeysInput {
  secret: string;
  expiresIn?: number | string;
  now?: NowInput;
  allowDemoSecret?: boolean;
}

export type LegacyApiKeys = {
  ANON_KEY: string;
  SERVICE_ROLE_KEY: string;
};

const generateSchema = lazy(() => signSchema().omit({ role: true }));

/** Signs ANON_KEY and SERVICE_ROLE_KEY with the same `iat`/`exp`. */
export async function generateLegacyApiKeys(
  input: GenerateLegacyApiKeysInput,
): Promise<LegacyApiKeys> {
  const parsed = parseInput('generateLegacyApiKeys', generateSchema(), input, HINT);
  rejectDemoSecret('generateLegacyApiKeys', parsed.secret, parsed.allowDemoSecret);
  const lifetime = lifetimeToSeconds(parsed.expiresIn ?? DEFAULT_API_KEY_LIFETIME_SECONDS);
  const iat = toUnixSeconds(parsed.now);
  const [anon, service] = await Promise.all([
    sign(parsed.secret, 'anon', iat, lifetime),
    sign(parsed.secret, 'service_role', iat, lifetime),
  ]);
  return { ANON_KEY: anon, SERVICE_ROLE_KEY: service };
}
