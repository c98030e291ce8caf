import { z } from 'zod';
import { parseInput } from '../validation.js';
import { createLocalStorage } from './local.js';
import { createS3Storage } from './s3.js';
import type { BackupStorage } from './types.js';

/**
 * Where backups live, as plain serializable data (the shape a config file holds once its
 * secrets are resolved). `prefix` may omit the trailing `/`; credentials come as a pair or
 * not at all (then the AWS SDK's default chain applies).
 */
export type StorageSpec =
  | { type: 'local'; dir: string }
  | {
      type: 's3';
      bucket: string;
      prefix?: string;
      region?: string;
      endpoint?: string;
      forcePathStyle?: boolean;
      accessKeyId?: string;
      secretAccessKey?: string;
    };

const localSchema = z
  .object({ type: z.literal('local'), dir: z.string().min(1, 'the directory is empty') })
  .strict();

const s3Schema = z
  .object({
    type: z.literal('s3'),
    bucket: z
      .string()
      .min(3, 'a bucket name has 3 to 63 characters')
      .max(63, 'a bucket name has 3 to 63 characters'),
    prefix: z
      .string()
      // "backups/prod" and "/backups/prod/" both mean the folder backups/prod/
      .transform((p) => p.replace(/^\/+/, '').replace(/([^/])$/, '$1/'))
      .pipe(
        z
          .string()
          .regex(
            /^([A-Za-z0-9._-]+\/)*$/,
            'a prefix is /-separated segments of letters, digits, ".", "_" and "-"',
          ),
      )
      .optional(),
    region: z.string().min(1, 'the region is empty').optional(),
    endpoint: z.url('the endpoint must be a URL such as http://127.0.0.1:9000').optional(),
    forcePathStyle: z.boolean().optional(),
    accessKeyId: z.string().min(1, 'the access key id is empty').optional(),
    secretAccessKey: z.string().min(1, 'the secret access key is empty').optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    // one half of a key pair is a mistake the SDK would only report at the first request
    if ((spec.accessKeyId === undefined) !== (spec.secretAccessKey === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [spec.accessKeyId === undefined ? 'accessKeyId' : 'secretAccessKey'],
        message: 'accessKeyId and secretAccessKey go together: give both or neither',
      });
    }
  });

const specSchema = z.discriminatedUnion('type', [localSchema, s3Schema], {
  error: 'type must be "local" or "s3"',
});

/**
 * Turns a plain storage spec into the local or S3 storage: `{ type: 'local', dir }` becomes
 * `createLocalStorage(dir)`, `{ type: 's3', ... }` becomes `createS3Storage` with the key pair
 * as its credentials. A spec that does not fit throws a BackupValidationError naming the field.
 */
export function createStorage(spec: StorageSpec): BackupStorage {
  const parsed = parseInput(specSchema, spec, 'storage spec');
  if (parsed.type === 'local') return createLocalStorage(parsed.dir);
  const { bucket, prefix, region, endpoint, forcePathStyle, accessKeyId, secretAccessKey } = parsed;
  return createS3Storage({
    bucket,
    ...(prefix !== undefined ? { prefix } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(forcePathStyle !== undefined ? { forcePathStyle } : {}),
    ...(accessKeyId !== undefined && secretAccessKey !== undefined
      ? { credentials: { accessKeyId, secretAccessKey } }
      : {}),
  });
}
