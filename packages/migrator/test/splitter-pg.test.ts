import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator, splitStatements } from '../src/index.js';
import { grantCreateToPostgres, query, tempDir } from './helpers.js';

const db = useTestDatabase('migrator_split');

// Every construct the splitter must keep whole, in one file, run on a real server.
const tricky = `-- a comment; with a semicolon
create schema app; /* block; comment /* nested; */ still comment; */
create table app."odd;name" (id int primary key, note text);
insert into app."odd;name" values (1, 'it''s; quoted'), (2, E'back\\\\slash\\'; escaped'), (3, $$dollar; 'quoted'$$);
create function app.plus_one(x int) returns int language plpgsql as $fn$
begin
  -- inside; the body
  return x + 1;
end;
$fn$;
create function app.twice(x int) returns int language sql
begin atomic
  select case when x > 0 then x * 2 else 0 end;
end;
do $$ begin perform 1; end $$;
select 'trailing statement without semicolon'
`;

const dir = tempDir({ '20240101000000_tricky.sql': tricky });
beforeAll(() => grantCreateToPostgres(db.current));
afterAll(() => dir.cleanup());

describe('splitStatements on a real server', () => {
  it('splits a file with every quoting form into statements PostgreSQL accepts one by one', async () => {
    const statements = splitStatements(tricky);
    expect(statements).toHaveLength(7);
    const report = await createMigrator({
      connection: db.current.url('postgres'),
      dir: dir.dir,
    }).up();
    expect(report.files[0]?.statements).toBe(7);
    const rows = await query<{ id: number; note: string }>(
      db.current.adminUrl,
      'SELECT id, note FROM app."odd;name" ORDER BY id',
    );
    expect(rows).toEqual([
      { id: 1, note: "it's; quoted" },
      { id: 2, note: "back\\slash'; escaped" },
      { id: 3, note: "dollar; 'quoted'" },
    ]);
    const fns = await query<{ a: number; b: number }>(
      db.current.adminUrl,
      'SELECT app.plus_one(1) AS a, app.twice(4) AS b',
    );
    expect(fns).toEqual([{ a: 2, b: 8 }]);
    const stored = await query<{ statements: string[] }>(
      db.current.adminUrl,
      'SELECT statements FROM supabase_migrations.schema_migrations',
    );
    expect(stored[0]?.statements).toEqual(statements);
  });
});
