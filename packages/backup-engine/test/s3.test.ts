import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { type S3Server, startS3Server } from '@supaops/s3-server';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BackupAbortedError,
  createBackup,
  createS3Storage,
  listBackups,
  planRestore,
  restoreBackup,
  verifyBackup,
} from '../src/index.js';
import { checksums, createDatabase, dropDatabase, sql, tempDir } from './helpers.js';

const db = useTestDatabase('s3');
const key = { key: randomBytes(32) };
const MiB = 1024 * 1024;

function storageFor(server: S3Server, bucket: string) {
  return createS3Storage({
    bucket,
    prefix: 'backups/',
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    partSize: 5 * MiB,
    queueSize: 1,
  });
}

async function pendingUploads(server: S3Server, bucket: string): Promise<number> {
  const client = new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });
  const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  client.destroy();
  return listed.Uploads?.length ?? 0;
}

describe('S3-compatible storage (loopback server)', () => {
  let server: S3Server;
  let slow: S3Server;

  beforeAll(async () => {
    server = await startS3Server({ buckets: ['bkt'] });
    slow = await startS3Server({ buckets: ['bkt'], partLatencyMs: 300 });
    // ~24 MB of barely compressible text: several 5 MiB parts even after compression
    await sql(
      db.current.adminUrl,
      `CREATE TABLE public.big (id int PRIMARY KEY, body text);
       INSERT INTO public.big SELECT g, md5(g::text) || md5((g * 3)::text) || md5((g * 7)::text) || md5((g * 11)::text)
         || md5((g * 13)::text) FROM generate_series(1, 150000) g;`,
    );
  });
  afterAll(async () => {
    await server?.stop();
    await slow?.stop();
  });

  it('backs up through multipart uploads, verifies and restores with equal contents', async () => {
    const storage = storageFor(server, 'bkt');
    const before = { ...server.stats };
    const { id, manifest } = await createBackup({
      source: db.current.adminUrl,
      storage,
      encryption: key,
      supabase: false,
      compression: 'gzip',
      compressionLevel: 1,
    });
    const stored = manifest.parts[0]!.stored_size;
    expect(stored).toBeGreaterThan(5 * MiB);
    expect(server.stats.multipartCompleted - before.multipartCompleted).toBe(1);
    expect(server.stats.partsUploaded - before.partsUploaded).toBe(Math.ceil(stored / (5 * MiB)));
    expect([...server.buckets.get('bkt')!.keys()].sort()).toEqual([
      `backups/${id}/database.dump.gz.enc`,
      `backups/${id}/manifest.json`,
    ]);
    expect((await listBackups(storage)).map((b) => b.id)).toEqual([id]);

    const verified = await verifyBackup({ storage, id, key });
    expect(verified.parts[0]!.storedSize).toBe(stored);
    expect(storage.description).not.toContain(server.secretAccessKey);

    const target = await createDatabase(db.current.adminUrl, 's3');
    try {
      // the dry run spills the object to check it, and removes the spill again
      const spill = await tempDir('s3-plan');
      const plan = await planRestore({ storage, id, key, target: target.url, tempDir: spill });
      expect(plan).toMatchObject({ ok: true, sizes: { stored, tempBytes: stored } });
      expect(plan.parts[0]!.verified).toBe(true);
      expect(await readdir(spill)).toEqual([]);
      await restoreBackup({ storage, id, key, target: target.url });
      const restored = await checksums(target.url, ['public']);
      expect(restored['public.big']).toBe(
        (await checksums(db.current.adminUrl, ['public']))['public.big'],
      );
    } finally {
      await dropDatabase(db.current.adminUrl, target.name);
    }
  });

  it('aborts the multipart upload when the backup is cancelled, leaving no object', async () => {
    const storage = storageFor(slow, 'bkt');
    const before = { ...slow.stats };
    const controller = new AbortController();
    const watcher = setInterval(() => {
      if (slow.stats.partsUploaded > before.partsUploaded) controller.abort();
    }, 10);
    const error = await createBackup({
      source: db.current.adminUrl,
      storage,
      encryption: key,
      supabase: false,
      compression: 'none',
      signal: controller.signal,
    }).catch((e: unknown) => e);
    clearInterval(watcher);
    expect(error).toBeInstanceOf(BackupAbortedError);
    expect(slow.stats.multipartStarted - before.multipartStarted).toBe(1);
    expect(slow.stats.multipartAborted - before.multipartAborted).toBe(1);
    expect(slow.stats.multipartCompleted).toBe(before.multipartCompleted);
    expect(await pendingUploads(slow, 'bkt')).toBe(0);
    expect(slow.buckets.get('bkt')!.size).toBe(0);
  });

  it('after a SIGKILL mid-upload, no final object exists and cleanupIncompleteUploads aborts the stale upload', async () => {
    const dist = new URL('../dist/index.js', import.meta.url);
    expect(
      existsSync(dist),
      'build the package first (pnpm build): the child process runs dist/',
    ).toBe(true);
    const before = { ...slow.stats };
    const child = spawn(
      process.execPath,
      [
        new URL('./fixtures/backup-child.mjs', import.meta.url).pathname,
        JSON.stringify({
          source: db.current.adminUrl,
          keyHex: key.key.toString('hex'),
          compression: 'none',
          storage: {
            kind: 's3',
            options: {
              bucket: 'bkt',
              prefix: 'backups/',
              endpoint: slow.endpoint,
              region: slow.region,
              forcePathStyle: true,
              credentials: { accessKeyId: slow.accessKeyId, secretAccessKey: slow.secretAccessKey },
              partSize: 5 * MiB,
              queueSize: 1,
            },
          },
        }),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_c, s) => resolve(s)),
    );
    // wait (bounded) until a part has been uploaded, then kill without any chance to clean up
    for (let i = 0; i < 400 && slow.stats.partsUploaded === before.partsUploaded; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(slow.stats.partsUploaded).toBeGreaterThan(before.partsUploaded);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    expect(slow.buckets.get('bkt')!.size).toBe(0);
    expect(await pendingUploads(slow, 'bkt')).toBe(1);
    const storage = storageFor(slow, 'bkt');
    expect((await storage.cleanupIncompleteUploads()).removed).toEqual([]); // younger than an hour
    const { removed } = await storage.cleanupIncompleteUploads({ olderThanMs: 0 });
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatch(/^backups\/.+\/database\.dump\.enc#/);
    expect(await pendingUploads(slow, 'bkt')).toBe(0);
  });

  it('reports storage failures as typed errors', async () => {
    const storage = createS3Storage({
      bucket: 'missing-bucket',
      endpoint: server.endpoint,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    });
    await expect(storage.list()).rejects.toMatchObject({ code: 'BACKUP_STORAGE_S3_FAILED' });
    await expect(storage.get('x/y')).rejects.toMatchObject({ code: 'BACKUP_STORAGE_S3_FAILED' });
    const good = storageFor(server, 'bkt');
    await expect(good.get('nope/manifest.json')).rejects.toMatchObject({
      code: 'BACKUP_NOT_FOUND',
    });
    expect(await good.head('nope/manifest.json')).toBeUndefined();
    expect(() => createS3Storage({ bucket: 'b', partSize: 1 })).toThrow(/partSize/);
  });
});
