import { z } from 'zod';
import { parseWith } from './issues.js';
import { openSecretStore } from './secret-store.js';
import type { ConfiguredSecretStoreOptions, LoadedConfig, SecretStore } from './types.js';

const optionsSchema = z.strictObject({ passphrase: z.string().min(1).optional() }).optional();

/**
 * The secret store the config points at: `config.secretStore.path` (else SUPAOPS_SECRET_STORE,
 * else `<data dir>/secrets.json`) with the key from `secretStore.keyEnv` (else SUPAOPS_SECRET_KEY,
 * else SUPAOPS_SECRET_PASSPHRASE), read from `loaded.env`. The same store `resolveInstance` opens.
 */
export async function openConfiguredSecretStore(
  loaded: LoadedConfig,
  options?: ConfiguredSecretStoreOptions,
): Promise<SecretStore> {
  const opts = parseWith(optionsSchema, options, 'openConfiguredSecretStore options') ?? {};
  const { secretStore } = loaded.config;
  return openSecretStore({
    ...(secretStore?.path ? { path: secretStore.path } : {}),
    ...(secretStore?.keyEnv ? { keyEnv: secretStore.keyEnv } : {}),
    ...(opts.passphrase ? { passphrase: opts.passphrase } : {}),
    env: loaded.env,
  });
}
