import { useTestDatabase } from '@supaops/testkit/vitest';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createMigrator,
  MigrationHistoryMismatchError,
  MigratorDatabaseError,
} from '../src/index.js';
import { grantCreateToPostgres, query, tempDir } from './helpers.js';

// Verbatim from supabase/cli pkg/migration/history.go (CreateMigrationTable, Insert/Select).
const CLI = {
  SET_LOCK_TIMEOUT: "SET lock_timeout = '4s'",
  CREATE_VERSION_SCHEMA: 'CREATE SCHEMA IF NOT EXISTS supabase_migrations',
  CREATE_VERSION_TABLE:
    'CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY)',
  ADD_STATEMENTS_COLUMN:
    'ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[]',
  ADD_NAME_COLUMN:
    'ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text',
  INSERT_MIGRATION_VERSION:
    'INSERT INTO supabase_migrations.schema_migrations(version, name, statements) VALUES($1, $2, $3)',
  SELECT_VERSION_TABLE:
    "SELECT version, coalesce(name, '') as name, statements FROM supabase_migrations.schema_migrations",
  LIST_MIGRATION_VERSION:
    'SELECT version FROM supabase_migrations.schema_migrations ORDER BY version',
  DELETE_MIGRATION_VERSION:
    'DELETE FROM supabase_migrations.schema_migrations WHERE version = ANY($1)',
};

const db = useTestDatabase('migrator_cli');
const dirs: { cleanup(): void }[] = [];
beforeAll(() => grantCreateToPostgres(db.current));
afterAll(() => {
  for (const d of dirs) d.cleanup();
});
afterEach(async () => {
  await query(
    db.current.adminUrl,
    'DROP SCHEMA IF EXISTS app CASCADE; DROP TABLE IF EXISTS supabase_migrations.schema_migrations, supabase_migrations.supaops_migration_meta;',
  );
});

/** Does what `supabase db push` does to the history, as the `postgres` role. */
async function asCli<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: db.current.url('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function cliCreateTable(c: pg.Client) {
  await c.query('BEGIN');
  for (const sql of [
    CLI.SET_LOCK_TIMEOUT,
    CLI.CREATE_VERSION_SCHEMA,
    CLI.CREATE_VERSION_TABLE,
    CLI.ADD_STATEMENTS_COLUMN,
    CLI.ADD_NAME_COLUMN,
  ]) {
    await c.query(sql);
  }
  await c.query('COMMIT');
}

const files = {
  '20230101000000_init.sql':
    '-- created by the CLI\ncreate schema app;\n\ncreate table app.notes (\n  id bigint primary key,\n  body text\n);\n',
  '20230102000000_seed.sql': "insert into app.notes values (1, 'hello; world');\n",
  '20240101000000_ours.sql': 'create table app.ours (id int);\n',
};

describe('Supabase CLI compatibility', () => {
  it('reads history rows the CLI wrote (fixture rows) and adds ours next to them', async () => {
    const d = tempDir(files);
    dirs.push(d);
    await asCli(async (c) => {
      await cliCreateTable(c);
      // exactly what the CLI stored for these files: statements split and trimmed
      await c.query(CLI.INSERT_MIGRATION_VERSION, [
        '20230101000000',
        'init',
        [
          '-- created by the CLI\ncreate schema app',
          'create table app.notes (\n  id bigint primary key,\n  body text\n)',
        ],
      ]);
      await c.query(CLI.INSERT_MIGRATION_VERSION, [
        '20230102000000',
        'seed',
        ["insert into app.notes values (1, 'hello; world')"],
      ]);
      await c.query(
        "create schema app; create table app.notes (id bigint primary key, body text); insert into app.notes values (1, 'hello; world')",
      );
    });
    const m = createMigrator({ connection: db.current.url('postgres'), dir: d.dir });
    const st = await m.status();
    expect(st.entries.map((e) => [e.version, e.state, e.drift, e.driftBasis])).toEqual([
      ['20230101000000', 'applied', 'none', 'statements'],
      ['20230102000000', 'applied', 'none', 'statements'],
      ['20240101000000', 'pending', 'none', null],
    ]);
    const report = await m.up();
    expect(report.files.map((f) => f.version)).toEqual(['20240101000000']);

    // what `supabase migration list` / `db push` read back
    const listed = await asCli(async (c) => (await c.query(CLI.LIST_MIGRATION_VERSION)).rows);
    expect(listed.map((r) => r.version)).toEqual([
      '20230101000000',
      '20230102000000',
      '20240101000000',
    ]);
    const rows = await asCli(
      async (c) => (await c.query(`${CLI.SELECT_VERSION_TABLE} ORDER BY version`)).rows,
    );
    expect(rows[2]).toEqual({
      version: '20240101000000',
      name: 'ours',
      statements: ['create table app.ours (id int)'],
    });
    // the CLI's idempotent setup still works on our history, and it can repair (delete) our rows
    await asCli(async (c) => {
      await cliCreateTable(c);
      await c.query(CLI.DELETE_MIGRATION_VERSION, [['20240101000000']]);
    });
    const after = await m.status();
    expect(after.pending).toEqual(['20240101000000']);

    // an edit of a CLI-applied file is caught by comparing the stored statements
    d.write('20230102000000_seed.sql', "insert into app.notes values (2, 'changed');\n");
    const drift = await m.status();
    expect(drift.entries.find((e) => e.version === '20230102000000')).toMatchObject({
      drift: 'changed',
      driftBasis: 'statements',
    });
  });

  it('creates the history table exactly as the CLI does, and only adds a table of its own', async () => {
    const d = tempDir(files);
    dirs.push(d);
    await createMigrator({ connection: db.current.url('postgres'), dir: d.dir }).up();
    const cols = await query<{ column_name: string; data_type: string; is_nullable: string }>(
      db.current.adminUrl,
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = 'supabase_migrations' AND table_name = 'schema_migrations' ORDER BY ordinal_position`,
    );
    expect(cols).toEqual([
      { column_name: 'version', data_type: 'text', is_nullable: 'NO' },
      { column_name: 'statements', data_type: 'ARRAY', is_nullable: 'YES' },
      { column_name: 'name', data_type: 'text', is_nullable: 'YES' },
    ]);
    const pk = await query<{ def: string }>(
      db.current.adminUrl,
      "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'supabase_migrations.schema_migrations'::regclass",
    );
    expect(pk).toEqual([{ def: 'PRIMARY KEY (version)' }]);
    const tables = await query<{ t: string }>(
      db.current.adminUrl,
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'supabase_migrations' ORDER BY 1",
    );
    expect(tables.map((t) => t.t)).toEqual(['schema_migrations', 'supaops_migration_meta']);
  });

  it('works on a hosted-style table with extra columns, writing explicit columns only', async () => {
    const d = tempDir(files);
    dirs.push(d);
    await asCli(async (c) => {
      await cliCreateTable(c);
      await c.query(
        'ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN created_by text, ADD COLUMN idempotency_key text, ADD COLUMN rollback text[]',
      );
    });
    const m = createMigrator({ connection: db.current.url('postgres'), dir: d.dir });
    await m.up();
    await m.down({ last: 1 }).catch(() => undefined); // no down files: refused, nothing changes
    const rows = await query<{ version: string; created_by: string | null }>(
      db.current.adminUrl,
      'SELECT version, created_by FROM supabase_migrations.schema_migrations ORDER BY version',
    );
    expect(rows).toEqual([
      { version: '20230101000000', created_by: null },
      { version: '20230102000000', created_by: null },
      { version: '20240101000000', created_by: null },
    ]);
    expect((await m.status()).drifted).toEqual([]);
  });

  it('rolls back a CLI-applied version with our down file (CLI-only history)', async () => {
    const d = tempDir({
      '20230101000000_init.sql': 'create schema app;',
      '20230101000000_init.down.sql': 'drop schema app;',
    });
    dirs.push(d);
    await asCli(async (c) => {
      await cliCreateTable(c);
      await c.query(CLI.INSERT_MIGRATION_VERSION, [
        '20230101000000',
        'init',
        ['create schema app'],
      ]);
      await c.query('create schema app');
    });
    const m = createMigrator({ connection: db.current.url('postgres'), dir: d.dir });
    const report = await m.down({ to: '0' });
    expect(report.files.map((f) => [f.version, f.status])).toEqual([
      ['20230101000000', 'reverted'],
    ]);
    expect(await asCli(async (c) => (await c.query(CLI.LIST_MIGRATION_VERSION)).rows)).toEqual([]);
    expect(await query(db.current.adminUrl, "SELECT to_regnamespace('app') AS s")).toEqual([
      { s: null },
    ]);
  });

  it('never alters a CLI table from an old CLI that lacks columns', async () => {
    const d = tempDir(files);
    dirs.push(d);
    await asCli(async (c) => {
      await c.query(CLI.CREATE_VERSION_TABLE);
      await c.query(
        "INSERT INTO supabase_migrations.schema_migrations (version) VALUES ('20230101000000')",
      );
    });
    const m = createMigrator({ connection: db.current.url('postgres'), dir: d.dir });
    const error = await m.up().catch((e: unknown) => e);
    expect(MigratorDatabaseError.isInstance(error)).toBe(true);
    expect((error as MigratorDatabaseError).code).toBe('MIGRATION_HISTORY_INCOMPATIBLE');
    expect((error as Error).message).toContain('statements, name');
    const cols = await query(
      db.current.adminUrl,
      "SELECT column_name FROM information_schema.columns WHERE table_schema = 'supabase_migrations' AND table_name = 'schema_migrations'",
    );
    expect(cols).toHaveLength(1);
  });
});

// The CLI lists files with fs.ReadDir (sorted by name) and walks them against the history by
// string comparison (pkg/migration/list.go, apply.go FindPendingMigrations): file-name order.
describe('Supabase CLI file order', () => {
  const ordered = {
    '20240101000000_a.sql':
      "create schema app;\ncreate table app.runs (seq serial primary key, v text);\ninsert into app.runs (v) values ('a');\n",
    // numerically the smallest version, but listed between a and b
    '20240130_x.sql': "insert into app.runs (v) values ('x');\ncreate table app.x (id int);\n",
    '20240201000000_b.sql':
      "insert into app.runs (v) values ('b');\nalter table app.x add column b int;\n",
  };
  const runs = async () =>
    (await query<{ v: string }>(db.current.adminUrl, 'SELECT v FROM app.runs ORDER BY seq')).map(
      (r) => r.v,
    );
  /** Runs the statements and writes the history rows, as `supabase db push` does. */
  const cliApplied = async (c: pg.Client, rows: [string, string, string[]][]) => {
    await cliCreateTable(c);
    for (const [version, name, statements] of rows) {
      await c.query(CLI.INSERT_MIGRATION_VERSION, [version, name, statements]);
      for (const s of statements) await c.query(s);
    }
  };
  const cliA: [string, string, string[]] = [
    '20240101000000',
    'a',
    [
      'create schema app',
      'create table app.runs (seq serial primary key, v text)',
      "insert into app.runs (v) values ('a')",
    ],
  ];
  const cliX: [string, string, string[]] = [
    '20240130',
    'x',
    ["insert into app.runs (v) values ('x')", 'create table app.x (id int)'],
  ];

  it('applies 20240130_x.sql among 14-digit files in file-name order', async () => {
    const d = tempDir(ordered);
    dirs.push(d);
    const m = createMigrator({ connection: db.current.url('postgres'), dir: d.dir });
    expect((await m.status()).pending).toEqual(['20240101000000', '20240130', '20240201000000']);
    const report = await m.up();
    expect(report.files.map((f) => f.file)).toEqual([
      '20240101000000_a.sql',
      '20240130_x.sql',
      '20240201000000_b.sql',
    ]);
    // b alters the table x creates: numeric order (x first) would have failed on a missing schema
    expect(await runs()).toEqual(['a', 'x', 'b']);
    // what the CLI reads back lines up with its own directory listing: nothing to push
    const listed = await asCli(async (c) => (await c.query(CLI.LIST_MIGRATION_VERSION)).rows);
    expect(listed.map((r) => r.version)).toEqual(['20240101000000', '20240130', '20240201000000']);
    const st = await m.status();
    expect([st.pending, st.outOfOrder, st.missingLocally]).toEqual([[], [], []]);
  });

  it('does not call a history the CLI wrote in its order out of order', async () => {
    const d = tempDir(ordered);
    dirs.push(d);
    // `supabase db push` ran when only a existed; x and b came later
    await asCli((c) => cliApplied(c, [cliA]));
    const m = createMigrator({ connection: db.current.url('postgres'), dir: d.dir });
    const st = await m.status();
    expect(st.entries.map((e) => [e.version, e.state])).toEqual([
      ['20240101000000', 'applied'],
      ['20240130', 'pending'],
      ['20240201000000', 'pending'],
    ]);
    expect(st.outOfOrder).toEqual([]);
    const report = await m.up();
    expect(report.files.map((f) => f.version)).toEqual(['20240130', '20240201000000']);
    expect(await runs()).toEqual(['a', 'x', 'b']);
  });

  it('calls out of order what the CLI would refuse to insert before its last version', async () => {
    const d = tempDir({
      ...ordered,
      // numerically after every applied version, but listed before x
      '20240120000000_late.sql': "insert into app.runs (v) values ('late');\n",
    });
    dirs.push(d);
    await asCli((c) => cliApplied(c, [cliA, cliX]));
    const m = createMigrator({ connection: db.current.url('postgres'), dir: d.dir });
    const st = await m.status();
    expect([st.outOfOrder, st.pending]).toEqual([['20240120000000'], ['20240201000000']]);
    const error = await m.up().catch((e: unknown) => e);
    expect(MigrationHistoryMismatchError.isInstance(error)).toBe(true);
    expect((error as MigrationHistoryMismatchError).code).toBe('MIGRATION_OUT_OF_ORDER');
    expect(await runs()).toEqual(['a', 'x']);
    const report = await m.up({ includeAll: true });
    expect(report.files.map((f) => f.version)).toEqual(['20240120000000', '20240201000000']);
    expect(await runs()).toEqual(['a', 'x', 'late', 'b']);
  });
});
