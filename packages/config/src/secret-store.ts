import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-write.js';
import { DEFAULT_SECRET_KEY_ENV } from './constants.js';
import { SecretStoreError } from './errors.js';
import { envSchema, parseWith } from './issues.js';
import { supaopsPaths } from './paths.js';
import {
  DEFAULT_SCRYPT,
  deriveKey,
  parseRawKey,
  type ScryptParams,
  seal,
  unseal,
} from './secret-crypto.js';
import type { OpenSecretStoreOptions, SecretStore } from './types.js';

const FORMAT = 'supaops-secret-store';
const CHECK_TEXT = 'supaops-secret-store-check-v1';
const CHECK_AAD = 'check';
const ENTRY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/;
/** Env var with a passphrase, for non-interactive use when no raw key is set. */
export const SECRET_PASSPHRASE_ENV = 'SUPAOPS_SECRET_PASSPHRASE';

const sealedSchema = z.object({
  iv: z.string().min(1),
  tag: z.string().min(1),
  data: z.string(),
});
const fileSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  kdf: z.discriminatedUnion('name', [
    z.object({
      name: z.literal('scrypt'),
      salt: z.string().min(16),
      N: z.int().min(2),
      r: z.int().min(1),
      p: z.int().min(1),
    }),
    z.object({ name: z.literal('raw') }),
  ]),
  check: sealedSchema,
  entries: z.record(z.string(), sealedSchema.extend({ updatedAt: z.string().optional() })),
});
type StoreFile = z.infer<typeof fileSchema>;

const optionsSchema = z.strictObject({
  path: z.string().min(1).optional(),
  passphrase: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  env: envSchema.optional(),
  keyEnv: z.string().min(1).optional(),
  /** Test and low-memory hook; recorded in the file. */
  scrypt: z.strictObject({ N: z.int().min(2), r: z.int().min(1), p: z.int().min(1) }).optional(),
});

type Secret =
  | { kind: 'raw'; key: Buffer; from: string }
  | { kind: 'passphrase'; passphrase: string; from: string };

/**
 * Opens (and on first `set`, creates) the local secret store: a JSON file of AES-256-GCM sealed
 * entries, mode 0600. The key is `key`, else `passphrase` (scrypt, parameters and salt recorded),
 * else a raw 32-byte key in env SUPAOPS_SECRET_KEY (or `keyEnv`), else a passphrase in env
 * SUPAOPS_SECRET_PASSPHRASE. A wrong key is a SecretStoreError with reason 'wrong-key'.
 */
export async function openSecretStore(options: OpenSecretStoreOptions = {}): Promise<SecretStore> {
  const opts = parseWith(optionsSchema, options, 'openSecretStore options');
  const env = options.env ?? process.env;
  const file = path.resolve(
    opts.path ?? env.SUPAOPS_SECRET_STORE ?? path.join(supaopsPaths(env).data, 'secrets.json'),
  );
  const secret = pickSecret(file, opts, env);
  const keys = new Map<string, Buffer>();
  const scryptParams: ScryptParams = opts.scrypt ?? DEFAULT_SCRYPT;

  // Every call reads the file again so other processes' changes are seen.
  async function load(): Promise<{ store: StoreFile; key: Buffer; fresh: boolean }> {
    const existing = await readStore(file);
    if (existing) return { store: existing, key: await keyFor(existing), fresh: false };
    const store = await createStore(secret, scryptParams);
    return { store, key: await keyFor(store), fresh: true };
  }

  async function keyFor(store: StoreFile): Promise<Buffer> {
    const id = store.kdf.name === 'scrypt' ? store.kdf.salt : 'raw';
    const cached = keys.get(id);
    if (cached) return cached;
    const key = await deriveFor(file, store, secret);
    try {
      if (unseal(key, store.check, CHECK_AAD) !== CHECK_TEXT) throw new Error('check mismatch');
    } catch (error) {
      throw new SecretStoreError(
        file,
        'wrong-key',
        `The ${secret.kind === 'raw' ? 'key' : 'passphrase'} (from ${secret.from}) does not open the secret store ${file}: wrong ${secret.kind === 'raw' ? 'key' : 'passphrase'}. Fix: give the one the store was created with, or move the file away to start a new store.`,
        { cause: error },
      );
    }
    keys.set(id, key);
    return key;
  }

  async function save(store: StoreFile): Promise<void> {
    try {
      await writeFileAtomic(file, `${JSON.stringify(store, null, 2)}\n`);
    } catch (error) {
      throw new SecretStoreError(
        file,
        'io',
        `Cannot write the secret store ${file}: ${(error as Error).message}. Fix: check that its directory is writable by this user.`,
        { cause: error },
      );
    }
  }

  const entryName = (name: unknown) =>
    parseWith(
      z.string().regex(ENTRY_NAME, {
        error: 'is not a valid secret name. Fix: use letters, digits, "_", ".", ":", "/" or "-"',
      }),
      name,
      'secret name',
    );

  // Opening checks the key right away when the store exists.
  await load();

  return {
    async get(name) {
      const valid = entryName(name);
      const { store, key } = await load();
      const entry = store.entries[valid];
      if (!entry) return undefined;
      try {
        return unseal(key, entry, `entry:${valid}`);
      } catch (error) {
        throw new SecretStoreError(
          file,
          'corrupt',
          `The entry "${valid}" of the secret store ${file} fails authentication: it was altered or damaged. Fix: set it again (supaops secret set ${valid}).`,
          { cause: error },
        );
      }
    },
    async set(name, value) {
      const valid = entryName(name);
      parseWith(z.string(), value, 'secret value');
      const { store, key } = await load();
      store.entries[valid] = {
        ...seal(key, value, `entry:${valid}`),
        updatedAt: new Date().toISOString(),
      };
      await save(store);
    },
    async delete(name) {
      const valid = entryName(name);
      const { store, fresh } = await load();
      if (fresh || !(valid in store.entries)) return false;
      delete store.entries[valid];
      await save(store);
      return true;
    },
    async list() {
      const { store } = await load();
      return Object.keys(store.entries).sort();
    },
  };
}

function pickSecret(
  file: string,
  opts: z.infer<typeof optionsSchema>,
  env: NodeJS.ProcessEnv,
): Secret {
  const keyEnv = opts.keyEnv ?? DEFAULT_SECRET_KEY_ENV;
  const raw = (text: string, from: string): Secret => {
    const key = parseRawKey(text);
    if (!key) {
      throw new SecretStoreError(
        file,
        'bad-key',
        `The secret-store key from ${from} is not 32 bytes in hex (64 digits) or base64 (44 characters). Fix: generate one with: openssl rand -base64 32`,
      );
    }
    return { kind: 'raw', key, from };
  };
  if (opts.key) return raw(opts.key, 'options.key');
  if (opts.passphrase)
    return { kind: 'passphrase', passphrase: opts.passphrase, from: 'options.passphrase' };
  const envKey = env[keyEnv];
  if (envKey) return raw(envKey, keyEnv);
  const envPass = env[SECRET_PASSPHRASE_ENV];
  if (envPass) return { kind: 'passphrase', passphrase: envPass, from: SECRET_PASSPHRASE_ENV };
  throw new SecretStoreError(
    file,
    'no-key',
    `No key for the secret store ${file}. Fix: set ${keyEnv} to a raw 32-byte key (openssl rand -base64 32) or ${SECRET_PASSPHRASE_ENV} to a passphrase, or pass one.`,
  );
}

async function createStore(secret: Secret, params: ScryptParams): Promise<StoreFile> {
  if (secret.kind === 'raw') {
    const kdf: StoreFile['kdf'] = { name: 'raw' };
    return {
      format: FORMAT,
      version: 1,
      kdf,
      check: seal(secret.key, CHECK_TEXT, CHECK_AAD),
      entries: {},
    };
  }
  const kdf = { name: 'scrypt' as const, salt: randomBytes(16).toString('base64'), ...params };
  const key = await derive(secret.passphrase, kdf);
  return { format: FORMAT, version: 1, kdf, check: seal(key, CHECK_TEXT, CHECK_AAD), entries: {} };
}

async function deriveFor(file: string, store: StoreFile, secret: Secret): Promise<Buffer> {
  if (store.kdf.name === 'raw') {
    if (secret.kind === 'raw') return secret.key;
    throw new SecretStoreError(
      file,
      'key-mismatch',
      `The secret store ${file} was created with a raw key, but a passphrase was given (from ${secret.from}). Fix: set SUPAOPS_SECRET_KEY to the store's key.`,
    );
  }
  if (secret.kind === 'passphrase') return derive(secret.passphrase, store.kdf);
  throw new SecretStoreError(
    file,
    'key-mismatch',
    `The secret store ${file} was created with a passphrase, but a raw key was given (from ${secret.from}). Fix: give the passphrase (${SECRET_PASSPHRASE_ENV}) instead.`,
  );
}

function derive(passphrase: string, kdf: Extract<StoreFile['kdf'], { name: 'scrypt' }>) {
  return deriveKey(passphrase, Buffer.from(kdf.salt, 'base64'), kdf);
}

async function readStore(file: string): Promise<StoreFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SecretStoreError(
      file,
      'io',
      `Cannot read the secret store ${file}: ${(error as Error).message}. Fix: make it readable by this user.`,
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    json = error;
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw new SecretStoreError(
      file,
      'corrupt',
      `The secret store ${file} is not a supaops secret store (damaged or another file). Fix: restore it from a backup, or move it away to start a new store.`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
