import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { BackupStorageError } from '../errors.js';
import { releaseBuffer } from '../release.js';

type Sdk = typeof import('@aws-sdk/client-s3');

export interface UploadStreamOptions {
  client: S3Client;
  m: Sdk;
  Bucket: string;
  Key: string;
  /** Size of the first parts, >= 5 MiB; it doubles every PARTS_PER_SIZE parts. */
  partSize: number;
  /** Parts uploading at once; one more is being filled meanwhile. */
  queueSize: number;
  /**
   * The body's chunks are the caller's own and nothing else uses them (this package's
   * pipelines): each is released once copied into a part (release.ts); the value is the size of
   * the shared buffers its slices may come from.
   */
  releaseInput: number | undefined;
  signal: AbortSignal | undefined;
  /** S3's rules, smaller in tests. */
  limits?: { partsPerSize?: number; maxParts?: number };
}

/**
 * S3 allows 10,000 parts; with parts doubling every 2,000 (5, 10, 20, 40, 80 MiB from 5 MiB)
 * an object can reach 2,000 × 155 MiB ≈ 302 GiB, while a backup under 9.8 GiB never holds
 * more than (queueSize + 1) × 5 MiB.
 */
const PARTS_PER_SIZE = 2000;
const MAX_PARTS = 10_000;
/** S3's largest part. */
const MAX_PART_SIZE = 5 * 1024 ** 3;

/**
 * Uploads a stream of unknown length: one PutObject when it fits in the first part, a
 * multipart upload otherwise. Unlike `@aws-sdk/lib-storage` (which concatenates the stream's
 * chunks into a fresh buffer per part, leaving every chunk and every part buffer to V8's GC),
 * the chunks are copied into `queueSize + 1` part buffers that are reused, and released at once.
 * On any failure the multipart upload is aborted after the parts in flight have settled; the
 * error is rethrown (the caller sweeps what an abort may have missed).
 */
export async function uploadStream(
  body: Readable,
  options: UploadStreamOptions,
): Promise<{ size: number }> {
  const { client, m, Bucket, Key, queueSize, signal } = options;
  const send = { abortSignal: signal };
  const free: Buffer[] = [];
  const inFlight = new Set<Promise<void>>();
  const parts: { PartNumber: number; ETag: string }[] = [];
  let uploadId: string | undefined;
  let failure: unknown;
  let size = 0;
  let partNumber = 1;
  const perSize = options.limits?.partsPerSize ?? PARTS_PER_SIZE;
  const maxParts = options.limits?.maxParts ?? MAX_PARTS;
  const sizeOf = (n: number) =>
    Math.min(MAX_PART_SIZE, options.partSize * 2 ** Math.floor((n - 1) / perSize));
  const take = (n: number) => {
    const wanted = sizeOf(n);
    let buffer = free.pop();
    while (buffer && buffer.length !== wanted) buffer = free.pop();
    return buffer ?? Buffer.allocUnsafeSlow(wanted);
  };
  let current = take(1);
  let filled = 0;

  const dispatch = async (buffer: Buffer, length: number, number: number) => {
    // at most queueSize parts upload at once; the next one is filled meanwhile
    while (inFlight.size >= queueSize && failure === undefined) await Promise.race(inFlight);
    if (failure !== undefined) throw failure;
    if (number > maxParts) {
      throw new BackupStorageError(
        'BACKUP_STORAGE_S3_FAILED',
        `The object ${Key} needs more than ${maxParts} parts (S3's limit) with parts starting at ${options.partSize} bytes. Fix: pass a larger partSize to createS3Storage.`,
      );
    }
    uploadId ??= (await client.send(new m.CreateMultipartUploadCommand({ Bucket, Key }), send))
      .UploadId;
    const task: Promise<void> = client
      .send(
        new m.UploadPartCommand({
          Bucket,
          Key,
          UploadId: uploadId,
          PartNumber: number,
          Body: buffer.subarray(0, length),
          ContentLength: length,
        }),
        send,
      )
      .then((out) => {
        if (!out.ETag) throw new Error(`part ${number} of ${Key} was stored without an ETag`);
        parts.push({ PartNumber: number, ETag: out.ETag });
        // the request has been answered: its body buffer is free for the next part
        free.push(buffer);
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };

  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length) {
        const n = Math.min(chunk.length - offset, current.length - filled);
        chunk.copy(current, filled, offset, offset + n);
        filled += n;
        offset += n;
        if (filled === current.length) {
          await dispatch(current, filled, partNumber);
          partNumber += 1;
          current = take(partNumber);
          filled = 0;
        }
      }
      size += chunk.length;
      if (options.releaseInput !== undefined) releaseBuffer(chunk, options.releaseInput);
    }
    if (uploadId === undefined && inFlight.size === 0 && partNumber === 1) {
      await client.send(
        new m.PutObjectCommand({
          Bucket,
          Key,
          Body: current.subarray(0, filled),
          ContentLength: filled,
        }),
        send,
      );
      return { size };
    }
    if (filled > 0) await dispatch(current, filled, partNumber);
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
    parts.sort((a, b) => a.PartNumber - b.PartNumber);
    await client.send(
      new m.CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
      send,
    );
    return { size };
  } catch (error) {
    await Promise.allSettled(inFlight);
    if (uploadId !== undefined) {
      // not with the (maybe aborted) signal: the abort is what must still reach the server
      await client
        .send(new m.AbortMultipartUploadCommand({ Bucket, Key, UploadId: uploadId }))
        .catch(() => {});
    }
    throw error;
  }
}
