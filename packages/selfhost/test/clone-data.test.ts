import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalStorage, listBackups, verifyBackup } from '@supaops/backup-engine';
import { createTestDatabase, type TestDatabase } from '@supaops/testkit';
import { testServer } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCloneData } from '../src/clone/clone-data.js';
import { countRows, userTables } from '../src/clone/row-counts.js';
import { backupRestoreCopy, CloneAbortedError, DataCopyError } from '../src/index.js';
import { scalar, seedProject } from './clone-helpers.js';

/** The default data copy strategy on its own: backup-engine between two real databases. */

const KEY = { passphrase: 'a clone data test passphrase', scrypt: { logN: 12 } };
const dbs: TestDatabase[] = [];
let root: string;
let source: TestDatabase;

async function database(label: string): Promise<TestDatabase> {
  const db = await createTestDatabase(testServer(), label);
  dbs.push(db);
  return db;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'selfhost-clone-data-'));
  source = await database('copy_src');
  await seedProject(source.adminUrl, 5, 60);
});
afterAll(async () => {
  for (const db of dbs) await db.drop();
  await rm(root, { recursive: true, force: true });
});

describe('backupRestoreCopy', () => {
  it('keeps the backup where asked (encrypted, verifiable), and reports its snapshot counts', async () => {
    const target = await database('copy_keep');
    const dir = join(root, 'kept');
    const progress: string[] = [];
    const out = await backupRestoreCopy({ storage: { type: 'local', dir }, encryption: KEY }).copy({
      source: source.adminUrl,
      target: target.adminUrl,
      onProgress: (m) => progress.push(m),
    });
    expect(out.strategy).toBe('backup-restore');
    expect(out.sourceRowCounts).toMatchObject({ 'public.orders': 60, 'auth.users': 5 });
    const id = out.details?.backupId as string;
    expect(out.details?.backup).toBe(join(dir, id));
    expect(progress).toEqual([
      'backing up the source database',
      'restoring into the clone database',
    ]);
    await expect(
      verifyBackup({ storage: createLocalStorage(dir), id, key: KEY }),
    ).resolves.toMatchObject({ manifestAuthentication: 'hmac' });
    expect(await scalar(target.adminUrl, 'SELECT count(*) AS n FROM public.orders')).toBe(60);
  });

  it('removes the backup from a given storage when keepBackup is false', async () => {
    const target = await database('copy_drop');
    const dir = join(root, 'dropped');
    const out = await backupRestoreCopy({
      storage: { type: 'local', dir },
      encryption: false,
      keepBackup: false,
    }).copy({ source: source.adminUrl, target: target.adminUrl });
    expect(out.details).not.toHaveProperty('backup');
    expect(await listBackups(createLocalStorage(dir))).toEqual([]);
    expect(await scalar(target.adminUrl, 'SELECT count(*) AS n FROM public.profiles')).toBe(5);
  });

  it('fails typed: a kept backup without a key, a target that is not empty, an abort', async () => {
    const noKey = await backupRestoreCopy({ storage: { type: 'local', dir: root } })
      .copy({
        source: source.adminUrl,
        target: source.adminUrl,
      })
      .catch((e: unknown) => e);
    expect(DataCopyError.isInstance(noKey)).toBe(true);
    expect((noKey as DataCopyError).step).toBe('backup');

    // restoring into the source itself: not empty, refused before writing
    const notEmpty = await backupRestoreCopy()
      .copy({
        source: source.adminUrl,
        target: source.adminUrl,
      })
      .catch((e: unknown) => e);
    expect(DataCopyError.isInstance(notEmpty)).toBe(true);
    expect((notEmpty as DataCopyError).step).toBe('restore');
    expect((notEmpty as Error).message).toMatch(/public\.orders.*Fix:/s);
    expect(await scalar(source.adminUrl, 'SELECT count(*) AS n FROM public.orders')).toBe(60);

    const before = (await readdir(tmpdir())).filter((n) => n.startsWith('supaops-clone-data-'));
    const aborted = await backupRestoreCopy()
      .copy({
        source: source.adminUrl,
        target: source.adminUrl,
        signal: AbortSignal.abort(),
      })
      .catch((e: unknown) => e);
    expect(CloneAbortedError.isInstance(aborted)).toBe(true);
    expect((aborted as CloneAbortedError).phase).toBe('data-backup');
    // the temporary directory is gone again
    const after = (await readdir(tmpdir())).filter((n) => n.startsWith('supaops-clone-data-'));
    expect(after.filter((n) => !before.includes(n))).toEqual([]);
  });
});

describe('the row-count proof and the copy seam (copyCloneData)', () => {
  const instance = (url: string) => ({ composeId: 'c', appName: 'a', env: { URL: url } });
  const byUrl = (i: { env: Readonly<Record<string, string>> }) => i.env.URL as string;

  it('lists the users’ tables and counts each, an unreadable one as null', async () => {
    const tables = await userTables(source.adminUrl);
    expect(tables).toEqual(
      expect.arrayContaining(['public.orders', 'public.profiles', 'auth.users']),
    );
    expect(tables).not.toContain('auth.schema_migrations');
    expect(tables.some((t) => t.startsWith('supabase_migrations.'))).toBe(false);
    expect(await countRows(source.adminUrl, ['public.orders', 'public.nope'])).toEqual({
      'public.orders': 60,
      'public.nope': null,
    });
    expect(await countRows(source.adminUrl, [])).toEqual({});
  });

  it('wraps a failing strategy and an unreadable clone as DataCopyError', async () => {
    const events: unknown[] = [];
    const throwing = await copyCloneData(
      {
        source: byUrl,
        target: byUrl,
        copy: {
          name: 'broken',
          copy: async () => {
            throw new Error('disk on fire');
          },
        },
      },
      instance(source.adminUrl),
      instance(source.adminUrl),
      (e) => events.push(e),
      undefined,
    ).catch((e: unknown) => e);
    expect(DataCopyError.isInstance(throwing)).toBe(true);
    expect((throwing as DataCopyError).step).toBe('broken copy');
    expect((throwing as Error).message).toContain('disk on fire');

    const unreachable = 'postgres://postgres:pw@127.0.0.1:1/none';
    const counted = await copyCloneData(
      {
        source: source.adminUrl,
        target: unreachable,
        copy: {
          name: 'noop',
          copy: async () => ({ strategy: 'noop', sourceRowCounts: { 'public.orders': 60 } }),
        },
      },
      instance(source.adminUrl),
      instance(unreachable),
      () => {},
      undefined,
    ).catch((e: unknown) => e);
    // an unreachable clone cannot be counted: a typed failure, never a pass
    expect(DataCopyError.isInstance(counted)).toBe(true);
    expect((counted as DataCopyError).step).toBe('row count');
    expect((counted as Error).message).not.toContain('pw@');
  });
});
