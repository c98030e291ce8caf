import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testServer, useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator, splitStatements } from '../src/index.js';
import { grantCreateToPostgres, query, tempDir } from './helpers.js';

// psql is the reference for where statements end: the same file goes through psql into one
// database and through the migrator into another, and both must send the same statements and
// leave the same catalog behind.
const ours = useTestDatabase('migrator_parity_ours');
const ref = useTestDatabase('migrator_parity_psql');
const ruleDb = useTestDatabase('migrator_rule');

const corpus = readFileSync(new URL('./fixtures/psql-parity.sql', import.meta.url), 'utf8');
const home = mkdtempSync(join(tmpdir(), 'migrator-psql-home-'));
const dirs: { cleanup(): void }[] = [];
afterAll(() => {
  for (const d of dirs) d.cleanup();
  rmSync(home, { recursive: true, force: true });
});
beforeAll(() => grantCreateToPostgres(ruleDb.current));

function psqlBinary(): string {
  const binDir = (testServer() as { binDir?: string }).binDir;
  const candidates = [
    process.env.PSQL,
    binDir ? join(binDir, 'psql') : undefined,
    '/usr/lib/postgresql/15/bin/psql',
  ];
  const found = candidates.find((p): p is string => Boolean(p && existsSync(p)));
  if (!found) {
    throw new Error('psql not found. Fix: install postgresql-client-15 or set PSQL to its path.');
  }
  return found;
}

/** Runs a file through psql and returns the statements the server received, in order. */
async function psqlStatements(db: typeof ref.current, file: string): Promise<string[]> {
  const { stderr } = await promisify(execFile)(
    psqlBinary(),
    ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-o', '/dev/null', '-f', file],
    {
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        XDG_CONFIG_HOME: home,
        PSQL_HISTORY: '/dev/null',
        PGHOST: db.host,
        PGPORT: String(db.port),
        PGUSER: decodeURIComponent(new URL(db.adminUrl).username),
        PGPASSWORD: db.password,
        PGDATABASE: db.name,
        // the server echoes every statement it gets back to psql as a LOG message
        PGOPTIONS: '-c log_statement=all -c client_min_messages=log',
      },
    },
  );
  expect(stderr).not.toMatch(/^psql:[^\n]*: (?:NOTICE|WARNING|ERROR|error):/m);
  const marker = /^psql:[^\n]*?:\d+: LOG: {2}statement: /m;
  const [before, ...sent] = stderr.split(marker);
  expect(before).toBe('');
  // psql sends the `;` and sends a lone `;` for an empty statement; the CLI form drops both
  return sent.map((s) => s.replace(/\n$/, '').replace(/;$/, '').trimEnd()).filter((s) => s !== '');
}

/** psql suppresses white space and `--` comments before a statement; the CLI keeps them. */
function withoutLeadingLineComments(statement: string): string {
  let s = statement;
  for (let i = 0; i < 1000 && /^(?:\s|--)/.test(s); i++) {
    s = s.replace(/^\s+/, '').replace(/^--[^\n]*(?:\n|$)/, '');
  }
  return s;
}

const SNAPSHOT = `
select json_build_object(
  'rules', (select json_agg(pg_get_ruledef(r.oid) order by r.rulename)
              from pg_rewrite r join pg_class c on c.oid = r.ev_class
             where c.relnamespace = 'parity'::regnamespace),
  'routines', (select json_agg(pg_get_functiondef(p.oid) order by p.proname)
                 from pg_proc p where p.pronamespace = 'parity'::regnamespace),
  'columns', (select json_agg(json_build_array(table_name, column_name, data_type)
                               order by table_name, ordinal_position)
                from information_schema.columns where table_schema = 'parity'),
  'comment', obj_description('parity.t'::regclass, 'pg_class'),
  't', (select json_agg(x order by id) from parity.t x),
  'log_a', (select json_agg(x order by id, note) from parity.log_a x),
  'log_b', (select json_agg(x order by id) from parity.log_b x),
  'odd', (select json_agg(x order by "ä$$") from parity."odd;(name" x)
) as snapshot`;

describe('statement splitting against psql 15', () => {
  it('sends the statements psql sends and leaves the catalog psql leaves', async () => {
    const dir = tempDir({ '20240101000000_parity.sql': corpus });
    dirs.push(dir);
    const fromPsql = await psqlStatements(ref.current, join(dir.dir, '20240101000000_parity.sql'));
    const split = splitStatements(corpus);
    expect(split.map(withoutLeadingLineComments)).toEqual(fromPsql);
    // the corpus really exercises the cases: the rule with nested parentheses is one statement
    expect(fromPsql.some((s) => s.startsWith('create rule t_log') && s.endsWith(')'))).toBe(true);
    expect(fromPsql).toHaveLength(15);

    const report = await createMigrator({ connection: ours.current.adminUrl, dir: dir.dir }).up();
    expect(report.files.map((f) => [f.file, f.status, f.statements])).toEqual([
      ['20240101000000_parity.sql', 'applied', split.length],
    ]);
    const stored = await query<{ statements: string[] }>(
      ours.current.adminUrl,
      'SELECT statements FROM supabase_migrations.schema_migrations',
    );
    expect(stored[0]?.statements).toEqual(split);

    const [mine] = await query<{ snapshot: Record<string, unknown> }>(
      ours.current.adminUrl,
      SNAPSHOT,
    );
    const [theirs] = await query<{ snapshot: Record<string, unknown> }>(
      ref.current.adminUrl,
      SNAPSHOT,
    );
    expect(mine?.snapshot).toEqual(theirs?.snapshot);
    expect(mine?.snapshot.rules).toHaveLength(2);
    expect(mine?.snapshot.routines).toHaveLength(3);
    expect(mine?.snapshot.log_b).toEqual([
      { id: 1, doubled: 2 },
      { id: 2, doubled: 4 },
      { id: 3, doubled: 6 },
    ]);
  });
});

describe('CREATE RULE … DO ALSO (a; b)', () => {
  it('applies as one statement and the rule runs both actions', async () => {
    const dir = tempDir({
      '20240101000000_tables.sql':
        'create schema app;\ncreate table app.t (id int);\ncreate table app.a (id int);\ncreate table app.b (id int);\n',
      '20240102000000_rule.sql':
        'create rule t_fanout as on insert to app.t do also (\n  insert into app.a values (new.id);\n  insert into app.b values (new.id * 10)\n);\n',
    });
    dirs.push(dir);
    const report = await createMigrator({
      connection: ruleDb.current.url('postgres'),
      dir: dir.dir,
    }).up();
    expect(report.files.map((f) => [f.version, f.status, f.statements])).toEqual([
      ['20240101000000', 'applied', 4],
      ['20240102000000', 'applied', 1],
    ]);
    await query(ruleDb.current.adminUrl, 'INSERT INTO app.t VALUES (7)');
    const rows = await query<{ a: number[]; b: number[] }>(
      ruleDb.current.adminUrl,
      'SELECT (SELECT array_agg(id) FROM app.a) AS a, (SELECT array_agg(id) FROM app.b) AS b',
    );
    expect(rows).toEqual([{ a: [7], b: [70] }]);
    const def = await query<{ def: string }>(
      ruleDb.current.adminUrl,
      "SELECT pg_get_ruledef(oid) AS def FROM pg_rewrite WHERE rulename = 't_fanout'",
    );
    expect(def[0]?.def).toMatch(/DO \( INSERT INTO app\.a[\s\S]*;\s*INSERT INTO app\.b/);
  });
});
