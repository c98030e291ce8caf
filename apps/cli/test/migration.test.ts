import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from './helpers/cli.js';
import { type Project, testProject } from './helpers/project.js';

const db = useTestDatabase('cli_mig');
let project: Project;
let dir: string;

beforeAll(async () => {
  project = await testProject(db.current);
  dir = path.join(project.project, 'supabase/migrations');
});
afterAll(async () => {
  await project.cleanup();
});

describe('migrations, in the Supabase CLI layout', () => {
  it('new writes <timestamp>_<name>.sql (and the down file with --down)', async () => {
    const human = await project.run(['migration', 'new', 'create_todos', '--down']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(
      /Created new migration at .*supabase\/migrations\/\d{14}_create_todos\.sql/,
    );
    const created = await project.runJson<{ version: string; path: string; downPath: string }>(
      'migration-new',
      ['migration', 'new', 'add_tags', '--down'],
    );
    expect(created.path).toBe(path.join(dir, `${created.version}_add_tags.sql`));
    expect(created.downPath).toBe(path.join(dir, 'down', `${created.version}_add_tags.down.sql`));
    const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
    expect(files).toHaveLength(2);
    const [todos, tags] = files;
    await writeFile(
      path.join(dir, todos!),
      'create table public.todos (id bigint primary key, title text not null);\n',
    );
    await writeFile(
      path.join(dir, 'down', todos!.replace('.sql', '.down.sql')),
      'drop table public.todos;\n',
    );
    await writeFile(
      path.join(dir, tags!),
      'create table public.tags (id bigint primary key, todo bigint references public.todos);\n',
    );
    await writeFile(
      path.join(dir, 'down', tags!.replace('.sql', '.down.sql')),
      'drop table public.tags;\n',
    );
  });

  it('list shows them pending; up --dry-run changes nothing; up applies them', async () => {
    const list = await project.run(['migration', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/pending.*create_todos/);
    const status = await project.runJson<{ pending: string[] }>('migration-list', [
      'migration',
      'list',
    ]);
    expect(status.pending).toHaveLength(2);

    const dry = await project.runJson<{ dryRun: boolean; files: Array<{ status: string }> }>(
      'migration-up',
      ['migration', 'up', '--dry-run'],
    );
    expect(dry.dryRun).toBe(true);
    expect(dry.files.map((f) => f.status)).toEqual(['would-apply', 'would-apply']);
    const dryHuman = await project.run(['migration', 'up', '--dry-run']);
    expect(dryHuman.stdout).toContain('rolled back');
    expect(dryHuman.stdout).toMatch(/creates table public\.todos/);
    expect(
      (await project.runJson<{ pending: string[] }>('migration-list', ['migration', 'list']))
        .pending,
    ).toHaveLength(2);

    const up = await project.run(['migration', 'up', '--verbose']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/applied\s+\d{14}_create_todos\.sql/);
    expect(up.stderr).toMatch(/applied \d{14}_add_tags\.sql/);
    const again = await project.runJson<{ files: unknown[] }>('migration-up', ['migration', 'up']);
    expect(again.files).toEqual([]);
    const tables = json<{ rows: Array<{ n: number }> }>(
      await project.run([
        'db',
        'sql',
        "select count(*)::int as n from pg_tables where schemaname = 'public' and tablename in ('todos', 'tags')",
        '--json',
      ]),
    );
    expect(tables.rows).toEqual([{ n: 2 }]);
  });

  it('verify passes, then fails (exit 1) on drift, and repair accepts the edited file', async () => {
    expect((await project.run(['migration', 'verify'])).code).toBe(0);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
    const tags = path.join(dir, files[1]!);
    await writeFile(
      tags,
      `${await readFile(tags, 'utf8')}comment on table public.tags is 'edited';\n`,
    );
    const drift = await project.run(['migration', 'verify']);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain('problem');
    const driftJson = await project.runJson<{ ok: boolean; problems: string[] }>(
      'migration-verify',
      ['migration', 'verify'],
      1,
    );
    expect(driftJson.ok).toBe(false);

    const refused = await project.run(['migration', 'up', '--json']);
    expect(refused.code).toBe(7);
    expect(json(refused)).toMatchObject({ error: { code: 'MIGRATION_DRIFT' } });
    const version = files[1]!.slice(0, 14);
    const repaired = await project.runJson('migration-repair', [
      'migration',
      'repair',
      version,
      '--status',
      'applied',
    ]);
    expect(repaired).toMatchObject({ operation: 'repair', ok: true });
    expect((await project.run(['migration', 'verify'])).code).toBe(0);
    expect((await project.run(['migration', 'repair', version])).code).toBe(2);
    expect((await project.run(['migration', 'repair', '--status', 'applied'])).code).toBe(2);
  });

  it('down needs --last or --to and --yes without a terminal; reverts the newest', async () => {
    expect((await project.run(['migration', 'down'])).code).toBe(2);
    const unconfirmed = await project.run(['migration', 'down', '--last', '1', '--json']);
    expect(unconfirmed.code).toBe(2);
    expect(json(unconfirmed)).toMatchObject({ error: { code: 'CONFIRMATION_REQUIRED' } });
    const dry = await project.runJson<{ dryRun: boolean }>('migration-down', [
      'migration',
      'down',
      '--last',
      '1',
      '--dry-run',
    ]);
    expect(dry.dryRun).toBe(true);
    const down = await project.runJson<{ files: Array<{ status: string; name: string }> }>(
      'migration-down',
      ['migration', 'down', '--last', '1', '--yes'],
    );
    expect(down.files).toEqual([expect.objectContaining({ status: 'reverted', name: 'add_tags' })]);
    const status = await project.runJson<{ pending: string[] }>('migration-list', [
      'migration',
      'list',
    ]);
    expect(status.pending).toHaveLength(1);
    expect((await project.run(['migration', 'up'])).code).toBe(0);
  });

  it('fetch rebuilds files from the history', async () => {
    const fetchDir = path.join(project.project, 'fetched');
    const report = await project.runJson<{ files: Array<{ status: string }> }>('migration-fetch', [
      'migration',
      'fetch',
      '--dir',
      fetchDir,
    ]);
    expect(report.files.map((f) => f.status)).toEqual(['written', 'written']);
    expect((await readdir(fetchDir)).filter((f) => f.endsWith('.sql'))).toHaveLength(2);
    const human = await project.run(['migration', 'fetch', '--dir', fetchDir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('unchanged');
    await rm(fetchDir, { recursive: true });
  });

  it('a failing migration exits 7 with the statement and the fix; a production instance asks first', async () => {
    const created = await project.runJson<{ path: string }>('migration-new', [
      'migration',
      'new',
      'broken',
    ]);
    await writeFile(created.path, 'select nope from public.todos;\n');
    const failed = await project.run(['migration', 'up']);
    expect(failed.code).toBe(7);
    expect(failed.stderr).toContain('MIGRATION_FAILED');
    expect(failed.stderr).toContain('column "nope" does not exist');
    const failedJson = await project.runJson('error', ['migration', 'up'], 7);
    expect(failedJson).toMatchObject({ error: { code: 'MIGRATION_FAILED' } });
    await rm(created.path);

    const prod = await project.run(['migration', 'up', '--instance', 'prod'], { env: {} });
    expect(prod.code).toBe(4);
    await project.run([
      'instances',
      'add',
      'prod',
      '--session',
      'env:SUPAOPS_TEST_DB_URL',
      '--production',
    ]);
    const ask = await project.run(['migration', 'up', '--instance', 'prod', '--json']);
    expect(ask.code).toBe(2);
    expect(json(ask)).toMatchObject({
      error: { code: 'CONFIRMATION_REQUIRED', fix: 'Pass --yes to confirm.' },
    });
    expect((await project.run(['migration', 'up', '--instance', 'prod', '--yes'])).code).toBe(0);
  });

  it('--db-url works with no config, as the Supabase CLI allows', async () => {
    const bare = path.join(project.root, 'bare');
    await (await import('node:fs/promises')).mkdir(bare, { recursive: true });
    const { runCli } = await import('./helpers/cli.js');
    const result = await runCli(
      ['migration', 'list', '--db-url', db.current.url(), '--dir', dir, '--json'],
      { cwd: bare, env: project.env },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(json<{ summary: { applied: number } }>(result).summary.applied).toBe(2);
    expect(result.stdout).not.toContain(db.current.password);
  });
});
