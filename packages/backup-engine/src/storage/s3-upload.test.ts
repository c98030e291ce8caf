import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import * as sdk from '@aws-sdk/client-s3';
import { type S3Server, startS3Server } from '@supaops/s3-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BackupStorageError } from '../errors.js';
import { type UploadStreamOptions, uploadStream } from './s3-upload.js';

let server: S3Server;
let client: sdk.S3Client;
beforeAll(async () => {
  // parts as small as 1 KiB, so that the tests need only a few KiB of data
  server = await startS3Server({ buckets: ['bkt'], minPartSize: 1024 });
  client = new sdk.S3Client({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
});
afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

const options = (Key: string, more: Partial<UploadStreamOptions> = {}): UploadStreamOptions => ({
  client,
  m: sdk,
  Bucket: 'bkt',
  Key,
  partSize: 1024,
  queueSize: 2,
  releaseInput: undefined,
  signal: undefined,
  ...more,
});

/** `size` bytes in chunks of `chunk` bytes, each a buffer of its own. */
function chunks(size: number, chunk: number): { data: Buffer; parts: Buffer[] } {
  const data = randomBytes(size);
  const parts: Buffer[] = [];
  for (let i = 0; i < size; i += chunk) {
    const own = Buffer.allocUnsafeSlow(Math.min(chunk, size - i));
    data.copy(own, 0, i, i + own.length);
    parts.push(own);
  }
  return { data, parts };
}

const stored = (key: string) => server.buckets.get('bkt')!.get(key)?.body;

describe('uploadStream', () => {
  it('stores an empty or small body with one PutObject', async () => {
    const before = { ...server.stats };
    expect(await uploadStream(Readable.from([]), options('empty'))).toEqual({ size: 0 });
    const { data, parts } = chunks(700, 100);
    expect(await uploadStream(Readable.from(parts), options('small'))).toEqual({ size: 700 });
    expect(stored('empty')!.length).toBe(0);
    expect(stored('small')!.equals(data)).toBe(true);
    expect(server.stats.putObjects - before.putObjects).toBe(2);
    expect(server.stats.multipartStarted - before.multipartStarted).toBe(0);
  });

  it.each([
    ['chunks across part boundaries', 10_000, 700, 1],
    ['exactly three parts', 3072, 1024, 2],
    ['one big chunk', 5000, 5000, 3],
  ])('uploads %s as a multipart upload with every byte', async (_label, size, chunk, queueSize) => {
    const before = { ...server.stats };
    const { data, parts } = chunks(size, chunk);
    const key = `multi-${size}-${chunk}`;
    expect(await uploadStream(Readable.from(parts), options(key, { queueSize }))).toEqual({
      size,
    });
    expect(stored(key)!.equals(data)).toBe(true);
    expect(server.stats.partsUploaded - before.partsUploaded).toBe(Math.ceil(size / 1024));
    expect(server.stats.multipartCompleted - before.multipartCompleted).toBe(1);
  });

  it.each([1, 3])('reuses queueSize + 1 part buffers (queueSize %i)', async (queueSize) => {
    const { data, parts } = chunks(20 * 1024, 1000);
    const spy = vi.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      await uploadStream(Readable.from(parts), options(`reuse-${queueSize}`, { queueSize }));
      const partBuffers = spy.mock.calls.filter(([size]) => size === 1024).length;
      expect(partBuffers).toBeGreaterThanOrEqual(2);
      expect(partBuffers).toBeLessThanOrEqual(queueSize + 1);
    } finally {
      spy.mockRestore();
    }
    expect(stored(`reuse-${queueSize}`)!.equals(data)).toBe(true);
  });

  it('doubles the part size every partsPerSize parts and stops at maxParts', async () => {
    const before = { ...server.stats };
    // parts of 1, 1, 2, 2, 4 KiB: 10 KiB in 5 parts
    const { data, parts } = chunks(10 * 1024, 512);
    const limits = { partsPerSize: 2 };
    await uploadStream(Readable.from(parts), options('doubling', { limits }));
    expect(stored('doubling')!.equals(data)).toBe(true);
    expect(server.stats.partsUploaded - before.partsUploaded).toBe(5);

    const error = await uploadStream(
      Readable.from(chunks(10 * 1024, 512).parts),
      options('too-many', { limits: { partsPerSize: 100, maxParts: 4 } }),
    ).catch((e: unknown) => e);
    expect(BackupStorageError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/more than 4 parts .* Fix: pass a larger partSize/);
    expect(stored('too-many')).toBeUndefined();
    expect(server.pendingUploads().filter((u) => u.key === 'too-many')).toEqual([]);
  });

  it('releases the chunks it copied only when told they are its own', async () => {
    const kept = chunks(4096, 1024 * 4).parts;
    await uploadStream(Readable.from(kept), options('kept'));
    expect(kept[0]!.length).toBe(4096);
    const released = chunks(8192, 4096).parts;
    await uploadStream(Readable.from(released), options('released', { releaseInput: 0 }));
    // freed at once (ArrayBuffer.prototype.transfer(0)): the memory is gone, the bytes stored
    expect(released.map((c) => c.buffer.byteLength)).toEqual([0, 0]);
    expect(stored('released')!.length).toBe(8192);
  });

  it('aborts the multipart upload when the body fails, and when a part fails', async () => {
    const before = { ...server.stats };
    const failing = Readable.from(
      (async function* () {
        yield randomBytes(3000);
        throw new Error('source broke');
      })(),
    );
    await expect(uploadStream(failing, options('broken'))).rejects.toThrow('source broke');
    expect(server.stats.multipartAborted - before.multipartAborted).toBe(1);
    expect(stored('broken')).toBeUndefined();

    // the upload is aborted behind its back once it exists: the next part fails with NoSuchUpload
    const abortBehind = async () => {
      for (let i = 0; i < 200; i++) {
        const pending = server.pendingUploads().filter((u) => u.key === 'gone');
        if (pending.length > 0) {
          for (const { uploadId } of pending) {
            await client.send(
              new sdk.AbortMultipartUploadCommand({
                Bucket: 'bkt',
                Key: 'gone',
                UploadId: uploadId,
              }),
            );
          }
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const slow = Readable.from(
      (async function* () {
        for (let i = 0; i < 8; i++) {
          if (i === 3) await abortBehind();
          yield randomBytes(1024);
        }
      })(),
      { highWaterMark: 1 },
    );
    const error = await uploadStream(slow, options('gone', { queueSize: 1 })).catch((e) => e);
    expect((error as { name?: string }).name).toBe('NoSuchUpload');
    expect(stored('gone')).toBeUndefined();
  });

  it('stops on the signal', async () => {
    const controller = new AbortController();
    const body = Readable.from(
      (async function* () {
        yield randomBytes(2048);
        controller.abort(new Error('stop now'));
        yield randomBytes(2048);
      })(),
    );
    body.once('data', () => {});
    const error = await uploadStream(
      body,
      options('signalled', { signal: controller.signal }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(stored('signalled')).toBeUndefined();
    expect(server.pendingUploads().filter((u) => u.key === 'signalled')).toEqual([]);
  });
});
