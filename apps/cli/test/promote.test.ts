import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMigrator } from '@supaops/migrator';
import { createTestDatabase, type TestDatabase } from '@supaops/testkit';
import { testServer } from '@supaops/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { json } from './helpers/cli.js';
import { editConfig, scalar } from './helpers/config-edit.js';
import { deployTemplate, expectAbsent, useDokployInstances } from './helpers/dokploy-instance.js';
import { schemaErrors } from './helpers/schema.js';

const stacks = useDokployInstances();
// each test gets its own databases: a promotion leaves its migrations behind
const databases: TestDatabase[] = [];
afterEach(async () => {
  for (const db of databases.splice(0)) await db.drop();
});
async function database(label: string): Promise<TestDatabase> {
  const db = await createTestDatabase(testServer(), label);
  databases.push(db);
  return db;
}

// biome-ignore lint/suspicious/noExplicitAny: a --json document, checked against its schema first
type Doc = Record<string, any>;

const FILES: Record<string, string> = {
  '20240101000000_create_todos.sql':
    'create table public.todos (id serial primary key, title text not null);\n',
  '20240102000000_add_done.sql':
    'alter table public.todos add column done boolean not null default false;\n',
  '20240103000000_tags.sql': 'create table public.tags (id serial primary key, name text);\n',
};
const STUDIO = 'supabase/studio:2026.06.03-sha-0bca601';
const STUDIO_NEXT = 'supabase/studio:2026.08.03-sha-022b374';
const BACKUP_KEY = 'cli-promote-backup-passphrase-77c1';

/** dev (a second template compose) and prod (`shop`, production) on one Dokploy, each with a database. */
async function twoInstances() {
  const inst = await stacks.deploy('0.30.2', { production: true });
  const { s, h, configPath } = inst;
  const [dev, prod, stage] = [
    await database('cli_promote_dev'),
    await database('cli_promote_prod'),
    await database('cli_promote_stage'),
  ];
  const devComposeId = await deployTemplate(s, 'shop-dev');
  const migrations = path.join(h.project, 'supabase/migrations');
  await mkdir(migrations, { recursive: true });
  for (const [name, text] of Object.entries(FILES))
    await writeFile(path.join(migrations, name), text);
  Object.assign(h.env, {
    DEV_DB_URL: dev.adminUrl,
    PROD_DB_URL: prod.adminUrl,
    STAGE_DB_URL: stage.adminUrl,
    BACKUP_KEY,
    PG_BIN: testServer().binDir ?? '',
  });
  await editConfig(configPath, (c) => {
    c.instances.dev = {
      kind: 'dokploy',
      dokploy: { server: 'sim', composeId: devComposeId },
      database: { session: 'env:DEV_DB_URL' },
    };
    c.instances.shop.database = { session: 'env:PROD_DB_URL' };
    c.instances.shop.backups = {
      storage: { type: 'local', dir: 'backups' },
      encryptionKey: 'env:BACKUP_KEY',
    };
    c.instances.stage = {
      kind: 'self-hosted',
      database: { session: 'env:STAGE_DB_URL' },
      backups: { storage: { type: 'local', dir: 'stage-backups' } },
    };
  });
  await createMigrator({ connection: dev.adminUrl, dir: migrations }).up();
  await createMigrator({ connection: prod.adminUrl, dir: migrations }).up({
    to: '20240101000000',
  });
  // dev runs a newer Studio than prod
  const devFile = (await s.client.compose.one({ composeId: devComposeId })).composeFile ?? '';
  expect(devFile).toContain(STUDIO);
  await s.client.compose.update({
    composeId: devComposeId,
    composeFile: devFile.replace(STUDIO, STUDIO_NEXT),
  });
  return {
    ...inst,
    devComposeId,
    dev,
    prod,
    stage,
    secrets: [dev.password, BACKUP_KEY, s.sim.apiKey],
  };
}

const files = async (dir: string) => (await readdir(dir).catch(() => [])).length;
const tables = (url: string) =>
  scalar(
    url,
    "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('todos', 'tags')",
  );

describe('promote (Dokploy simulator 0.30.2 + gateway simulator + PostgreSQL)', () => {
  it('dev → prod: dry run, the production guard, then backup, migrations, images, validation; rollback restores the compose file', async () => {
    const { s, h, composeId, run, secrets, prod } = await twoInstances();
    const via = ['--validate-via', s.tunnel, '--poll-interval', '5'];
    const prodFile = (await s.client.compose.one({ composeId })).composeFile ?? '';
    const backups = path.join(h.project, 'backups');

    const dry = await run([
      ...['promote', '--from', 'dev', '--to', 'shop', '--align-images', '--dry-run', '--json'],
    ]);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = json<Doc>(dry);
    expect(schemaErrors('promote', plan)).toEqual([]);
    expect(plan).toMatchObject({ mode: 'deployment', dryRun: true, production: true });
    expect(plan.schema.applied.map((m: Doc) => m.version)).toEqual([
      '20240102000000',
      '20240103000000',
    ]);
    expect(plan.schema.alreadyPresent.map((m: Doc) => m.version)).toEqual(['20240101000000']);
    expect(plan.images).toMatchObject({
      changes: [{ service: 'studio', from: STUDIO, to: STUDIO_NEXT }],
      written: false,
    });
    const human = await run(['promote', '--from', 'dev', '--to', 'shop', '--dry-run']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/would promote dev → shop/);
    expect(human.stdout).toMatch(/2 to apply: 20240102000000 add_done, 20240103000000 tags/);
    // nothing written by either
    expect(await tables(prod.adminUrl)).toBe(1);
    expect((await s.client.compose.one({ composeId })).composeFile).toBe(prodFile);
    expect(await files(backups)).toBe(0);

    // production: --yes alone is refused before anything is written; so is no --yes
    const guard = await run(['promote', '--from', 'dev', '--to', 'shop', '--yes', '--json']);
    expect(guard.code).toBe(2);
    expect(json<Doc>(guard).error.code).toBe('PRODUCTION_CONFIRMATION_REQUIRED');
    const unconfirmed = await run([
      'promote',
      '--from',
      'dev',
      '--to',
      'shop',
      '--confirm-production',
    ]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/CONFIRMATION_REQUIRED/);
    expect(await files(backups)).toBe(0);
    expect(await tables(prod.adminUrl)).toBe(1);

    // the template's keys do not pass validation until repaired (the public URL's https)
    const repaired = await run(['keys', 'repair', '--instance', 'shop', '--yes', ...via]);
    expect(repaired.code, repaired.stderr).toBe(0);
    const repairedFile = (await s.client.compose.one({ composeId })).composeFile ?? '';
    const done = await run([
      ...['promote', '--from', 'dev', '--to', 'shop', '--align-images', '--yes'],
      ...['--confirm-production', ...via, '--json'],
    ]);
    expect(done.code, done.stderr + done.stdout).toBe(0);
    const doc = json<Doc>(done);
    expect(schemaErrors('promote', doc)).toEqual([]);
    expect(doc).toMatchObject({
      dryRun: false,
      effective: true,
      dataCopied: false,
      images: { written: true },
      validation: { ok: true },
      schema: { histories: { match: true, source: 3, target: 3 } },
    });
    expect(doc.schema.applied).toHaveLength(2);
    expect(doc.schema.backup.location).toContain(backups);
    expect(await files(backups)).toBeGreaterThan(0);
    expect(await tables(prod.adminUrl)).toBe(2);
    expect((await s.client.compose.one({ composeId })).composeFile).toContain(STUDIO_NEXT);
    expect(done.stderr).toMatch(/20240103000000_tags\.sql/);
    expectAbsent(done, secrets);

    // the image change is a recorded compose-file write: rollback restores the file
    const back = await run(['rollback', '--instance', 'shop', '--yes', ...via, '--json']);
    expect(back.code, back.stderr).toBe(0);
    expect(json<Doc>(back).target.kind).toBe('compose.file');
    expect((await s.client.compose.one({ composeId })).composeFile).toBe(repairedFile);

    // a second promotion has nothing left to apply
    const again = await run([
      ...['promote', '--from', 'dev', '--to', 'shop', '--yes', '--confirm-production', '--json'],
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(json<Doc>(again).schema.applied).toEqual([]);
  });

  it('divergence: the dry run lists it with the fixes (exit 1), the promotion refuses it (exit 7) before a backup', async () => {
    const { h, run, secrets, prod } = await twoInstances();
    // prod applied a hotfix dev never had
    const hotfix = await mkdtemp(path.join(tmpdir(), 'cli-hotfix-'));
    try {
      for (const name of Object.keys(FILES).slice(0, 1))
        await writeFile(path.join(hotfix, name), FILES[name] as string);
      await writeFile(
        path.join(hotfix, '20240105000000_hotfix.sql'),
        'create table public.hotfix (id int);\n',
      );
      await createMigrator({ connection: prod.adminUrl, dir: hotfix }).up();
    } finally {
      await rm(hotfix, { recursive: true, force: true });
    }
    const dry = await run(['promote', '--from', 'dev', '--to', 'shop', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(1);
    const plan = json<Doc>(dry);
    expect(schemaErrors('promote', plan)).toEqual([]);
    expect(plan.schema.divergence).toEqual([
      expect.objectContaining({ kind: 'target-only', version: '20240105000000' }),
    ]);
    expect(plan.schema.divergence[0].fix).toMatch(/apply it on the source first/);
    const human = await run(['promote', '--from', 'dev', '--to', 'shop', '--dry-run']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/target-only 20240105000000 hotfix/);
    expect(human.stdout).toMatch(/fix: apply it on the source first/);

    const refused = await run(['promote', '--from', 'dev', '--to', 'shop', '--yes']);
    expect(refused.code).toBe(7);
    expect(refused.stderr).toMatch(/SELFHOST_SCHEMA_DIVERGED/);
    expect(refused.stderr).toMatch(/fix: apply it on the source first/);
    const asJson = await run(['promote', '--from', 'dev', '--to', 'shop', '--yes', '--json']);
    expect(asJson.code).toBe(7);
    expect(json<Doc>(asJson).error.code).toBe('SELFHOST_SCHEMA_DIVERGED');
    expect(await files(path.join(h.project, 'backups'))).toBe(0);
    expectAbsent(refused, secrets);
  });

  it('--schema-only between databases: backed up (unencrypted, with a warning), applied, histories match', async () => {
    const { h, run, secrets, stage } = await twoInstances();
    const usage = await run(['promote', '--from', 'dev', '--to', 'dev']);
    expect(usage.code).toBe(2);
    const conflict = await run([
      'promote',
      '--from',
      'dev',
      '--to',
      'stage',
      '--schema-only',
      '--align-images',
    ]);
    expect(conflict.stderr).toMatch(/PROMOTE_OPTIONS_CONFLICT/);
    const done = await run([
      ...['promote', '--from', 'dev', '--to', 'stage', '--schema-only', '--yes', '--json'],
    ]);
    expect(done.code, done.stderr + done.stdout).toBe(0);
    const doc = json<Doc>(done);
    expect(schemaErrors('promote', doc)).toEqual([]);
    expect(doc).toMatchObject({ mode: 'schema-only', production: false });
    expect(doc.schema.applied).toHaveLength(3);
    expect(doc.schema.backup.verified).toBe(true);
    expect(done.stderr).toMatch(/stored unencrypted/);
    expect(await files(path.join(h.project, 'stage-backups'))).toBeGreaterThan(0);
    expect(await tables(stage.adminUrl)).toBe(2);
    expectAbsent(done, secrets);
  });
});
