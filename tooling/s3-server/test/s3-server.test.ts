import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAwsChunked, type S3Server, S3ServerError, startS3Server } from '../src/index.js';

let server: S3Server;
let s3: S3Client;

function client(accessKeyId: string): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey: server.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

beforeAll(async () => {
  server = await startS3Server({ buckets: ['pre-made'] });
  s3 = client(server.accessKeyId);
  await s3.send(new CreateBucketCommand({ Bucket: 'tests' }));
});
afterAll(async () => {
  s3.destroy();
  await server.stop();
});

describe('startS3Server', () => {
  it('stores, heads, reads (with ranges), lists and deletes objects', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'tests', Key: 'a/b c.txt', Body: 'hello world' }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'tests', Key: 'a/b c.txt' }));
    expect(head.ContentLength).toBe(11);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'tests', Key: 'a/b c.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello world');
    const ranged = await s3.send(
      new GetObjectCommand({ Bucket: 'tests', Key: 'a/b c.txt', Range: 'bytes=6-' }),
    );
    expect(await ranged.Body!.transformToString()).toBe('world');
    const suffix = await s3.send(
      new GetObjectCommand({ Bucket: 'tests', Key: 'a/b c.txt', Range: 'bytes=-3' }),
    );
    expect(await suffix.Body!.transformToString()).toBe('rld');
    await expect(
      s3.send(new GetObjectCommand({ Bucket: 'tests', Key: 'a/b c.txt', Range: 'bytes=50-60' })),
    ).rejects.toMatchObject({ name: 'InvalidRange' });
    await s3.send(new DeleteObjectCommand({ Bucket: 'tests', Key: 'a/b c.txt' }));
    await expect(
      s3.send(new GetObjectCommand({ Bucket: 'tests', Key: 'a/b c.txt' })),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: 'tests', Key: 'a/b c.txt' })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it('paginates ListObjectsV2 with prefix and continuation tokens', async () => {
    for (let i = 0; i < 5; i++) {
      await s3.send(new PutObjectCommand({ Bucket: 'pre-made', Key: `p/${i}`, Body: `${i}` }));
    }
    await s3.send(new PutObjectCommand({ Bucket: 'pre-made', Key: 'other', Body: 'x' }));
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: 'pre-made',
          Prefix: 'p/',
          MaxKeys: 2,
          ContinuationToken: token,
        }),
      );
      pages++;
      keys.push(...(page.Contents ?? []).map((c) => c.Key!));
      token = page.NextContinuationToken;
    } while (token && pages < 10);
    expect(keys).toEqual(['p/0', 'p/1', 'p/2', 'p/3', 'p/4']);
    expect(pages).toBe(3);
  });

  it('accepts a multipart Upload over 5 MiB and counts it', async () => {
    const before = { ...server.stats };
    const body = randomBytes(12 * 1024 * 1024);
    await new Upload({
      client: s3,
      params: { Bucket: 'tests', Key: 'big.bin', Body: body },
      partSize: 5 * 1024 * 1024,
    }).done();
    expect(server.stats.multipartStarted - before.multipartStarted).toBe(1);
    expect(server.stats.multipartCompleted - before.multipartCompleted).toBe(1);
    expect(server.stats.partsUploaded - before.partsUploaded).toBe(3);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'tests', Key: 'big.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
    expect(got.ETag).toMatch(/-3"$/);
  });

  it('aborts multipart uploads and lists the ones in progress', async () => {
    const created = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'tests', Key: 'pending.bin' }),
    );
    await s3.send(
      new UploadPartCommand({
        Bucket: 'tests',
        Key: 'pending.bin',
        UploadId: created.UploadId,
        PartNumber: 1,
        Body: Buffer.alloc(10),
      }),
    );
    const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'tests' }));
    expect(listed.Uploads?.map((u) => u.UploadId)).toEqual([created.UploadId]);
    expect(server.pendingUploads()).toHaveLength(1);
    await s3.send(
      new AbortMultipartUploadCommand({
        Bucket: 'tests',
        Key: 'pending.bin',
        UploadId: created.UploadId,
      }),
    );
    const after = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'tests' }));
    expect(after.Uploads ?? []).toEqual([]);
    expect(server.stats.multipartAborted).toBeGreaterThanOrEqual(1);
    await expect(
      s3.send(
        new AbortMultipartUploadCommand({
          Bucket: 'tests',
          Key: 'pending.bin',
          UploadId: created.UploadId,
        }),
      ),
    ).rejects.toMatchObject({ name: 'NoSuchUpload' });
  });

  it('refuses to complete with small, missing or unordered parts', async () => {
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'tests', Key: 'bad.bin' }),
    );
    const etags: string[] = [];
    for (const n of [1, 2]) {
      const r = await s3.send(
        new UploadPartCommand({
          Bucket: 'tests',
          Key: 'bad.bin',
          UploadId,
          PartNumber: n,
          Body: Buffer.alloc(100, n),
        }),
      );
      etags.push(r.ETag!);
    }
    const complete = (parts: { PartNumber: number; ETag: string }[]) =>
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'tests',
          Key: 'bad.bin',
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    await expect(
      complete([
        { PartNumber: 1, ETag: etags[0]! },
        { PartNumber: 2, ETag: etags[1]! },
      ]),
    ).rejects.toMatchObject({ name: 'EntityTooSmall' });
    await expect(complete([{ PartNumber: 3, ETag: etags[0]! }])).rejects.toMatchObject({
      name: 'InvalidPart',
    });
    await expect(
      complete([
        { PartNumber: 2, ETag: etags[1]! },
        { PartNumber: 1, ETag: etags[0]! },
      ]),
    ).rejects.toMatchObject({ name: 'InvalidPartOrder' });
    await complete([{ PartNumber: 1, ETag: etags[0]! }]);
    expect(server.buckets.get('tests')!.get('bad.bin')!.body.length).toBe(100);
  });

  it('requires the Authorization header with the configured access key id', async () => {
    const wrong = client('SOMEONEELSE');
    await expect(
      wrong.send(new PutObjectCommand({ Bucket: 'tests', Key: 'x', Body: 'x' })),
    ).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
    wrong.destroy();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.endpoint}/tests/x`, { method: 'GET' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    expect(server.stats.rejectedAuth).toBeGreaterThanOrEqual(2);
  });

  it('reports missing buckets and duplicate creation', async () => {
    await expect(
      s3.send(new PutObjectCommand({ Bucket: 'nope', Key: 'x', Body: 'x' })),
    ).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(s3.send(new CreateBucketCommand({ Bucket: 'tests' }))).rejects.toMatchObject({
      name: 'BucketAlreadyOwnedByYou',
    });
  });

  it('can slow down part uploads', async () => {
    const slow = await startS3Server({
      partLatencyMs: 150,
      buckets: ['slow'],
      accessKeyId: 'SLOWKEY1',
    });
    const c = new S3Client({
      endpoint: slow.endpoint,
      region: slow.region,
      forcePathStyle: true,
      credentials: { accessKeyId: slow.accessKeyId, secretAccessKey: slow.secretAccessKey },
    });
    const { UploadId } = await c.send(
      new CreateMultipartUploadCommand({ Bucket: 'slow', Key: 'k' }),
    );
    const started = Date.now();
    const part = c.send(
      new UploadPartCommand({
        Bucket: 'slow',
        Key: 'k',
        UploadId,
        PartNumber: 1,
        Body: Buffer.alloc(5),
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    await c.send(new AbortMultipartUploadCommand({ Bucket: 'slow', Key: 'k', UploadId }));
    await expect(part).rejects.toMatchObject({ name: 'NoSuchUpload' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    c.destroy();
    await slow.stop();
  });

  it('validates options with a typed error', async () => {
    const error = await startS3Server({ accessKeyId: 'bad key!' }).catch((e: unknown) => e);
    expect(S3ServerError.isInstance(error)).toBe(true);
    expect((error as S3ServerError).code).toBe('S3_SERVER_OPTIONS_INVALID');
  });
});

describe('decodeAwsChunked', () => {
  it('decodes signed chunks and trailers', () => {
    const raw = Buffer.from(
      '5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n',
    );
    expect(decodeAwsChunked(raw).toString()).toBe('hello world');
  });
  it('rejects truncated bodies', () => {
    expect(() => decodeAwsChunked(Buffer.from('5\r\nhel'))).toThrow(/inside a chunk/);
    expect(() => decodeAwsChunked(Buffer.from('zz\r\n'))).toThrow(/invalid chunk size/);
    expect(() => decodeAwsChunked(Buffer.from('5'))).toThrow(/chunk header/);
  });
});
