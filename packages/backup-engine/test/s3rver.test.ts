import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { useTestDatabase } from '@supaops/testkit/vitest';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBackup,
  createS3Storage,
  listBackups,
  restoreBackup,
  verifyBackup,
} from '../src/index.js';
import { checksums, createDatabase, dropDatabase, seed, tempDir } from './helpers.js';

const db = useTestDatabase('s3rver');
const key = { key: randomBytes(32) };

// s3rver (npm) is an S3 implementation we did not write. It has multipart uploads but answers
// ListMultipartUploads with 501 NotImplemented and AbortMultipartUpload with 405.
describe('S3 storage against s3rver', () => {
  let server: S3rver;
  let endpoint: string;

  beforeAll(async () => {
    await seed(db.current.adminUrl, 500);
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: await tempDir('s3rver'),
      configureBuckets: [{ name: 'bkt', configs: [] }],
    });
    const address = (await server.run()) as AddressInfo;
    endpoint = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await server?.close();
  });

  const storage = () =>
    createS3Storage({
      bucket: 'bkt',
      prefix: 'backups/',
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });

  it('backs up, lists, verifies, restores and deletes (put, get, head, list, delete)', async () => {
    const s = storage();
    const { id, manifest } = await createBackup({
      source: db.current.adminUrl,
      storage: s,
      encryption: key,
      supabase: false,
    });
    expect((await listBackups(s)).map((b) => b.id)).toEqual([id]);
    expect((await s.head(manifest.parts[0]!.key))?.size).toBe(manifest.parts[0]!.stored_size);
    await verifyBackup({ storage: s, id, key });
    const target = await createDatabase(db.current.adminUrl, 's3rver');
    try {
      await restoreBackup({ storage: s, id, key, target: target.url });
      expect(await checksums(target.url)).toEqual(await checksums(db.current.adminUrl));
    } finally {
      await dropDatabase(db.current.adminUrl, target.name);
    }
    for (const object of await s.list(`${id}/`)) await s.delete(object.key);
    expect(await listBackups(s)).toEqual([]);
  });

  it('names the missing multipart operation and what is left on the bucket', async () => {
    const error = await storage()
      .cleanupIncompleteUploads()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BACKUP_STORAGE_S3_UNSUPPORTED' });
    expect((error as Error).message).toContain('does not implement ListMultipartUploads (HTTP 501');
    expect((error as Error).message).toContain(
      'Left on the bucket: any interrupted multipart upload under "backups/"',
    );
  });
});
