import { notYet } from './stub.js';
import type { OpenSecretStoreOptions, SecretStore } from './types.js';
export async function openSecretStore(_options: OpenSecretStoreOptions): Promise<SecretStore> {
  return notYet('openSecretStore');
}
