import { PassThrough, Readable } from 'node:stream';
import { type S3Server, startS3Server } from '@supaops/s3-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
