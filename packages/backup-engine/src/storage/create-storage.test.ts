import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type S3Server, startS3Server } from '@supaops/s3-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll } from '../backup-store.js';
import { BackupStorageError, BackupValidationError } from '../errors.js';
import { createStorage, type StorageSpec } from './create-storage.js';

let dir: string;
let server: S3Server;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'create-storage-'));
  server = await startS3Server({ buckets: ['bkt'] });
});
afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const body = (text: string) => Readable.from([Buffer.from(text)]);

function issuesOf(spec: unknown): string[] {
  try {
    createStorage(spec as StorageSpec);
  } catch (error) {
    expect(error).toBeInstanceOf(BackupValidationError);
    expect(BackupValidationError.isInstance(error)).toBe(true);
    return (error as BackupValidationError).issues;
  }
  throw new Error('createStorage accepted the spec');
}

describe('createStorage', () => {
  it('local: the directory storage, writing under dir', async () => {
    const storage = createStorage({ type: 'local', dir });
    expect(storage.kind).toBe('local');
    expect(storage.description).toBe(`local:${dir}`);
    await storage.put('b1/x', body('local bytes'));
    expect(await readFile(join(dir, 'b1', 'x'), 'utf8')).toBe('local bytes');
  });

  it('s3: the bucket storage with the key pair, a normalized prefix and path style', async () => {
    const storage = createStorage({
      type: 's3',
      bucket: 'bkt',
      prefix: '/backups/prod',
      region: server.region,
      endpoint: server.endpoint,
      forcePathStyle: true,
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
    });
    expect(storage.kind).toBe('s3');
    expect(storage.description).toContain('/bkt/backups/prod/');
    expect(storage.description).not.toContain(server.secretAccessKey);
    await storage.put('b1/x', body('s3 bytes'));
    expect([...server.buckets.get('bkt')!.keys()]).toContain('backups/prod/b1/x');
    expect((await readAll(await storage.get('b1/x'))).toString()).toBe('s3 bytes');
    expect((await storage.list()).map((o) => o.key)).toEqual(['b1/x']);
  });

  it('s3: the access key id really reaches the requests', async () => {
    const storage = createStorage({
      type: 's3',
      bucket: 'bkt',
      endpoint: server.endpoint,
      region: server.region,
      accessKeyId: 'WRONGKEY1234',
      secretAccessKey: server.secretAccessKey,
    });
    await expect(storage.list()).rejects.toBeInstanceOf(BackupStorageError);
  });

  it('names the field that is wrong, never a secret', () => {
    expect(issuesOf({ type: 'ftp', dir })).toEqual(['type: type must be "local" or "s3"']);
    expect(issuesOf({ type: 'local', dir: '' })[0]).toMatch(/^dir: /);
    expect(issuesOf({ type: 'local', dir, bucket: 'x' })[0]).toMatch(/bucket/);
    expect(issuesOf({ type: 's3', bucket: 'ab' })[0]).toMatch(/^bucket: /);
    expect(issuesOf({ type: 's3', bucket: 'bkt', prefix: 'a b' })[0]).toMatch(/^prefix: /);
    expect(issuesOf({ type: 's3', bucket: 'bkt', endpoint: 'nope' })[0]).toMatch(/^endpoint: /);
    expect(issuesOf({ type: 's3', bucket: 'bkt', forcePathStyle: 'yes' })[0]).toMatch(
      /^forcePathStyle: /,
    );
    const secret = 'very-secret-value-1234';
    const half = issuesOf({ type: 's3', bucket: 'bkt', secretAccessKey: secret });
    expect(half).toEqual([
      'accessKeyId: accessKeyId and secretAccessKey go together: give both or neither',
    ]);
    expect(issuesOf({ type: 's3', bucket: 'bkt', accessKeyId: 'AKIA' })[0]).toMatch(
      /^secretAccessKey: /,
    );
    const wrongType = issuesOf({ type: 's3', bucket: 'bkt', accessKeyId: 'A', secretAccessKey: 7 });
    expect(wrongType.join(' ')).toMatch(/secretAccessKey/);
    expect(half.join(' ')).not.toContain(secret);
    expect(issuesOf(null)[0]).toMatch(/type/);
  });

  it('s3 without credentials leaves them to the SDK default chain', () => {
    const storage = createStorage({ type: 's3', bucket: 'bkt', prefix: '' });
    expect(storage.description).toBe('s3:aws/bkt/');
  });
});
