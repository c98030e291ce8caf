export const CONFIG_FILE_NAME = 'supaops.config.json';
/** Env var holding a raw 32-byte secret-store key (base64 or hex). */
export const DEFAULT_SECRET_KEY_ENV = 'SUPAOPS_SECRET_KEY';
/** The `$schema` written into new config files. */
export const CONFIG_SCHEMA_URL =
  'https://unpkg.com/@supaops/config/schema/supaops.config.schema.json';
/** The instance SUPAOPS_DB_URL creates. */
export const ENV_INSTANCE_NAME = 'env';
