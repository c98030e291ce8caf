import { join } from 'node:path';
import {
  type BackupStorage,
  createStorage,
  type KeySource,
  type StorageSpec,
} from '@supaops/backup-engine';
import { z } from 'zod';

/** Where a backup goes: a plain spec (`{ type: 'local', dir }`, `{ type: 's3', … }`) or a storage. */
export type StorageInput = StorageSpec | BackupStorage;

const isStorage = (v: unknown): v is BackupStorage =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as BackupStorage).put === 'function' &&
  typeof (v as BackupStorage).get === 'function';

const isSpec = (v: unknown): v is StorageSpec =>
  typeof v === 'object' &&
  v !== null &&
  ((v as StorageSpec).type === 'local' || (v as StorageSpec).type === 's3');

export const storageInputSchema = z.custom<StorageInput>(
  (v) => isStorage(v) || isSpec(v),
  'a backup-engine storage spec ({ type: "local", dir } or { type: "s3", bucket, … }) or a BackupStorage',
);

export const keySourceSchema = z.union([
  z.literal(false),
  z.custom<KeySource>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      ('passphrase' in v || 'keyFile' in v || 'keyEnv' in v || 'key' in v),
    'a backup-engine key source ({ passphrase } | { keyFile } | { keyEnv } | { key }) or false',
  ),
]);

/** The storage, and where a backup id lands in it (a path, or an s3:// URL), without secrets. */
export function openStorage(input: StorageInput): {
  storage: BackupStorage;
  locate(id: string): string;
} {
  if (isStorage(input)) return { storage: input, locate: (id) => `${input.description}: ${id}` };
  const storage = createStorage(input);
  if (input.type === 'local') return { storage, locate: (id) => join(input.dir, id) };
  const prefix = (input.prefix ?? '').replace(/^\/+/, '');
  const withSlash = prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix;
  return { storage, locate: (id) => `s3://${input.bucket}/${withSlash}${id}/` };
}
