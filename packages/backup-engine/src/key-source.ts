import { z } from 'zod';
import { decodeRawKey, type KeySource } from './keys.js';
import { parseInput } from './validation.js';

const secretSchema = z.string().min(1, 'the encryption secret is empty');
const passphraseSchema = z
  .string()
  .min(
    8,
    'neither a 32-byte key (64 hex characters or base64) nor a passphrase of at least 8 characters',
  );

/**
 * Turns a configured backup encryption secret (config's `backups.encryptionKey`, already
 * resolved) into a key source: a raw 32-byte key when `parseRawKey` accepts it (64 hex
 * characters, base64 of 32 bytes, or text of exactly 32 bytes), otherwise a passphrase.
 *
 * The rule is `parseRawKey`'s on purpose: it is the one the apps applied before this function
 * existed, so backups they made keep their key kind (a passphrase of exactly 32 bytes has always
 * been used as the raw key bytes). Throws `BackupValidationError` for an empty secret and for a
 * passphrase shorter than 8 characters, without echoing the secret.
 */
export function keySourceFromSecret(secret: string): KeySource {
  const value = parseInput(secretSchema, secret, 'encryption secret');
  const key = decodeRawKey(value);
  if (key) return { key };
  return { passphrase: parseInput(passphraseSchema, value, 'encryption secret') };
}
