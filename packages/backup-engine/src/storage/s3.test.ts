import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { type S3Server, startS3Server } from '@supaops/s3-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNED_READS } from '../release.js';
import { createS3Storage } from './s3.js';

let server: S3Server;
beforeAll(async () => {
  server = await startS3Server({ buckets: ['bkt'] });
});
afterAll(async () => {
  await server?.stop();
});

const fresh = () =>
  createS3Storage({
    bucket: 'bkt',
    endpoint: server.endpoint,
    region: server.region,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });

describe('createS3Storage put', () => {
  it('keeps every byte of a small body that is ready before the upload starts', async () => {
    const { size } = await fresh().put('a/small', Readable.from([Buffer.from('s3 bytes')]));
    expect(size).toBe(8);
    expect(server.buckets.get('bkt')!.get('a/small')!.body.toString()).toBe('s3 bytes');
  });

  it('fails the upload when the source closes before its end, leaving no object', async () => {
    const body = new PassThrough();
    const put = fresh().put('a/cut', body);
    body.write(Buffer.from('partial'));
    setTimeout(() => body.destroy(), 20);
    await expect(put).rejects.toThrow(/premature close/i);
    expect(server.buckets.get('bkt')!.has('a/cut')).toBe(false);
  });

  it('reads bodies whose chunks own their memory (what lets the pipelines free them)', async () => {
    const storage = fresh();
    const data = randomBytes(600 * 1024);
    await storage.put('a/large', Readable.from([data]));
    const chunks: Buffer[] = [];
    for await (const chunk of await storage.get('a/large')) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    const shared = chunks.filter(
      (c) => c.length >= 4096 && (c.byteOffset !== 0 || c.length !== c.buffer.byteLength),
    );
    expect(shared).toEqual([]);
    expect((storage as unknown as Record<symbol, unknown>)[OWNED_READS]).toBe(true);
  });
});
