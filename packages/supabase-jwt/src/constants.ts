/** The two roles of the legacy API keys. */
export const API_KEY_ROLES = ['anon', 'service_role'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** The issuer upstream's `generate-keys.sh` writes. */
export const SUPABASE_ISSUER = 'supabase';

/** The issuer Dokploy's `generateJwt` fills in when the template payload did not parse. */
export const DOKPLOY_FALLBACK_ISSUER = 'dokploy';

/** Dokploy's fixed default `exp`: 2030-01-01T00:00:00Z, a time bomb in every template key. */
export const DOKPLOY_FIXED_EXP = 1_893_456_000;

/** Minimum length of `JWT_SECRET` (GoTrue and Studio require 32 characters). */
export const MIN_JWT_SECRET_LENGTH = 32;

/** Default length of a generated `JWT_SECRET`. */
export const DEFAULT_JWT_SECRET_LENGTH = 40;

/** Default lifetime of generated API keys: 5 years, like upstream's `generate-keys.sh`. */
export const DEFAULT_API_KEY_LIFETIME_SECONDS = 5 * 365 * 24 * 3600;

/** Clock skew PostgREST allows on `iat` (and on exp/nbf): 30 s (`allowedSkewSeconds`). */
export const CLOCK_SKEW_SECONDS = 30;

export const DAY_SECONDS = 24 * 3600;

/** Project ref upstream's `add-new-auth-keys.sh` uses in the sb_ key checksum. */
export const SELF_HOSTED_PROJECT_REF = 'supabase-self-hosted';

export const PUBLISHABLE_KEY_PREFIX = 'sb_publishable_';
export const SECRET_KEY_PREFIX = 'sb_secret_';

/** Compose services that read each key variable (Dokploy template and upstream compose). */
export const SERVICES_BY_VARIABLE: Readonly<Record<string, readonly string[]>> = {
  JWT_SECRET: ['auth', 'rest', 'realtime', 'storage', 'functions', 'studio', 'db', 'supavisor'],
  ANON_KEY: ['kong', 'studio', 'storage', 'functions', 'realtime'],
  SERVICE_ROLE_KEY: ['kong', 'studio', 'storage', 'functions'],
  JWT_KEYS: ['auth'],
  JWT_JWKS: ['rest', 'realtime', 'storage'],
  ANON_KEY_ASYMMETRIC: ['kong'],
  SERVICE_ROLE_KEY_ASYMMETRIC: ['kong'],
  SUPABASE_PUBLISHABLE_KEY: ['kong', 'functions'],
  SUPABASE_SECRET_KEY: ['kong', 'functions'],
};

/** Upper bounds on what diagnosis reads; longer values are reported, not parsed. */
export const MAX_TOKEN_LENGTH = 16 * 1024;
export const MAX_JSON_LENGTH = 256 * 1024;
export const MAX_SECRET_DECODE_LENGTH = 4096;
