import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { SimCompose, SimulatorState } from './state.js';
import { atLeast, type SimVersion } from './version.js';

/*
 * Compose `env` is encrypted at rest from v0.29.12 (AES-256-GCM, key derived from
 * BETTER_AUTH_SECRET, `enc:v1:<base64 iv|tag|data>`). On a key mismatch Dokploy fails open and
 * returns the ciphertext as `env`; a write of a value that already looks encrypted is stored
 * verbatim. The simulator keeps plaintext in `state` and the secret generation each env was
 * written under, so `changeAuthSecret()` reproduces the fail-open read.
 */

const PREFIX = 'enc:v1:';

function keyOf(generation: number): Buffer {
  return createHmac('sha256', `sim-better-auth-secret-${generation}`)
    .update('dokploy:db-encryption:v1')
    .digest();
}

function encrypt(plain: string, generation: number): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(generation), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
}

function tryDecrypt(value: string, generation: number): string | undefined {
  const payload = Buffer.from(value.slice(PREFIX.length), 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(generation), payload.subarray(0, 12));
    decipher.setAuthTag(payload.subarray(12, 28));
    return Buffer.concat([decipher.update(payload.subarray(28)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}

function encryptsAtRest(version: SimVersion): boolean {
  return atLeast(version, '0.29.12');
}

/** The env as Dokploy answers it: ciphertext when it was written under another secret. */
export function envOnWire(
  state: SimulatorState,
  version: SimVersion,
  compose: SimCompose,
): string | null {
  const env = compose.env;
  if (!env || !encryptsAtRest(version)) return env;
  const generation =
    state.envSecretGenerations.get(compose.composeId) ?? state.authSecretGeneration;
  return generation === state.authSecretGeneration ? env : encrypt(env, generation);
}

/** Stores an env written through the API (update, saveEnvironment, import, template). */
export function storeEnv(
  state: SimulatorState,
  version: SimVersion,
  compose: SimCompose,
  value: string | null,
): void {
  let stored = value;
  if (value?.startsWith(PREFIX) && encryptsAtRest(version)) {
    // already "encrypted": kept as is; readable only if it was made with the current secret
    stored = tryDecrypt(value, state.authSecretGeneration) ?? value;
  }
  compose.env = stored;
  state.envSecretGenerations.set(compose.composeId, state.authSecretGeneration);
}

/** A compose row with `env` as the wire shows it. */
export function composeOnWire(
  state: SimulatorState,
  version: SimVersion,
  compose: SimCompose,
): SimCompose {
  return { ...compose, env: envOnWire(state, version, compose) };
}
