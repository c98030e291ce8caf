import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createMigrator,
  formatStatusTable,
  MIGRATOR_OPERATIONS,
  MigrationDriftError,
  MigrationFailedError,
  MigrationHistoryMismatchError,
  type MigratorEvent,
  MissingDownFileError,
  type RunReport,
} from '../src/index.js';
import { grantCreateToPostgres, query, tempDir } from './helpers.js';

const db = useTestDatabase('migrator_cycle');
const dirs: { cleanup(): void }[] = [];
beforeAll(() => grantCreateToPostgres(db.current));
afterEach(async () => {
  for (const d of dirs.splice(0)) d.cleanup();
  // each test starts from an empty schema and empty history
  await query(
    db.current.adminUrl,
    `DROP SCHEMA IF EXISTS app CASCADE;
     DROP TABLE IF EXISTS supabase_migrations.schema_migrations, supabase_migrations.supaops_migration_meta;`,
  );
});

function setup(files: Record<string, string>) {
  const d = tempDir(files);
  dirs.push(d);
  const events: MigratorEvent[] = [];
  const migrator = createMigrator({
    connection: db.current.url('postgres'),
    dir: d.dir,
    onEvent: (e) => events.push(e),
  });
  return { ...d, migrator, events };
}

const tables = async () =>
  (
    await query<{ t: string }>(
      db.current.adminUrl,
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'app' ORDER BY 1",
    )
  ).map((r) => r.t);

const history = async () =>
  query<{ version: string; name: string; statements: string[] }>(
    db.current.adminUrl,
    'SELECT version, name, statements FROM supabase_migrations.schema_migrations ORDER BY version',
  );

const base = {
  '20240101000000_schema.sql': 'create schema app;\n',
  '20240101000000_schema.down.sql': 'drop schema app;\n',
  '20240102000000_todos.sql':
    "create table app.todos (id int primary key, title text);\ninsert into app.todos values (1, 'a;b');\n",
  '20240102000000_todos.down.sql': 'drop table app.todos;\n',
  '20240103000000_tags.sql': 'create table app.tags (id int primary key);\n',
  '20240103000000_tags.down.sql': 'drop table app.tags;\n',
};

describe('up / down / re-apply', () => {
  it('applies, rolls back to a target, and re-applies', async () => {
    const { migrator, events } = setup(base);
    const before = await migrator.status();
    expect(before.historyTableExists).toBe(false);
    expect(before.pending).toEqual(['20240101000000', '20240102000000', '20240103000000']);

    const report = await migrator.up();
    expect(report.ok).toBe(true);
    expect(report.destructive).toBe(false);
    expect(report.files.map((f) => [f.version, f.status])).toEqual([
      ['20240101000000', 'applied'],
      ['20240102000000', 'applied'],
      ['20240103000000', 'applied'],
    ]);
    expect(await tables()).toEqual(['tags', 'todos']);
    const rows = await history();
    expect(rows[1]).toEqual({
      version: '20240102000000',
      name: 'todos',
      statements: [
        'create table app.todos (id int primary key, title text)',
        "insert into app.todos values (1, 'a;b')",
      ],
    });
    const meta = await query<{
      version: string;
      sha256: string;
      applied_by: string;
      duration_ms: number;
      down_sha256: string;
    }>(
      db.current.adminUrl,
      'SELECT version, sha256, applied_by, duration_ms, down_sha256 FROM supabase_migrations.supaops_migration_meta ORDER BY version',
    );
    expect(meta).toHaveLength(3);
    expect(meta[0]?.applied_by).toBe('postgres');
    expect(meta[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(meta[0]?.down_sha256).toMatch(/^[0-9a-f]{64}$/);

    const starts = events.filter((e) => e.type === 'file-start');
    const ends = events.filter((e) => e.type === 'file-end');
    expect(starts).toHaveLength(3);
    expect(ends).toHaveLength(3);
    expect(ends.every((e) => e.type === 'file-end' && e.durationMs >= 0)).toBe(true);
    expect(events[0]?.type).toBe('run-start');
    expect(events.at(-1)?.type).toBe('run-end');

    const again = await migrator.up();
    expect(again.files).toEqual([]);

    expect(MIGRATOR_OPERATIONS.down.destructive).toBe(true);
    const down = await migrator.down({ to: '20240101000000' });
    expect(down.destructive).toBe(true);
    expect(down.files.map((f) => [f.version, f.status, f.file])).toEqual([
      ['20240103000000', 'reverted', '20240103000000_tags.down.sql'],
      ['20240102000000', 'reverted', '20240102000000_todos.down.sql'],
    ]);
    expect(await tables()).toEqual([]);
    expect((await history()).map((r) => r.version)).toEqual(['20240101000000']);

    const reapply = await migrator.up();
    expect(reapply.files.map((f) => f.version)).toEqual(['20240102000000', '20240103000000']);
    expect(await tables()).toEqual(['tags', 'todos']);

    const last = await migrator.down({ last: 3 });
    expect(last.files).toHaveLength(3);
    expect((await history()).length).toBe(0);
  });

  it('applies up to a version with `to`', async () => {
    const { migrator } = setup(base);
    const report = await migrator.up({ to: '20240102000000' });
    expect(report.files.map((f) => f.version)).toEqual(['20240101000000', '20240102000000']);
    expect((await migrator.status()).pending).toEqual(['20240103000000']);
  });

  it('refuses a rollback whose down file is missing and names it, changing nothing', async () => {
    const { migrator, write, dir } = setup({
      ...base,
      '20240104000000_no_down.sql': 'create table app.nodown (id int);',
    });
    await migrator.up();
    write('20240105000000_later.sql', 'select 1;');
    write('20240105000000_later.down.sql', 'select 1;');
    await migrator.up();
    const err = await migrator.down({ to: '20240102000000' }).catch((e: unknown) => e);
    expect(MissingDownFileError.isInstance(err)).toBe(true);
    expect((err as MissingDownFileError).missing).toEqual([
      join(dir, 'down', '20240104000000_no_down.down.sql'),
    ]);
    expect((err as Error).message).toContain('20240104000000_no_down.down.sql');
    expect((await history()).length).toBe(5);
  });

  it('stops at the first failing statement: file 3 of 5 leaves 1-2 applied, report points at it', async () => {
    const { migrator, events } = setup({
      '20240101000000_one.sql': 'create schema app;',
      '20240102000000_two.sql': 'create table app.a (id int);',
      '20240103000000_three.sql':
        'create table app.b (id int);\ninsert into app.b values (1);\n\nselect *\n  from app.missing_table;\ncreate table app.c (id int);\n',
      '20240104000000_four.sql': 'create table app.d (id int);',
      '20240105000000_five.sql': 'create table app.e (id int);',
    });
    const err = await migrator.up().catch((e: unknown) => e);
    expect(MigrationFailedError.isInstance(err)).toBe(true);
    const e = err as MigrationFailedError & { report: RunReport };
    expect(e.details).toMatchObject({
      version: '20240103000000',
      file: '20240103000000_three.sql',
      statementIndex: 2,
      statementCount: 4,
      sqlstate: '42P01',
      position: 17,
      line: 5,
      column: 8,
    });
    expect(e.details.excerpt).toBe('select *\n  from app.missing_table\n       ^');
    expect(e.message).toContain('statement 3 of 4');
    expect(e.message).toContain('SQLSTATE 42P01');
    expect(e.report.ok).toBe(false);
    expect(e.report.error?.details?.statementIndex).toBe(2);
    expect(e.report.files.map((f) => [f.version, f.status])).toEqual([
      ['20240101000000', 'applied'],
      ['20240102000000', 'applied'],
      ['20240103000000', 'failed'],
    ]);
    expect(events.some((ev) => ev.type === 'file-failed' && ev.version === '20240103000000')).toBe(
      true,
    );
    expect(await tables()).toEqual(['a']);
    expect((await history()).map((r) => r.version)).toEqual(['20240101000000', '20240102000000']);
  });

  it('runs a no-transaction file outside a transaction', async () => {
    const { migrator } = setup({
      '20240101000000_schema.sql':
        "create schema app;\ncreate table app.t (id int, s text);\ncreate type app.mood as enum ('ok');",
      '20240102000000_concurrent.sql':
        "-- supaops:no-transaction\ncreate index concurrently t_id_idx on app.t (id);\nalter type app.mood add value 'great';\n",
    });
    const report = await migrator.up();
    expect(report.files.map((f) => [f.version, f.noTransaction])).toEqual([
      ['20240101000000', false],
      ['20240102000000', true],
    ]);
    const idx = await query(
      db.current.adminUrl,
      "SELECT 1 FROM pg_indexes WHERE indexname = 't_id_idx'",
    );
    expect(idx).toHaveLength(1);
    const meta = await query<{ no_transaction: boolean }>(
      db.current.adminUrl,
      "SELECT no_transaction FROM supabase_migrations.supaops_migration_meta WHERE version = '20240102000000'",
    );
    expect(meta[0]?.no_transaction).toBe(true);
  });

  it('a failing no-transaction file reports the partial application and is not recorded', async () => {
    const { migrator } = setup({
      '20240101000000_schema.sql': 'create schema app;\ncreate table app.t (id int);',
      '20240102000000_bad.sql':
        '-- supaops:no-transaction\ncreate index concurrently t_idx on app.t (id);\ncreate index concurrently bad on app.nope (id);',
    });
    const err = (await migrator.up().catch((e: unknown) => e)) as MigrationFailedError;
    expect(MigrationFailedError.isInstance(err)).toBe(true);
    expect(err.details.partiallyApplied).toBe(true);
    expect(err.details.statementIndex).toBe(1);
    expect(err.message).toContain('no-transaction');
    expect((await history()).map((r) => r.version)).toEqual(['20240101000000']);
  });
});

describe('dry run', () => {
  it('runs pending files in a rolled-back transaction and reports what would change', async () => {
    const { migrator } = setup({
      ...base,
      '20240104000000_conc.sql':
        '-- supaops:no-transaction\ncreate index concurrently x on app.tags (id);',
    });
    const report = await migrator.up({ dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.files.map((f) => [f.version, f.status])).toEqual([
      ['20240101000000', 'would-apply'],
      ['20240102000000', 'would-apply'],
      ['20240103000000', 'would-apply'],
      ['20240104000000', 'skipped'],
    ]);
    const todos = report.files[1];
    expect(todos?.results).toEqual([
      { index: 0, command: 'CREATE', rowCount: null },
      { index: 1, command: 'INSERT', rowCount: 1 },
    ]);
    expect(todos?.changes?.created).toContainEqual({ kind: 'table', name: 'app.todos' });
    expect(todos?.changes?.created).toContainEqual({ kind: 'index', name: 'app.todos_pkey' });
    expect(report.files[0]?.changes?.created).toContainEqual({ kind: 'schema', name: 'app' });
    // nothing persisted, not even the history tables
    expect(await tables()).toEqual([]);
    const st = await migrator.status();
    expect(st.historyTableExists).toBe(false);
    expect(st.pending).toHaveLength(4);
  });

  it('reports alterations and drops, and a failure in dry run', async () => {
    const { migrator, write } = setup(base);
    await migrator.up();
    write(
      '20240104000000_alter.sql',
      'alter table app.todos add column done boolean;\ndrop table app.tags;',
    );
    const report = await migrator.up({ dryRun: true });
    expect(report.files[0]?.changes).toMatchObject({
      altered: [{ kind: 'table', name: 'app.todos' }],
    });
    expect(report.files[0]?.changes?.dropped).toContainEqual({ kind: 'table', name: 'app.tags' });
    write('20240105000000_broken.sql', 'select nope from nowhere;');
    const err = (await migrator
      .up({ dryRun: true })
      .catch((e: unknown) => e)) as MigrationFailedError & {
      report: RunReport;
    };
    expect(MigrationFailedError.isInstance(err)).toBe(true);
    expect(err.report.dryRun).toBe(true);
    expect(await tables()).toEqual(['tags', 'todos']);
    const down = await migrator.down({ last: 1, dryRun: true });
    expect(down.files.map((f) => f.status)).toEqual(['would-revert']);
    expect(await tables()).toEqual(['tags', 'todos']);
  });
});

describe('history checks', () => {
  it('refuses out-of-order files unless includeAll', async () => {
    const { migrator, write } = setup({ '20240102000000_b.sql': 'select 1;' });
    await migrator.up();
    write('20240101000000_a.sql', 'create schema app;');
    const st = await migrator.status();
    expect(st.outOfOrder).toEqual(['20240101000000']);
    expect(st.entries.find((e) => e.version === '20240101000000')?.state).toBe('out-of-order');
    const err = await migrator.up().catch((e: unknown) => e);
    expect(MigrationHistoryMismatchError.isInstance(err)).toBe(true);
    expect((err as MigrationHistoryMismatchError).code).toBe('MIGRATION_OUT_OF_ORDER');
    const report = await migrator.up({ includeAll: true });
    expect(report.files.map((f) => f.version)).toEqual(['20240101000000']);
  });

  it('reverts in reverse file-name order; to "0" reverts versions that sort after 0 too', async () => {
    const { migrator } = setup({
      '0001_schema.sql': 'create schema app;',
      '0001_schema.down.sql': 'drop schema app;',
      '0002_a.sql': 'create table app.a (id int);',
      '0002_a.down.sql': 'drop table app.a;',
      '10_b.sql': 'create table app.b (id int);',
      '10_b.down.sql': 'drop table app.b;',
    });
    const up = await migrator.up();
    expect(up.files.map((f) => f.version)).toEqual(['0001', '0002', '10']);
    const one = await migrator.down({ to: '0002' });
    expect(one.files.map((f) => f.version)).toEqual(['10']);
    const rest = await migrator.down({ to: '0' });
    expect(rest.files.map((f) => f.version)).toEqual(['0002', '0001']);
    expect(await history()).toEqual([]);
  });

  it('refuses when applied versions are missing locally, and fetch rebuilds them', async () => {
    const { migrator, dir, write } = setup(base);
    await migrator.up();
    const other = tempDir({});
    dirs.push(other);
    const empty = createMigrator({ connection: db.current.url('postgres'), dir: other.dir });
    const st = await empty.status();
    expect(st.missingLocally).toHaveLength(3);
    expect(formatStatusTable(st)).toContain('3 missing locally');
    const err = await empty.up().catch((e: unknown) => e);
    expect((err as MigrationHistoryMismatchError).code).toBe('MIGRATION_REMOTE_MISSING_LOCALLY');
    expect((err as Error).message).toContain('repair --status reverted');
    const verify = await empty.verify();
    expect(verify.ok).toBe(false);
    expect(verify.exitCode).toBe(1);

    const fetched = await empty.fetch();
    expect(fetched.files.map((f) => [f.file, f.status])).toEqual([
      ['20240101000000_schema.sql', 'written'],
      ['20240102000000_todos.sql', 'written'],
      ['20240103000000_tags.sql', 'written'],
    ]);
    expect(readFileSync(join(other.dir, '20240102000000_todos.sql'), 'utf8')).toBe(
      "create table app.todos (id int primary key, title text);\ninsert into app.todos values (1, 'a;b');\n",
    );
    const after = await empty.status();
    expect(after.missingLocally).toEqual([]);
    expect(after.drifted).toEqual([]);
    expect((await empty.fetch()).files.every((f) => f.status === 'unchanged')).toBe(true);
    // fetching into the original dir conflicts with a hand-formatted file, which is kept
    write('20240102000000_todos.sql', base['20240102000000_todos.sql'].replace(';\n', ';\n\n\n'));
    expect((await migrator.status()).drifted).toEqual([]); // white space between statements only
    const conflicts = await migrator.fetch();
    expect(conflicts.files.map((f) => f.status)).toEqual(['unchanged', 'conflict', 'unchanged']);
    expect(conflicts.files[1]?.note).toContain('overwrite');
    expect(readFileSync(join(dir, '20240101000000_schema.sql'), 'utf8')).toBe(
      'create schema app;\n',
    );
    const overwritten = await migrator.fetch({ overwrite: true });
    expect(overwritten.files.map((f) => f.status)).toEqual(['unchanged', 'written', 'unchanged']);
    expect((await migrator.status()).drifted).toEqual([]);
    expect(readdirSync(dir)).toContain('20240101000000_schema.down.sql');
  });

  it('detects drift, refuses up, verify fails; repair clears it', async () => {
    const { migrator, write } = setup(base);
    await migrator.up();
    expect((await migrator.verify()).ok).toBe(true);
    write('20240102000000_todos.sql', 'create table app.todos (id bigint primary key);');
    write('20240104000000_more.sql', 'create table app.more (id int);');
    const st = await migrator.status();
    expect(st.drifted).toEqual(['20240102000000']);
    const entry = st.entries.find((e) => e.version === '20240102000000');
    expect(entry).toMatchObject({ drift: 'changed', driftBasis: 'sha256' });
    expect(entry?.localSha256).not.toBe(entry?.appliedSha256);
    expect(formatStatusTable(st)).toContain('CHANGED');

    const verify = await migrator.verify();
    expect(verify).toMatchObject({ ok: false, exitCode: 1 });
    expect(verify.problems[0]).toContain('20240102000000_todos.sql');

    const err = await migrator.up().catch((e: unknown) => e);
    expect(MigrationDriftError.isInstance(err)).toBe(true);
    expect((err as MigrationDriftError).versions).toEqual(['20240102000000']);
    expect((await migrator.status()).pending).toEqual(['20240104000000']);

    const repaired = await migrator.repair({ versions: ['20240102000000'], status: 'applied' });
    expect(repaired.files.map((f) => f.status)).toEqual(['marked-applied']);
    const after = await migrator.status();
    expect(after.drifted).toEqual([]);
    expect(after.entries.find((e) => e.version === '20240102000000')?.repairedAt).toBeTruthy();
    expect((await history())[1]?.statements).toEqual([
      'create table app.todos (id bigint primary key)',
    ]);
    expect((await migrator.verify()).exitCode).toBe(0);
    const up = await migrator.up();
    expect(up.files.map((f) => f.version)).toEqual(['20240104000000']);
  });

  it('allowDrift applies despite drift', async () => {
    const { migrator, write } = setup(base);
    await migrator.up();
    write('20240101000000_schema.sql', 'create schema if not exists app;');
    write('20240104000000_more.sql', 'select 1;');
    const report = await migrator.up({ allowDrift: true });
    expect(report.files.map((f) => f.version)).toEqual(['20240104000000']);
  });

  it('repair marks versions applied and reverted without running SQL', async () => {
    const { migrator } = setup(base);
    const marked = await migrator.repair({
      versions: ['20240101000000', '20240102000000'],
      status: 'applied',
    });
    expect(marked.ok).toBe(true);
    expect(await tables()).toEqual([]); // nothing ran
    expect((await history()).map((r) => r.version)).toEqual(['20240101000000', '20240102000000']);
    expect((await migrator.status()).pending).toEqual(['20240103000000']);

    await migrator.repair({ versions: ['20240102000000', '20240101000000'], status: 'reverted' });
    expect(await history()).toEqual([]);
    const meta = await query(
      db.current.adminUrl,
      'SELECT * FROM supabase_migrations.supaops_migration_meta',
    );
    expect(meta).toEqual([]);
    // repair → up → repair reverted → up again
    await migrator.up();
    await migrator.repair({ versions: ['20240103000000'], status: 'reverted' });
    await query(db.current.adminUrl, 'DROP TABLE app.tags');
    const again = await migrator.up();
    expect(again.files.map((f) => f.version)).toEqual(['20240103000000']);
    expect(await tables()).toEqual(['tags', 'todos']);

    const err = await migrator
      .repair({ versions: ['20991231000000'], status: 'applied' })
      .catch((e: unknown) => e);
    expect((err as { code: string }).code).toBe('MIGRATION_FILE_NOT_FOUND');

    // all: the whole history, like `supabase migration repair --status … ` without versions
    await query(
      db.current.adminUrl,
      "INSERT INTO supabase_migrations.schema_migrations (version, name) VALUES ('20230101000000', 'stray')",
    );
    const all = await migrator.repair({ all: true, status: 'applied' });
    expect(all.files.map((f) => f.version)).toEqual([
      '20240101000000',
      '20240102000000',
      '20240103000000',
    ]);
    expect((await history()).map((r) => r.version)).toEqual([
      '20240101000000',
      '20240102000000',
      '20240103000000',
    ]);
    await migrator.repair({ all: true, status: 'reverted' });
    expect(await history()).toEqual([]);
    await expect(
      migrator.repair({ all: true, versions: ['1'], status: 'applied' }),
    ).rejects.toThrow(/either `versions` or `all: true`/);
  });
});

describe('files and reports', () => {
  it('creates new migrations with 14-digit UTC timestamps and optional down files', async () => {
    const d = tempDir({});
    dirs.push(d);
    const at = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));
    const migrator = createMigrator({
      connection: db.current.url('postgres'),
      dir: join(d.dir, 'supabase', 'migrations'),
      now: () => at,
    });
    const a = await migrator.newMigration('create_things', {
      down: true,
      sql: 'create schema app;\n',
    });
    expect(a.version).toBe('20250102030405');
    expect(a.path).toBe(join(d.dir, 'supabase', 'migrations', '20250102030405_create_things.sql'));
    // down files go to <dir>/down, where the Supabase CLI does not look
    expect(a.downPath).toBe(
      join(d.dir, 'supabase', 'migrations', 'down', '20250102030405_create_things.down.sql'),
    );
    const b = await migrator.newMigration('second');
    expect(b.version).toBe('20250102030406');
    expect(b.downPath).toBeUndefined();
    await expect(migrator.newMigration('bad name!')).rejects.toMatchObject({
      code: 'MIGRATOR_INVALID_INPUT',
    });
    const st = await migrator.status();
    expect(st.pending).toEqual(['20250102030405', '20250102030406']);
    expect(st.skippedFiles).toEqual([]);
    expect(st.cliVisibleDownFiles).toEqual([]);
    writeFileSync(a.downPath as string, 'drop schema app;\n');
    await migrator.up();
    const down = await migrator.down({ last: 2 }).catch((e: unknown) => e);
    // the second file has no down file: refused, named in down/
    expect((down as MissingDownFileError).missing).toEqual([
      join(d.dir, 'supabase', 'migrations', 'down', '20250102030406_second.down.sql'),
    ]);
    writeFileSync(
      join(d.dir, 'supabase', 'migrations', 'down', '20250102030406_second.down.sql'),
      '',
    );
    const reverted = await migrator.down({ to: '0' });
    expect(reverted.files.map((f) => f.file)).toEqual([
      join('down', '20250102030406_second.down.sql'),
      join('down', '20250102030405_create_things.down.sql'),
    ]);
    expect(await tables()).toEqual([]);
  });

  it('skips non-migration files and writes a JSON report of every run', async () => {
    const d = tempDir({ ...base, 'README.md': 'notes', '.DS_Store': '' });
    dirs.push(d);
    const reports = tempDir({});
    dirs.push(reports);
    const progress: MigratorEvent[] = [];
    const migrator = createMigrator({
      connection: db.current.url('postgres'),
      dir: d.dir,
      reportDir: reports.dir,
      appliedBy: 'ci-bot',
      lock: { mode: 'wait', timeoutMs: 5000 },
    });
    const off = migrator.on('progress', (e) => progress.push(e));
    const st = await migrator.status();
    expect(st.skippedFiles).toEqual(['.DS_Store', 'README.md']);
    expect(st.cliVisibleDownFiles).toHaveLength(3);
    await migrator.up();
    off();
    await migrator.down({ to: '0' });
    const files = readdirSync(reports.dir).sort();
    expect(files).toHaveLength(2);
    const parsed = files.map(
      (f) => JSON.parse(readFileSync(join(reports.dir, f), 'utf8')) as RunReport,
    );
    expect(parsed.map((r) => r.operation).sort()).toEqual(['down', 'up']);
    expect(
      parsed.every(
        (r) => r.ok && r.target.includes('***') && !r.target.includes(db.current.password),
      ),
    ).toBe(true);
    expect(progress.filter((e) => e.type === 'file-end')).toHaveLength(3);
    expect(() => migrator.on('nope' as 'progress', () => {})).toThrow(/progress/);
  });
});
