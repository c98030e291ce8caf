import { randomBytes, scrypt as scryptCb } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import {
  BackupKeyDerivationError,
  BackupKeyEnvMissingError,
  BackupKeyFileUnreadableError,
  BackupKeyKindMismatchError,
  BackupKeyMalformedError,
} from './key-errors.js';
import { parseInput } from './validation.js';

/** Where the 32-byte master key comes from. */
export type KeySource =
  | { passphrase: string; scrypt?: Partial<ScryptParams> }
  | { keyFile: string }
  | { keyEnv: string }
  | { key: Uint8Array };

export interface ScryptParams {
  /** log2 of the scrypt cost N. Default 15 (N = 32768, 32 MiB of memory with r = 8). */
  logN: number;
  r: number;
  p: number;
}

/** KDF parameters as stored in manifests and headers: never key material. */
export type KdfParams =
  | { name: 'none' }
  | { name: 'scrypt'; salt: string; logN: number; r: number; p: number };

export interface MasterKey {
  /** 32 bytes. Keep it out of logs. */
  readonly key: Buffer;
  readonly kdf: KdfParams;
}

/** scrypt needs 128·N·r bytes; larger parameter sets are refused. */
const MAX_SCRYPT_MEMORY = 1536 * 1024 * 1024;

export const DEFAULT_SCRYPT: ScryptParams = { logN: 15, r: 8, p: 1 };

const scryptSchema = z.object({
  logN: z.number().int().min(10).max(22),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
});

export const keySourceSchema = z.union([
  z
    .object({
      passphrase: z.string().min(8, 'a passphrase needs at least 8 characters'),
      scrypt: scryptSchema.partial().optional(),
    })
    .strict(),
  z.object({ keyFile: z.string().min(1) }).strict(),
  z.object({ keyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) }).strict(),
  z.object({ key: z.instanceof(Uint8Array) }).strict(),
]);

const kdfSchema = z.union([
  z.object({ name: z.literal('none') }),
  z.object({
    name: z.literal('scrypt'),
    salt: z.string().regex(/^[A-Za-z0-9+/]{22}==$/, 'a base64 16-byte salt'),
    logN: z.number().int().min(10).max(22),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
  }),
]);

function scrypt(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.logN;
  return new Promise((resolve, reject) => {
    scryptCb(
      passphrase.normalize('NFC'),
      salt,
      32,
      { N, r: params.r, p: params.p, maxmem: MAX_SCRYPT_MEMORY },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** The 32-byte key in raw bytes, 64 hex characters or base64, or undefined when it is none of them. */
export function decodeRawKey(data: Buffer | string): Buffer | undefined {
  const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (buffer.length === 32) return Buffer.from(buffer);
  const text = buffer.toString('utf8').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const decoded = Buffer.from(text, 'base64');
    if (decoded.length === 32) return decoded;
  }
  return undefined;
}

/** Reads a 32-byte key given as raw bytes, 64 hex characters or base64 (surrounding space ignored). */
export function parseRawKey(data: Buffer | string, origin: string): Buffer {
  const key = decodeRawKey(data);
  if (key) return key;
  const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  throw new BackupKeyMalformedError(
    `The key from ${origin} is not 32 bytes (got ${buffer.length} bytes that are neither 64 hex characters nor base64 of 32 bytes). ` +
      'Fix: generate one with `openssl rand -out backup.key 32` (or `openssl rand -hex 32` for an environment variable).',
  );
}

/**
 * Turns a key source into the 32-byte master key. For a passphrase, pass the stored `kdf`
 * parameters to re-derive an existing backup's key; without them a fresh salt is drawn.
 */
export async function deriveKey(source: KeySource, kdf?: KdfParams): Promise<MasterKey> {
  const input = parseInput(keySourceSchema, source, 'key source');
  const stored = kdf === undefined ? undefined : parseInput(kdfSchema, kdf, 'KDF parameters');
  if ('passphrase' in input) {
    if (stored && stored.name !== 'scrypt') {
      throw new BackupKeyKindMismatchError(
        'key',
        'This backup was encrypted with a raw key, but a passphrase was given. Fix: pass { keyFile } or { keyEnv } or { key } with the original key.',
      );
    }
    const params: ScryptParams = stored
      ? { logN: stored.logN, r: stored.r, p: stored.p }
      : { ...DEFAULT_SCRYPT, ...input.scrypt };
    const salt = stored ? Buffer.from(stored.salt, 'base64') : randomBytes(16);
    const key = await scrypt(input.passphrase, salt, params).catch((error: unknown) => {
      throw new BackupKeyDerivationError(
        `scrypt failed with logN=${params.logN} r=${params.r} p=${params.p}: ${(error as Error).message}. Fix: use smaller parameters.`,
        { cause: error },
      );
    });
    return { key, kdf: { name: 'scrypt', salt: salt.toString('base64'), ...params } };
  }
  if (stored && stored.name !== 'none') {
    throw new BackupKeyKindMismatchError(
      'passphrase',
      'This backup was encrypted with a passphrase (scrypt), but a raw key was given. Fix: pass { passphrase }.',
    );
  }
  let key: Buffer;
  if ('keyFile' in input) {
    const data = await readFile(input.keyFile).catch((error: unknown) => {
      throw new BackupKeyFileUnreadableError(
        input.keyFile,
        `Could not read the key file ${input.keyFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Fix: check the path and its permissions.`,
        { cause: error },
      );
    });
    key = parseRawKey(data, `key file ${input.keyFile}`);
  } else if ('keyEnv' in input) {
    const value = process.env[input.keyEnv];
    if (!value) {
      throw new BackupKeyEnvMissingError(
        input.keyEnv,
        `The environment variable ${input.keyEnv} is not set or empty. Fix: export it with a 32-byte key in hex or base64.`,
      );
    }
    key = parseRawKey(value, `environment variable ${input.keyEnv}`);
  } else {
    key = parseRawKey(Buffer.from(input.key), 'the given key bytes');
  }
  return { key, kdf: { name: 'none' } };
}
