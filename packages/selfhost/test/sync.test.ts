import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalStorage, createS3Storage, verifyBackup } from '@supaops/backup-engine';
import { createMigrator } from '@supaops/migrator';
import { type S3Server, startS3Server } from '@supaops/s3-server';
import { createTestDatabase, type TestDatabase } from '@supaops/testkit';
import { testServer } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SchemaBackupFailedError,
  SchemaDivergenceError,
  SchemaSyncFailedError,
  SelfhostValidationError,
  SyncAbortedError,
  type SyncEvent,
  SyncStrategyNotYetError,
  syncSchema,
} from '../src/index.js';
import { MIGRATION_FILES, scalar, sql } from './clone-helpers.js';

const FILES: Record<string, string> = {
  ...MIGRATION_FILES,
  // in the directory, never applied on the source: not promoted
  '20240104000000_draft.sql': 'create table public.drafts (id int);\n',
};
const KEY = { passphrase: 'a schema sync test passphrase', scrypt: { logN: 12 } };

let root: string;
let dir: string;
let s3: S3Server;
const dbs: TestDatabase[] = [];
let source: TestDatabase;

async function database(label: string): Promise<TestDatabase> {
  const db = await createTestDatabase(testServer(), label);
  dbs.push(db);
  return db;
}

async function writeDir(path: string, files: Record<string, string>): Promise<string> {
  await mkdir(path, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(path, name), text);
  return path;
}

const up = (url: string, from: string, to: string) =>
  createMigrator({ connection: url, dir: from }).up({ to });

async function history(url: string): Promise<string[]> {
  const status = await createMigrator({ connection: url, dir }).status();
  return status.entries.filter((e) => e.remote).map((e) => `${e.version}:${e.appliedSha256}`);
}

const tableExists = (url: string, name: string) =>
  scalar(
    url,
    `SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = '${name}'`,
  );

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'selfhost-sync-'));
  dir = await writeDir(join(root, 'migrations'), FILES);
  s3 = await startS3Server({ buckets: ['backups'] });
  source = await database('sync_src');
  await up(source.adminUrl, dir, '20240103000000');
});

afterAll(async () => {
  await s3?.stop();
  for (const db of dbs) await db.drop();
  await rm(root, { recursive: true, force: true });
});

describe('syncSchema (real PostgreSQL, migrator, backup-engine)', () => {
  it('a target lacking 2 of 3 migrations: dry run, failed backup, then backup first, 2 applied, histories match', async () => {
    const target = await database('sync_dst');
    await up(target.adminUrl, dir, '20240101000000');
    await sql(target.adminUrl, "INSERT INTO public.todos (title) VALUES ('keep me'), ('and me')");
    const historyBefore = await history(target.adminUrl);
    const backups = join(root, 'backups-a');

    // dry run: the plan, no backup, no write
    const dry = await syncSchema({
      source: source.adminUrl,
      target: target.adminUrl,
      migrationsDir: dir,
      dryRun: true,
    });
    expect(dry.dryRun).toBe(true);
    expect(dry.applied.map((m) => m.version)).toEqual(['20240102000000', '20240103000000']);
    expect(dry.alreadyPresent.map((m) => m.version)).toEqual(['20240101000000']);
    expect(dry.skipped).toEqual([
      expect.objectContaining({
        version: '20240104000000',
        reason: 'in the migrations directory but not applied on the source: not promoted',
      }),
    ]);
    expect(dry.histories.match).toBe(false);
    expect(dry.backup).toBeUndefined();
    expect(await history(target.adminUrl)).toEqual(historyBefore);

    // a backup that cannot be written stops the sync before any migration
    const blocker = join(root, 'not-a-dir');
    await writeFile(blocker, 'x');
    const failed = await syncSchema({
      source: source.adminUrl,
      target: target.adminUrl,
      migrationsDir: dir,
      backup: { storage: { type: 'local', dir: join(blocker, 'backups') }, encryption: KEY },
    }).catch((e: unknown) => e);
    expect(SchemaBackupFailedError.isInstance(failed)).toBe(true);
    expect((failed as Error).message).toMatch(/no migration was applied.*Fix:/s);
    expect(await history(target.adminUrl)).toEqual(historyBefore);
    expect(await tableExists(target.adminUrl, 'tags')).toBe(0);

    const events: SyncEvent[] = [];
    const result = await syncSchema({
      source: source.adminUrl,
      target: target.adminUrl,
      migrationsDir: dir,
      backup: { storage: { type: 'local', dir: backups }, encryption: KEY },
      onEvent: (e) => events.push(e),
    });
    expect(result.applied.map((m) => m.version)).toEqual(['20240102000000', '20240103000000']);
    expect(result.alreadyPresent.map((m) => m.version)).toEqual(['20240101000000']);
    expect(result.skipped.map((m) => m.version)).toEqual(['20240104000000']);
    expect(result.divergence).toEqual([]);
    expect(result.histories.match).toBe(true);
    expect(result.histories.target).toEqual(result.histories.source);
    expect(result.histories.source.every((m) => /^[0-9a-f]{64}$/.test(m.sha256 ?? ''))).toBe(true);
    expect(await history(target.adminUrl)).toEqual(await history(source.adminUrl));
    // the schema moved, the data stayed, the draft was not promoted
    expect(await tableExists(target.adminUrl, 'tags')).toBe(1);
    expect(await tableExists(target.adminUrl, 'drafts')).toBe(0);
    expect(
      await scalar(target.adminUrl, 'SELECT count(*) AS n FROM public.todos WHERE NOT done'),
    ).toBe(2);

    // the backup came first, holds the target as it was, and verifies
    const phases = events
      .filter((e) => e.type === 'phase')
      .map((e) => `${(e as { phase: string }).phase}:${(e as { status: string }).status}`);
    expect(phases).toEqual([
      'plan:start',
      'plan:done',
      'backup:start',
      'backup:done',
      'apply:start',
      'apply:done',
      'verify:start',
      'verify:done',
    ]);
    expect(result.backup).toMatchObject({
      verified: true,
      location: join(backups, result.backup!.id),
    });
    const manifest = JSON.parse(
      await readFile(join(result.backup!.location, 'manifest.json'), 'utf8'),
    ) as { manifest: { row_counts: { tables: Record<string, number> } } };
    expect(manifest.manifest.row_counts.tables['public.todos']).toBe(2);
    expect(manifest.manifest.row_counts.tables).not.toHaveProperty('public.tags');
    await expect(
      verifyBackup({ storage: createLocalStorage(backups), id: result.backup!.id, key: KEY }),
    ).resolves.toMatchObject({ id: result.backup!.id });
    expect(events.some((e) => e.type === 'migration' && e.event.type === 'lock-acquired')).toBe(
      true,
    );

    // a second sync has nothing left to do and takes no backup
    const again = await syncSchema({
      source: source.adminUrl,
      target: target.adminUrl,
      migrationsDir: dir,
      backup: { storage: { type: 'local', dir: backups }, encryption: KEY },
    });
    expect(again.applied).toEqual([]);
    expect(again.backup).toBeUndefined();
    expect(again.histories.match).toBe(true);
    expect((await readdir(backups)).length).toBe(1);
  });

  it('refuses a divergent target before any backup or write, naming each divergence with its fix', async () => {
    const target = await database('sync_div');
    // v2 applied with other SQL, and the draft the source never applied
    const other = await writeDir(join(root, 'other'), {
      '20240101000000_create_todos.sql': FILES['20240101000000_create_todos.sql']!,
      '20240102000000_add_done.sql':
        "alter table public.todos add column done text not null default 'no';\n",
      '20240104000000_draft.sql': FILES['20240104000000_draft.sql']!,
    });
    await up(target.adminUrl, other, '20240104000000');
    const before = await history(target.adminUrl);
    const backups = join(root, 'backups-b');
    const error = await syncSchema({
      source: source.adminUrl,
      target: target.adminUrl,
      migrationsDir: dir,
      backup: { storage: { type: 'local', dir: backups }, encryption: KEY },
    }).catch((e: unknown) => e);
    expect(SchemaDivergenceError.isInstance(error)).toBe(true);
    const divergence = (error as SchemaDivergenceError).divergence;
    expect(divergence.map((d) => `${d.version}:${d.kind}`)).toEqual([
      '20240104000000:target-only',
      '20240102000000:checksum-mismatch',
    ]);
    for (const d of divergence) expect(d.fix.length).toBeGreaterThan(20);
    expect((error as Error).message).toMatch(/Nothing was backed up or written/);
    // nothing changed: no backup, same history, no new table
    await expect(readdir(backups)).rejects.toThrow();
    expect(await history(target.adminUrl)).toEqual(before);
    expect(await tableExists(target.adminUrl, 'tags')).toBe(0);
    // the dry run reports the same divergence instead of throwing
    const dry = await syncSchema({
      source: source.adminUrl,
      target: target.adminUrl,
      migrationsDir: dir,
      dryRun: true,
    });
    expect(dry.divergence.map((d) => d.kind)).toEqual(['target-only', 'checksum-mismatch']);
  });

  it('backs up to S3 before migrating a fresh target', async () => {
    const target = await database('sync_s3');
    const storage = {
      type: 's3' as const,
      bucket: 'backups',
      prefix: 'staging',
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    };
    const result = await syncSchema({
      source: source.adminUrl,
      target: target.adminUrl,
      migrationsDir: dir,
      backup: { storage, encryption: false },
    });
    expect(result.applied.map((m) => m.version)).toEqual([
      '20240101000000',
      '20240102000000',
      '20240103000000',
    ]);
    expect(result.backup?.location).toBe(`s3://backups/staging/${result.backup?.id}/`);
    const listed = await createS3Storage({
      bucket: 'backups',
      prefix: 'staging/',
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    }).list(`${result.backup?.id}/`);
    expect(listed.map((o) => o.key)).toContain(`${result.backup?.id}/manifest.json`);
    expect(result.histories.match).toBe(true);
  });

  it('fails typed: unreachable, a bad storage, a migration the target rejects, an abort', async () => {
    const unreachable = 'postgres://postgres:pw@127.0.0.1:1/none';
    const read = await syncSchema({
      source: source.adminUrl,
      target: unreachable,
      migrationsDir: dir,
      dryRun: true,
    }).catch((e: unknown) => e);
    expect(SchemaSyncFailedError.isInstance(read)).toBe(true);
    expect((read as SchemaSyncFailedError).stage).toBe('read');
    expect((read as Error).message).not.toContain('pw@');

    const target = await database('sync_fail');
    await up(target.adminUrl, dir, '20240101000000');
    // someone made the table by hand: migration 3 cannot create it
    await sql(target.adminUrl, 'create table public.tags (id int)');
    const badStorage = await syncSchema({
      source: source.adminUrl,
      target: target.adminUrl,
      migrationsDir: dir,
      backup: { storage: { type: 's3', bucket: 'x' }, encryption: false },
    }).catch((e: unknown) => e);
    expect(SchemaBackupFailedError.isInstance(badStorage)).toBe(true);
    expect((badStorage as Error).message).toMatch(/the storage: .*bucket/);
    const failed = await syncSchema({
      source: source.adminUrl,
      target: target.adminUrl,
      migrationsDir: dir,
      backup: {
        storage: { type: 'local', dir: join(root, 'backups-c') },
        encryption: false,
        verify: false,
      },
    }).catch((e: unknown) => e);
    expect(SchemaSyncFailedError.isInstance(failed)).toBe(true);
    expect((failed as SchemaSyncFailedError).stage).toBe('apply');
    const backupId = (failed as SchemaSyncFailedError).backupId;
    expect(backupId).toMatch(/\S+/);
    expect((failed as Error).message).toContain(`restore backup ${backupId}`);
    // the migration before it stays applied, the failing one left nothing
    expect((await history(target.adminUrl)).map((h) => h.split(':')[0])).toEqual([
      '20240101000000',
      '20240102000000',
    ]);

    const aborted = await syncSchema({
      source: source.adminUrl,
      target: target.adminUrl,
      migrationsDir: dir,
      dryRun: true,
      signal: AbortSignal.abort(),
    }).catch((e: unknown) => e);
    expect(SyncAbortedError.isInstance(aborted)).toBe(true);
    expect((aborted as SyncAbortedError).phase).toBe('plan');
  });

  it('has a seam for a diff-based sync that says "not yet", and needs a backup unless dry', async () => {
    const base = { source: source.adminUrl, target: source.adminUrl, migrationsDir: dir };
    const diff = await syncSchema({ ...base, strategy: 'diff', dryRun: true }).catch(
      (e: unknown) => e,
    );
    expect(SyncStrategyNotYetError.isInstance(diff)).toBe(true);
    expect((diff as Error).message).toMatch(/not implemented yet.*Fix:/);
    const noBackup = await syncSchema(base).catch((e: unknown) => e);
    expect(SelfhostValidationError.isInstance(noBackup)).toBe(true);
    expect((noBackup as SelfhostValidationError).issues[0]?.path).toBe('backup');
  });
});
