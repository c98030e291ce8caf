import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { createMigrator } from '@supaops/migrator';
import { executeSql } from '@supaops/pg-connect';
import { createTestDatabase, type TestDatabase } from '@supaops/testkit';
import { testServer } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertNoSecrets,
  type Connected,
  expectProgress,
  failed,
  inProcess,
  ok,
  spawnStdio,
  unwrap,
} from './helpers/clients.js';
import { writeConfig } from './helpers/deployed.js';
import { removeHome, tempHome } from './helpers/fixture.js';

/**
 * dokploy_sync_schema over stdio (the built server) between two test kit databases: `dev`'s
 * migrations (its migrationsDir) into `stage` (backed up first to its local backup dir), the dry
 * run as the plan, the histories compared through list_migrations; then a migration only the
 * target has is refused with its fix, and an instance without backups says what to add.
 */
const FILES: Record<string, string> = {
  '20240101000000_create_todos.sql':
    'create table public.todos (id serial primary key, title text not null);\n',
  '20240102000000_add_done.sql':
    'alter table public.todos add column done boolean not null default false;\n',
};

let root: string;
let project: string;
let env: NodeJS.ProcessEnv;
let dev: TestDatabase;
let stage: TestDatabase;
let secrets: string[];
const outputs: unknown[] = [];

interface Confirmation {
  confirmation: { token: string; summary: string; dryRun: Record<string, unknown> };
}

const tables = async (db: TestDatabase) =>
  (
    await executeSql<{ t: string }>(
      db.adminUrl,
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
  ).rows.map((r) => r.t);

beforeAll(async () => {
  const home = await tempHome();
  root = home.root;
  dev = await createTestDatabase(testServer(), 'mcp_sync_dev');
  stage = await createTestDatabase(testServer(), 'mcp_sync_stage');
  project = join(root, 'project');
  const migrations = join(project, 'supabase', 'migrations');
  await mkdir(migrations, { recursive: true });
  for (const [name, text] of Object.entries(FILES)) await writeFile(join(migrations, name), text);
  await createMigrator({ connection: dev.adminUrl, dir: migrations }).up();
  const database = (db: TestDatabase, ref: string) => ({
    session: `postgres://${new URL(db.adminUrl).username}@${db.host}:${db.port}/${db.name}`,
    password: `env:${ref}`,
  });
  await writeConfig(
    project,
    {
      dev: { kind: 'self-hosted', database: database(dev, 'T_DEV_PW') },
      stage: {
        kind: 'self-hosted',
        database: database(stage, 'T_STAGE_PW'),
        backups: { storage: { type: 'local', dir: './backups' }, encryptionKey: 'env:T_BACKUP_PW' },
      },
      nobackup: { kind: 'self-hosted', database: database(stage, 'T_STAGE_PW') },
    },
    {},
  );
  const passphrase = 'sync-backup-passphrase-3141';
  env = {
    ...home.env,
    T_DEV_PW: dev.password,
    T_STAGE_PW: stage.password,
    T_BACKUP_PW: passphrase,
  };
  secrets = [dev.password, stage.password, passphrase];
}, 60_000);

afterAll(async () => {
  for (const db of [dev, stage]) await db?.drop().catch(() => {});
  if (root) await removeHome(root);
});

describe('dokploy_sync_schema over stdio', () => {
  it('plans, backs up the target, applies what it lacks, and both histories match', async () => {
    const server = await spawnStdio({ env, cwd: project, secrets });
    try {
      const call = async (name: string, args: Record<string, unknown>, progress?: Progress[]) => {
        const res = await server.call(
          name,
          args,
          progress ? { onprogress: (p) => progress.push(p) } : {},
        );
        outputs.push(res);
        return res;
      };
      const args = { instance: 'stage', from: 'dev' };
      const plan = ok<Confirmation>(await call('dokploy_sync_schema', args)).confirmation;
      expect(plan.summary).toMatch(
        /^Would back up stage \(local:.*backups\), then apply 2 migration\(s\) from dev/,
      );
      expect(plan.dryRun).toMatchObject({
        toApply: ['20240101000000 create_todos', '20240102000000 add_done'],
        alreadyPresent: [],
        histories: { source: 2, target: 0, match: false },
      });
      // the dry run wrote nothing: no table, no backup
      expect(await tables(stage)).toEqual([]);
      await expect(readdir(join(project, 'backups'))).rejects.toThrow();

      const progress: Progress[] = [];
      const done = ok<{
        applied: string[];
        historiesMatch: boolean;
        backup: { id: string; verified: boolean };
      }>(await call('dokploy_sync_schema', { ...args, confirmationToken: plan.token }, progress));
      expect(done.applied).toEqual(['20240101000000 create_todos', '20240102000000 add_done']);
      expect(done.historiesMatch).toBe(true);
      expect(done.backup.verified).toBe(true);
      expect(await tables(stage)).toEqual(['todos']);
      expectProgress(progress, ['plan done', 'backup done', 'apply done', 'verify done']);

      // the backup is the stage instance's own, listed by the backup tools
      const listed = ok<{ backups: { id: string }[] }>(
        await call('list_backups', { instance: 'stage' }),
      );
      expect(listed.backups.map((b) => b.id)).toContain(done.backup.id);
      // both histories, read by the migration tool against the same files: applied, no drift
      const history = async (instance: string) =>
        unwrap<{ version: string; name: string; state: string; drift: string }[]>(
          ok<{ data: string }>(await call('list_migrations', { instance })).data,
        ).map((m) => `${m.version} ${m.name} ${m.state} ${m.drift}`);
      const staged = await history('stage');
      expect(staged).toEqual(await history('dev'));
      expect(staged).toEqual([
        '20240101000000 create_todos applied none',
        '20240102000000 add_done applied none',
      ]);

      const again = ok<Confirmation>(await call('dokploy_sync_schema', args)).confirmation;
      expect(again.summary).toBe('Nothing to apply: stage has every migration dev applied.');
      assertNoSecrets(server.stderr(), secrets, 'server stderr');
    } finally {
      await server.close();
    }
  });
});

describe('dokploy_sync_schema refusals (in process)', () => {
  let server: Connected & { logs: string[] };
  beforeAll(async () => {
    server = await inProcess({ cwd: project, env, sandbox: false, secrets });
    return () => server.close();
  });

  it('a migration only the target has: divergence with its fix, before any token', async () => {
    const only = join(root, 'stage-only');
    await mkdir(only, { recursive: true });
    for (const [name, text] of Object.entries(FILES)) await writeFile(join(only, name), text);
    await writeFile(
      join(only, '20240105000000_stage_only.sql'),
      'create table public.stage_only (id int);\n',
    );
    await createMigrator({ connection: stage.adminUrl, dir: only }).up();
    const res = await server.call('dokploy_sync_schema', { instance: 'stage', from: 'dev' });
    outputs.push(res);
    const error = failed(res);
    expect(error.code).toBe('SELFHOST_SCHEMA_DIVERGED');
    expect(error.message).toMatch(
      /20240105000000 stage_only: applied on the target but not on the source \(apply it on the source first/,
    );
    expect(res.structuredContent).not.toHaveProperty('confirmation');
  });

  it('a target without backups fails with what to add; an unknown source names the known ones', async () => {
    const none = failed(
      await server.call('dokploy_sync_schema', { instance: 'nobackup', from: 'dev' }),
    );
    expect(none.code).toBe('MCP_INSTANCE_UNSUPPORTED');
    expect(none.message).toMatch(/has no backup storage\. Fix: add "backups"/);
    const unknown = failed(
      await server.call('dokploy_sync_schema', { instance: 'stage', from: 'qa' }),
    );
    expect(unknown.code).toBe('INSTANCE_NOT_FOUND');
  });

  it('no secret appears in any result', () => {
    for (const out of outputs) assertNoSecrets(out, secrets, 'a tool result');
    assertNoSecrets(server.logs.join('\n'), secrets, 'server log');
  });
});
