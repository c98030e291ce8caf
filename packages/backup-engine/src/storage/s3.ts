import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { BackupAbortedError, BackupNotFoundError, BackupStorageError } from '../errors.js';
import { maskSecret } from '../redact.js';
import { OWNED_READS, RELEASE_WRITTEN } from '../release.js';
import { parseInput } from '../validation.js';
import { uploadStream } from './s3-upload.js';
import { assertKey, type BackupStorage, type StorageObjectInfo } from './types.js';

export interface S3StorageOptions {
  bucket: string;
  /** Key prefix inside the bucket, e.g. `backups/prod/`. */
  prefix?: string;
  /** Endpoint of an S3-compatible server (MinIO, R2, Garage, …); AWS when absent. */
  endpoint?: string;
  region?: string;
  /** Path-style addressing (`endpoint/bucket/key`); most S3-compatible servers need it. */
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * Size of the first multipart parts in bytes, >= 5 MiB (default 5 MiB); it doubles every
   * 2,000 parts, so that S3's 10,000-part limit allows objects of 302 GiB from 5 MiB.
   */
  partSize?: number;
  /** Parts uploading at once (default 2); one more is filled meanwhile (queueSize + 1 buffers). */
  queueSize?: number;
}

const optionsSchema = z
  .object({
    bucket: z.string().min(3).max(63),
    prefix: z
      .string()
      .regex(/^([A-Za-z0-9._-]+\/)*$/, 'a prefix is empty or ends with "/"')
      .optional(),
    endpoint: z.url().optional(),
    region: z.string().min(1).optional(),
    forcePathStyle: z.boolean().optional(),
    credentials: z
      .object({
        accessKeyId: z.string().min(1),
        secretAccessKey: z.string().min(1),
        sessionToken: z.string().optional(),
      })
      .optional(),
    partSize: z
      .number()
      .int()
      .min(5 * 1024 * 1024)
      .max(5 * 1024 * 1024 * 1024)
      .optional(),
    queueSize: z.number().int().min(1).max(16).optional(),
  })
  .strict();

function s3Error(what: string, error: unknown): BackupStorageError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return new BackupStorageError(
    'BACKUP_STORAGE_S3_FAILED',
    `S3 could not ${what}: ${e.name ?? 'Error'} ${e.$metadata?.httpStatusCode ?? ''} ${e.message ?? ''}`.trim() +
      '. Fix: check the endpoint, bucket, region, path-style setting and credentials.',
    { cause: error },
  );
}

/** The server answers that it does not implement the operation (some S3-compatible servers). */
function isUnsupported(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return (
    status === 405 ||
    status === 501 ||
    e.name === 'NotImplemented' ||
    e.name === 'MethodNotAllowed' ||
    e.Code === 'NotImplemented'
  );
}

function unsupported(
  operation: 'ListMultipartUploads' | 'AbortMultipartUpload',
  bucket: string,
  left: string,
  error: unknown,
): BackupStorageError {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return new BackupStorageError(
    'BACKUP_STORAGE_S3_UNSUPPORTED',
    `The S3 server does not implement ${operation} (HTTP ${e.$metadata?.httpStatusCode ?? '?'} ${e.name ?? ''}) on bucket ${bucket}. Left on the bucket: ${left}. Fix: remove them with the server's own tools or an AbortIncompleteMultipartUpload lifecycle rule, or use a server that implements ${operation}.`,
    { cause: error },
  );
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e.name === 'NoSuchBucket') return false;
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

/**
 * Keeps backups in an S3-compatible bucket. Uploads are multipart (unknown length, bounded
 * memory: (queueSize + 1) reused part buffers, see s3-upload.ts) and abort the multipart
 * upload on any error or AbortSignal. Checksums are only sent when required, so MinIO, R2 and
 * Garage accept the requests.
 */
export function createS3Storage(options: S3StorageOptions): BackupStorage {
  const opts = parseInput(optionsSchema, options, 'S3 storage options');
  const prefix = opts.prefix ?? '';
  // the AWS SDK costs ~30 MB of memory to load: it is only loaded once S3 is used
  type Sdk = typeof import('@aws-sdk/client-s3');
  let loaded: Promise<{ client: S3Client; m: Sdk }> | undefined;
  const sdk = () => {
    loaded ??= import('@aws-sdk/client-s3').then((m) => ({
      m,
      client: new m.S3Client({
        region: opts.region ?? 'us-east-1',
        ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
        forcePathStyle: opts.forcePathStyle ?? Boolean(opts.endpoint),
        ...(opts.credentials ? { credentials: opts.credentials } : {}),
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    }));
    return loaded;
  };
  const partSize = opts.partSize ?? 5 * 1024 * 1024;
  const queueSize = opts.queueSize ?? 2;
  const fullKey = (key: string) => {
    assertKey(key);
    return `${prefix}${key}`;
  };
  const Bucket = opts.bucket;

  const abortPending = async (key: string, olderThanMs = 0): Promise<string[]> => {
    const { client, m } = await sdk();
    const removed: string[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const listed = await client
        .send(
          new m.ListMultipartUploadsCommand({
            Bucket,
            Prefix: key,
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
          }),
        )
        .catch((error: unknown) => {
          if (!isUnsupported(error)) throw error;
          throw unsupported(
            'ListMultipartUploads',
            Bucket,
            `any interrupted multipart upload under "${key}" (its parts are not listed as objects but take space until the upload is aborted)`,
            error,
          );
        });
      for (const upload of listed.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId) continue;
        if (Date.now() - (upload.Initiated?.getTime() ?? 0) < olderThanMs) continue;
        await client
          .send(
            new m.AbortMultipartUploadCommand({
              Bucket,
              Key: upload.Key,
              UploadId: upload.UploadId,
            }),
          )
          .catch((error: unknown) => {
            if (!isUnsupported(error)) throw error;
            throw unsupported(
              'AbortMultipartUpload',
              Bucket,
              `the multipart upload of "${upload.Key}" (upload id ${upload.UploadId}) and its parts${removed.length > 0 ? `; aborted before: ${removed.join(', ')}` : ''}`,
              error,
            );
          });
        removed.push(`${upload.Key}#${upload.UploadId}`);
      }
      if (!listed.IsTruncated) break;
      keyMarker = listed.NextKeyMarker;
      uploadIdMarker = listed.NextUploadIdMarker;
    }
    return removed;
  };

  const storage: BackupStorage & { [OWNED_READS]: true } = {
    kind: 's3',
    // the SDK's GetObject body is Node's HTTP response: each chunk is a copy of its own
    // (checked in s3.test.ts), which the pipelines may free once used (release.ts)
    [OWNED_READS]: true,
    description: `s3:${opts.endpoint ?? 'aws'}/${Bucket}/${prefix}${opts.credentials ? ` (key ${maskSecret(opts.credentials.accessKeyId)})` : ''}`,

    async put(key, body, putOptions = {}) {
      const { client, m } = await sdk();
      const Key = fullKey(key);
      const signal = putOptions.signal;
      const onAbort = () =>
        body.destroy(
          signal?.reason instanceof Error
            ? signal.reason
            : new BackupAbortedError(`The upload of ${key} was aborted.`),
        );
      if (signal?.aborted) onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        // a body that errors or closes before its end fails the upload (and aborts it)
        return await uploadStream(body, {
          client,
          m,
          Bucket,
          Key,
          partSize,
          queueSize,
          releaseInput: (putOptions as { [RELEASE_WRITTEN]?: number })[RELEASE_WRITTEN],
          signal,
        });
      } catch (error) {
        // the upload aborts its multipart upload on failure; sweep in case the abort itself failed
        const swept = await abortPending(Key).then(
          () => undefined,
          (sweepError: unknown) => sweepError,
        );
        const out: unknown = signal?.aborted
          ? (signal.reason ?? error)
          : (error as { $metadata?: unknown }).$metadata
            ? s3Error(`upload ${Key}`, error)
            : error;
        // a server without multipart listing/abort: say what may be left behind
        if (
          BackupStorageError.isInstance(swept) &&
          swept.code === 'BACKUP_STORAGE_S3_UNSUPPORTED'
        ) {
          if (out instanceof Error) out.message = `${out.message} Cleanup: ${swept.message}`;
        }
        throw out;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },

    async get(key) {
      const { client, m } = await sdk();
      const Key = fullKey(key);
      try {
        const out = await client.send(new m.GetObjectCommand({ Bucket, Key }));
        return out.Body as Readable;
      } catch (error) {
        if (isNotFound(error)) {
          throw new BackupNotFoundError(
            `No object "${Key}" in bucket ${Bucket}. Fix: list the backups and use an existing id.`,
            { cause: error },
          );
        }
        throw s3Error(`read ${Key}`, error);
      }
    },

    async head(key) {
      const { client, m } = await sdk();
      const Key = fullKey(key);
      try {
        const out = await client.send(new m.HeadObjectCommand({ Bucket, Key }));
        return { key, size: out.ContentLength ?? 0, lastModified: out.LastModified ?? new Date(0) };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw s3Error(`stat ${Key}`, error);
      }
    },

    async list(listPrefix = '') {
      const { client, m } = await sdk();
      const out: StorageObjectInfo[] = [];
      let token: string | undefined;
      for (let page = 0; page < 10_000; page++) {
        const listed = await client
          .send(
            new m.ListObjectsV2Command({
              Bucket,
              Prefix: `${prefix}${listPrefix}`,
              ContinuationToken: token,
            }),
          )
          .catch((error: unknown) => {
            throw s3Error(`list ${prefix}${listPrefix}`, error);
          });
        for (const item of listed.Contents ?? []) {
          if (!item.Key) continue;
          out.push({
            key: item.Key.slice(prefix.length),
            size: item.Size ?? 0,
            lastModified: item.LastModified ?? new Date(0),
          });
        }
        token = listed.NextContinuationToken;
        if (!listed.IsTruncated || !token) break;
      }
      return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },

    async delete(key) {
      const { client, m } = await sdk();
      const Key = fullKey(key);
      await client.send(new m.DeleteObjectCommand({ Bucket, Key })).catch((error: unknown) => {
        throw s3Error(`delete ${Key}`, error);
      });
    },

    async cleanupIncompleteUploads(cleanupOptions = {}) {
      try {
        return { removed: await abortPending(prefix, cleanupOptions.olderThanMs ?? 3_600_000) };
      } catch (error) {
        if (BackupStorageError.isInstance(error)) throw error;
        throw s3Error('list or abort multipart uploads', error);
      }
    },
  };
  return storage;
}
