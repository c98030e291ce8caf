import { describe, expect, it } from 'vitest';
import { CLASSIFY_CASES } from './classify-cases.test-helper.js';
import { classifyStatements, isDestructive } from './classify-statements.js';
import { PgConnectValidationError } from './errors.js';

const one = (sql: string) => {
  const list = classifyStatements(sql);
  expect(list).toHaveLength(1);
  return list[0]!;
};

describe('classifyStatements: the case table', () => {
  it('has enough cases of each sort to mean something', () => {
    expect(CLASSIFY_CASES.length).toBeGreaterThanOrEqual(60);
    expect(CLASSIFY_CASES.filter((c) => c.readOnly).length).toBeGreaterThanOrEqual(20);
    expect(CLASSIFY_CASES.filter((c) => c.kind).length).toBeGreaterThanOrEqual(30);
  });

  it.each(CLASSIFY_CASES)('$sql', (c) => {
    const s = one(c.sql);
    expect({ command: s.command, readOnly: s.readOnly, kind: s.destructive?.kind }).toEqual({
      command: c.command,
      readOnly: c.readOnly,
      kind: c.kind,
    });
    if (c.reason) expect(s.destructive?.reason).toMatch(c.reason);
    expect(isDestructive(c.sql)).toBe(c.kind !== undefined);
  });
});

describe('classifyStatements: splitting', () => {
  it('splits at top-level semicolons only and numbers the non-empty statements', () => {
    const sql = `SELECT ';' AS a;; SELECT $$;$$, $t$ ; $t$, E'\\';' ; -- ; DROP TABLE x
      CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; DELETE FROM t; END;
      CREATE RULE r AS ON INSERT TO v DO ALSO (NOTIFY a; NOTIFY b);
      /* ; /* ; */ ; */ TRUNCATE "a;b"`;
    const list = classifyStatements(sql);
    expect(list.map((s) => [s.index, s.command, s.destructive?.kind])).toEqual([
      [0, 'SELECT', undefined],
      [1, 'SELECT', undefined],
      [2, 'CREATE', undefined],
      [3, 'CREATE', undefined],
      [4, 'TRUNCATE', 'TRUNCATE'],
    ]);
    expect(list[4]!.destructive?.reason).toContain('"a;b"');
    // the text is trimmed and keeps a leading comment, as the statement was written
    expect(list[2]!.sql).toMatch(/^-- ; DROP TABLE x\n\s+CREATE FUNCTION/);
    expect(list[0]!.sql).toBe("SELECT ';' AS a");
  });

  it('gives nothing for empty text or comments only', () => {
    expect(classifyStatements('')).toEqual([]);
    expect(classifyStatements('  ;  -- DROP TABLE x\n /* TRUNCATE t */ ;')).toEqual([]);
    expect(isDestructive('-- DROP TABLE x')).toBe(false);
  });

  it('isDestructive is true when any statement is', () => {
    expect(isDestructive('SELECT 1; UPDATE t SET a = 1 WHERE id = 2')).toBe(false);
    expect(isDestructive('SELECT 1; UPDATE t SET a = 1; SELECT 2')).toBe(true);
  });

  it('skips a byte order mark and reads dollar tags with non-ASCII letters', () => {
    expect(one('\uFEFFDROP TABLE x').command).toBe('DROP');
    expect(one('SELECT $é$ DROP TABLE x; $é$').readOnly).toBe(true);
    expect(one('SELECT\t1\f;').readOnly).toBe(true);
  });

  it('reads unterminated strings, quotes and comments to the end', () => {
    expect(one("SELECT 'open; DROP TABLE x").readOnly).toBe(true);
    expect(one('SELECT $$open; DROP TABLE x').readOnly).toBe(true);
    expect(one('SELECT 1 /* open; DROP TABLE x').readOnly).toBe(true);
  });
});

describe('classifyStatements: the sql field', () => {
  it('cuts long statements to 300 characters with an ellipsis', () => {
    const s = one(`  DROP TABLE ${'x'.repeat(400)}  `);
    expect(s.sql).toHaveLength(300);
    expect(s.sql.endsWith('…')).toBe(true);
    expect(s.sql.startsWith('DROP TABLE xxx')).toBe(true);
    const exact = `SELECT '${'y'.repeat(291)}'`;
    expect(exact).toHaveLength(300);
    expect(one(exact).sql).toBe(exact);
  });

  it('never cuts a surrogate pair in half', () => {
    const s = one(`SELECT '${'a'.repeat(290)}😀😀😀😀😀'`);
    expect(s.sql.length).toBeLessThanOrEqual(300);
    expect(s.sql.endsWith('…')).toBe(true);
    expect(s.sql).not.toMatch(/[\ud800-\udbff]…$/);
  });

  it('hides PASSWORD literals', () => {
    const s = one("CREATE ROLE app LOGIN PASSWORD 'hunter2-very-secret'");
    expect(s.sql).toBe('CREATE ROLE app LOGIN PASSWORD ***');
    expect(
      JSON.stringify(classifyStatements("ALTER ROLE a PASSWORD 'pw1'; DROP ROLE a")),
    ).not.toContain('pw1');
  });
});

describe('classifyStatements: across statements and edge shapes', () => {
  it('gives EXECUTE the verdict of its PREPARE in the same text', () => {
    const list = classifyStatements(
      'PREPARE q AS SELECT * FROM t; EXECUTE q; PREPARE d (int) AS DELETE FROM t; EXECUTE d(1); EXECUTE unknown',
    );
    expect(list.map((s) => [s.command, s.readOnly, s.destructive?.kind])).toEqual([
      ['PREPARE', false, undefined],
      ['EXECUTE', true, undefined],
      ['PREPARE', false, 'DELETE_WITHOUT_WHERE'],
      ['EXECUTE', false, 'DELETE_WITHOUT_WHERE'],
      ['EXECUTE', false, undefined],
    ]);
    expect(list[3]!.destructive?.reason).toMatch(/^EXECUTE d runs the prepared DELETE/);
    expect(one('PREPARE TRANSACTION $$tx1$$').readOnly).toBe(false);
    expect(one("EXECUTE q(nextval('s'))").readOnly).toBe(false);
  });

  it('asks about statements nested too deeply to read', () => {
    let sql = 'DELETE FROM t';
    for (let i = 0; i < 40; i++) sql = `WITH c${i} AS (${sql} RETURNING 1) SELECT 1`;
    const s = one(sql);
    expect(s.readOnly).toBe(false);
    expect(s.destructive?.kind).toBe('OPAQUE_BLOCK');
    expect(s.destructive?.reason).toMatch(/nested more than 32 levels/);
    // parentheses alone are peeled without recursion
    expect(one(`${'('.repeat(5000)}SELECT 1${')'.repeat(5000)}`).readOnly).toBe(true);
  });

  it('is not read-only when it cannot tell', () => {
    for (const sql of [
      'WITH AS (SELECT 1) SELECT 1',
      'WITH x (SELECT 1) SELECT 1',
      'WITH x AS SELECT 1',
      'WITH x AS (SELECT 1)',
      '(',
      '$1',
      '(INSERT INTO t VALUES (1)) x',
      'DECLARE c',
      'PREPARE p',
      'FROBNICATE everything',
    ]) {
      expect(one(sql).readOnly, sql).toBe(false);
    }
    expect(one('$1').command).toBe('UNKNOWN');
    expect(one('(').command).toBe('UNKNOWN');
    expect(one('FROBNICATE everything').command).toBe('FROBNICATE');
  });

  it('names what it drops, many objects in short', () => {
    expect(one('DROP TABLE a, b, c, d, e').destructive?.reason).toBe(
      'DROP TABLE a, b, c and 2 more removes them with their data',
    );
    expect(one('DROP CAST (int AS text)').destructive?.reason).toBe('DROP CAST removes it');
    expect(one('TRUNCATE').destructive?.reason).toBe('TRUNCATE removes every row of the table');
    expect(one('DELETE FROM').destructive?.reason).toMatch(/every row of the table/);
    expect(one('REVOKE ALL ON t').destructive?.reason).toMatch(/^REVOKE takes privileges away;/);
    expect(one('REASSIGN OWNED BY a').destructive?.reason).toMatch(/TO another role/);
    expect(one('ALTER TABLE "My Table" DROP COLUMN "Big Col"').destructive?.reason).toBe(
      'ALTER TABLE "My Table" DROP COLUMN "Big Col" removes the column and its data',
    );
  });

  it('reads every ALTER action and the kinds without one', () => {
    expect(one('ALTER PUBLICATION supabase_realtime DROP TABLE notes').destructive?.kind).toBe(
      'ALTER_DROP',
    );
    expect(one('ALTER GROUP staff DROP USER bob').destructive?.kind).toBe('ALTER_DROP');
    expect(one('ALTER TABLE ALL IN TABLESPACE a SET TABLESPACE b').destructive).toBeUndefined();
    expect(one('ALTER FUNCTION f(int) RENAME TO g').destructive).toBeUndefined();
    expect(one('ALTER OPERATOR FAMILY f USING btree ADD OPERATOR 1 < (int, int)').destructive).toBe(
      undefined,
    );
    expect(one('ALTER').destructive).toBeUndefined();
    expect(one('ALTER DEFAULT PRIVILEGES GRANT ALL ON TABLES TO x').destructive).toBeUndefined();
  });

  it('finds writing and destroying calls by name, qualified or not', () => {
    expect(one("SELECT pg_catalog.nextval('s')").readOnly).toBe(false);
    expect(one("SELECT myschema.nextval('s')").readOnly).toBe(true); // a user function
    expect(one("SELECT cron.schedule('x', '* * * * *', 'VACUUM')").readOnly).toBe(false);
    expect(one("SELECT schedule('x')").readOnly).toBe(true);
    expect(one("SELECT extensions.dblink_exec('dbname=x', 'TRUNCATE t')").destructive?.kind).toBe(
      'OPAQUE_BLOCK',
    );
    expect(one('SELECT lo_unlink(1)').destructive?.kind).toBe('DESTRUCTIVE_FUNCTION');
    expect(one('SELECT "pg_terminate_backend"(1)').destructive?.kind).toBe('DESTRUCTIVE_FUNCTION');
    expect(one("SELECT 'pg_terminate_backend(1)'").destructive).toBeUndefined();
    expect(one('SELECT constructor(1), nextval').readOnly).toBe(true);
    expect(one('INSERT INTO log SELECT pg_terminate_backend(pid) FROM x').destructive?.kind).toBe(
      'DESTRUCTIVE_FUNCTION',
    );
    expect(one('CALL p(pg_drop_replication_slot($1))').destructive?.kind).toBe(
      'DESTRUCTIVE_FUNCTION',
    );
    expect(
      one('DELETE FROM t WHERE id = 1 RETURNING pg_terminate_backend(id)').destructive?.kind,
    ).toBe('DESTRUCTIVE_FUNCTION');
    expect(
      one('MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = lo_unlink(1)')
        .destructive?.kind,
    ).toBe('DESTRUCTIVE_FUNCTION');
  });

  it('reads MERGE shapes it cannot judge as not destructive', () => {
    expect(
      one('MERGE INTO t USING s ON true WHEN MATCHED AND t.a > 1 THEN DELETE').destructive,
    ).toBe(undefined);
    expect(
      one('MERGE INTO t USING s ON true WHEN NOT MATCHED THEN INSERT VALUES (1)').destructive,
    ).toBe(undefined);
    expect(one('MERGE INTO t USING s').destructive).toBeUndefined();
  });

  it('reads EXPLAIN option values', () => {
    expect(one('EXPLAIN (ANALYZE on) DELETE FROM t').destructive?.kind).toBe(
      'DELETE_WITHOUT_WHERE',
    );
    expect(one('EXPLAIN (ANALYZE 1) DELETE FROM t').destructive?.kind).toBe('DELETE_WITHOUT_WHERE');
    expect(one('EXPLAIN (ANALYZE off) DELETE FROM t').destructive).toBeUndefined();
    expect(one('EXPLAIN (ANALYZE 0, FORMAT JSON) DELETE FROM t').readOnly).toBe(true);
  });

  it('rejects what is not a string with the typed validation error', () => {
    expect(() => classifyStatements(42 as unknown as string)).toThrow(PgConnectValidationError);
    expect(() => isDestructive(undefined as unknown as string)).toThrow(/Invalid SQL to classify/);
  });
});
