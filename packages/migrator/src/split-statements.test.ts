import { describe, expect, it } from 'vitest';
import { MigratorValidationError } from './errors.js';
import { splitStatements, splitStatementsWithOffsets } from './split-statements.js';

describe('splitStatements', () => {
  it('splits at top-level semicolons and trims like the Supabase CLI', () => {
    expect(splitStatements('create table a (id int);\n\n  insert into a values (1) ;;\n')).toEqual([
      'create table a (id int)',
      'insert into a values (1)',
    ]);
  });

  it('keeps a final statement without a semicolon and leading comments', () => {
    expect(splitStatements('-- first\nselect 1;\n/* c */ select 2')).toEqual([
      '-- first\nselect 1',
      '/* c */ select 2',
    ]);
  });

  it('ignores semicolons in quoted strings with doubled quotes', () => {
    expect(splitStatements("select 'a;b''c;';select 2")).toEqual(["select 'a;b''c;'", 'select 2']);
  });

  it('handles E strings with backslash escapes', () => {
    expect(splitStatements("select E'it\\'s; fine';select 2")).toEqual([
      "select E'it\\'s; fine'",
      'select 2',
    ]);
    // lower-case e and a doubled quote inside an E string
    expect(splitStatements("select e'x\\\\';select 'y'")).toEqual([
      "select e'x\\\\'",
      "select 'y'",
    ]);
  });

  it('does not treat a backslash in a standard string as an escape', () => {
    expect(splitStatements("select 'C:\\';select 2")).toEqual(["select 'C:\\'", 'select 2']);
  });

  it('does not treat an identifier ending in e as an E string prefix', () => {
    expect(splitStatements("select some'x;y';select 2")).toEqual(["select some'x;y'", 'select 2']);
  });

  it('ignores semicolons in quoted identifiers', () => {
    expect(splitStatements('create table "a;""b" (id int);select 1')).toEqual([
      'create table "a;""b" (id int)',
      'select 1',
    ]);
  });

  it('ignores semicolons in dollar-quoted bodies, tagged or not', () => {
    const fn = `create function f() returns int language plpgsql as $$
begin
  perform 1; return 2;
end;
$$;`;
    const tagged = `do $body$ begin raise notice '$$;'; end $body$;`;
    expect(splitStatements(`${fn}\n${tagged}\nselect 3;`)).toEqual([
      fn.slice(0, -1),
      tagged.slice(0, -1),
      'select 3',
    ]);
  });

  it('does not open dollar quotes on parameters or identifiers containing $', () => {
    expect(splitStatements('select $1; select a$b$ from t; select 2')).toEqual([
      'select $1',
      'select a$b$ from t',
      'select 2',
    ]);
  });

  it('ignores semicolons in line and nested block comments', () => {
    expect(splitStatements('select 1 -- no; split\n;/* a /* b; */ c; */select 2')).toEqual([
      'select 1 -- no; split',
      '/* a /* b; */ c; */select 2',
    ]);
  });

  it('keeps BEGIN ATOMIC bodies whole', () => {
    const fn = `create function g(x int) returns int language sql begin atomic
  select case when x > 0 then 1 else 0 end;
  select x;
end`;
    expect(splitStatements(`${fn};\nselect 1;`)).toEqual([fn, 'select 1']);
  });

  it('keeps semicolons inside parentheses, as psql does', () => {
    const rule =
      'create rule r as on insert to t do also (insert into a values (new.id); insert into b values ((new.id) * 2))';
    expect(splitStatements(`${rule};\nselect 1;`)).toEqual([rule, 'select 1']);
    // any statement, any depth: psql sends what is inside parentheses whole, even if invalid
    expect(splitStatements('select (1; (2; 3)); select 4')).toEqual([
      'select (1; (2; 3))',
      'select 4',
    ]);
    // an unclosed parenthesis holds everything after it, like psql at end of file
    expect(splitStatements('select (1;\nselect 2;')).toEqual(['select (1;\nselect 2']);
  });

  it('counts only parentheses outside strings, identifiers, dollar quotes and comments', () => {
    const rule = `create rule r as on update to t do (-- )
select ')'; select ")" from t; select $$)$$; /* ) */ notify t
)`;
    expect(splitStatements(`${rule};select 2`)).toEqual([rule, 'select 2']);
    expect(splitStatements("select '('; select 2")).toEqual(["select '('", 'select 2']);
  });

  it('ignores a stray closing parenthesis, as psql does', () => {
    expect(splitStatements('select 1); select (2; 3); select 4')).toEqual([
      'select 1)',
      'select (2; 3)',
      'select 4',
    ]);
  });

  it('treats non-ASCII letters as identifier and dollar-tag characters, as PostgreSQL does', () => {
    expect(splitStatements('select $ä$x;$ä$; select 2')).toEqual(['select $ä$x;$ä$', 'select 2']);
    expect(splitStatements('select ä$$ from t; select $$;$$')).toEqual([
      'select ä$$ from t',
      'select $$;$$',
    ]);
    // äE'…' is the identifier äE followed by a standard string, where \ is no escape
    expect(splitStatements("select äE'\\'; select 2")).toEqual(["select äE'\\'", 'select 2']);
  });

  it('survives unterminated constructs at end of input', () => {
    expect(splitStatements("select 'abc")).toEqual(["select 'abc"]);
    expect(splitStatements('select $$abc')).toEqual(['select $$abc']);
    expect(splitStatements('select 1 /* open')).toEqual(['select 1 /* open']);
    expect(splitStatements('select "x')).toEqual(['select "x']);
    expect(splitStatements('select 1 -- end')).toEqual(['select 1 -- end']);
    expect(splitStatements('')).toEqual([]);
    expect(splitStatements(' ;\n; ')).toEqual([]);
  });

  it('reports where each statement starts', () => {
    const sql = 'select 1;\n\n  select 2;';
    const parts = splitStatementsWithOffsets(sql);
    expect(parts.map((p) => p.start)).toEqual([0, 13]);
    for (const p of parts) expect(sql.slice(p.start, p.start + p.text.length)).toBe(p.text);
  });

  it('rejects non-string input with a typed error', () => {
    expect(() => splitStatements(42 as unknown as string)).toThrow(MigratorValidationError);
  });
});
