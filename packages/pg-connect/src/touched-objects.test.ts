import { describe, expect, it } from 'vitest';
import { decide } from './choose-role.js';
import { tokenizeStatements } from './sql-tokens.js';
import { type NamedTarget, statementTargets } from './touched-objects.js';

const targets = (sql: string): NamedTarget[] =>
  tokenizeStatements(sql).flatMap((s) => statementTargets(s).targets);
const rel = (schema: string | undefined, name: string): NamedTarget => ({
  kind: 'relation',
  schema,
  name,
});

describe('tokenizeStatements', () => {
  it('splits at top-level semicolons only', () => {
    const sql = `SELECT ';' AS a; SELECT $$;$$, $t$ ; $t$, E'\\';' ; -- ;
      CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;
      /* ; /* ; */ ; */ SELECT "a;b"`;
    const statements = tokenizeStatements(sql);
    expect(statements.map((s) => s.tokens[0])).toEqual([
      { kind: 'word', value: 'select' },
      { kind: 'word', value: 'select' },
      { kind: 'word', value: 'create' },
      { kind: 'word', value: 'select' },
    ]);
    // the text keeps a leading comment: it is what EXPLAIN gets
    expect(statements[2]!.text).toMatch(/^-- ;\s+CREATE FUNCTION/);
    expect(statements[3]!.tokens).toEqual([
      { kind: 'word', value: 'select' },
      { kind: 'ident', value: 'a;b' },
    ]);
  });

  it('folds words, keeps quoted identifiers exact, hides literals', () => {
    const [stmt] = tokenizeStatements(
      `ALTER TABLE "My""Schema".Users ADD x int DEFAULT 1.5 + $1 + B'01' + X'ff' + U&'d' + N'n'`,
    );
    expect(stmt!.tokens.slice(0, 6)).toEqual([
      { kind: 'word', value: 'alter' },
      { kind: 'word', value: 'table' },
      { kind: 'ident', value: 'My"Schema' },
      { kind: 'punct', value: '.' },
      { kind: 'word', value: 'users' },
      { kind: 'word', value: 'add' },
    ]);
    expect(stmt!.tokens.filter((t) => t.kind === 'word').map((t) => t.value)).toEqual([
      'alter',
      'table',
      'users',
      'add',
      'x',
      'int',
      'default',
    ]);
  });

  it('keeps a ; inside parentheses in its statement, as psql does', () => {
    const sql = 'CREATE RULE r AS ON INSERT TO public.v DO ALSO (NOTIFY a; NOTIFY b); SELECT 1';
    expect(tokenizeStatements(sql)).toHaveLength(2);
    expect(targets(sql)).toEqual([rel('public', 'v')]);
  });

  it('survives unterminated strings, comments and dollar quotes', () => {
    expect(tokenizeStatements("SELECT 'open")).toHaveLength(1);
    expect(tokenizeStatements('SELECT $$open')).toHaveLength(1);
    expect(tokenizeStatements('SELECT 1 /* open')).toHaveLength(1);
    expect(tokenizeStatements('SELECT "open')).toHaveLength(1);
    expect(tokenizeStatements('  ;  -- only a comment')).toEqual([]);
  });
});

describe('statementTargets', () => {
  it.each<[string, NamedTarget[]]>([
    [
      'CREATE OR REPLACE TRIGGER t BEFORE UPDATE OF a, b ON auth.users FOR EACH ROW EXECUTE FUNCTION f()',
      [rel('auth', 'users')],
    ],
    [
      'CREATE CONSTRAINT TRIGGER t AFTER INSERT ON public.x FROM y FOR EACH ROW EXECUTE FUNCTION f()',
      [rel('public', 'x')],
    ],
    [
      'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY auth.users (email)',
      [rel('auth', 'users')],
    ],
    ['CREATE INDEX ON t (a)', [rel(undefined, 't')]],
    ['CREATE POLICY "p on x" ON storage.objects USING (true)', [rel('storage', 'objects')]],
    ['CREATE RULE r AS ON INSERT TO public.v DO INSTEAD NOTHING', [rel('public', 'v')]],
    ['ALTER TABLE IF EXISTS ONLY auth.users ENABLE ROW LEVEL SECURITY', [rel('auth', 'users')]],
    ['ALTER MATERIALIZED VIEW m RENAME TO n', [rel(undefined, 'm')]],
    ['ALTER FOREIGN TABLE f OWNER TO x', [rel(undefined, 'f')]],
    ['ALTER POLICY p ON auth.users RENAME TO q', [rel('auth', 'users')]],
    ['DROP TRIGGER IF EXISTS t ON auth.users', [rel('auth', 'users')]],
    ['DROP TABLE a, b.c CASCADE', [rel(undefined, 'a'), rel('b', 'c')]],
    ['DROP INDEX CONCURRENTLY IF EXISTS auth.i', [rel('auth', 'i')]],
    ['TRUNCATE TABLE ONLY a *, b RESTART IDENTITY', [rel(undefined, 'a'), rel(undefined, 'b')]],
    ['REFRESH MATERIALIZED VIEW CONCURRENTLY public.m', [rel('public', 'm')]],
    ['COPY public.t (a) FROM STDIN', [rel('public', 't')]],
    ['COMMENT ON COLUMN auth.users.email IS $$x$$', [rel('auth', 'users')]],
    ['COMMENT ON CONSTRAINT c ON DOMAIN public.d IS NULL', [rel('public', 'd')]],
    ['COMMENT ON TRIGGER t ON auth.users IS NULL', [rel('auth', 'users')]],
    [
      'GRANT SELECT (id, email) ON TABLE auth.users, auth.sessions TO anon',
      [rel('auth', 'users'), rel('auth', 'sessions')],
    ],
    ['REVOKE GRANT OPTION FOR ALL ON auth.users FROM anon', [rel('auth', 'users')]],
  ])('%s', (sql, expected) => {
    expect(targets(sql)).toEqual(expected);
  });

  it('functions, types, schemas and new objects', () => {
    expect(targets('ALTER FUNCTION auth.uid() STABLE')).toEqual([
      { kind: 'function', schema: 'auth', name: 'uid' },
    ]);
    expect(targets('DROP FUNCTION IF EXISTS a.f(int, text), g()')).toEqual([
      { kind: 'function', schema: 'a', name: 'f' },
      { kind: 'function', schema: undefined, name: 'g' },
    ]);
    expect(targets('COMMENT ON FUNCTION f(int) IS NULL')).toEqual([
      { kind: 'function', schema: undefined, name: 'f' },
    ]);
    expect(targets('GRANT EXECUTE ON FUNCTION auth.uid() TO anon')).toEqual([
      { kind: 'function', schema: 'auth', name: 'uid' },
    ]);
    expect(targets('ALTER TYPE public.mood ADD VALUE $$x$$')).toEqual([
      { kind: 'type', schema: 'public', name: 'mood' },
    ]);
    expect(targets('GRANT USAGE ON SCHEMA auth, storage TO anon')).toEqual([
      { kind: 'schema', schema: undefined, name: 'auth' },
      { kind: 'schema', schema: undefined, name: 'storage' },
    ]);
    expect(targets('DROP SCHEMA IF EXISTS s CASCADE')).toEqual([
      { kind: 'schema', schema: undefined, name: 's' },
    ]);
    expect(targets('GRANT ALL ON ALL SEQUENCES IN SCHEMA auth TO anon')).toEqual([
      { kind: 'all-relations', schema: 'auth', name: '*' },
    ]);
    expect(targets('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA auth TO anon')).toEqual([
      { kind: 'all-functions', schema: 'auth', name: '*' },
    ]);
    expect(targets('CREATE UNLOGGED TABLE IF NOT EXISTS auth.x (id int)')).toEqual([
      { kind: 'create', schema: 'auth', name: 'x' },
    ]);
    expect(targets('CREATE OR REPLACE VIEW v AS SELECT 1')).toEqual([
      { kind: 'create', schema: undefined, name: 'v', replaces: 'relation' },
    ]);
    expect(targets('CREATE OR REPLACE FUNCTION auth.f() RETURNS int AS $$ SELECT 1 $$')).toEqual([
      { kind: 'create', schema: 'auth', name: 'f', replaces: 'function' },
    ]);
    expect(targets('CREATE TABLE p1 PARTITION OF auth.p FOR VALUES IN (1)')).toEqual([
      { kind: 'create', schema: undefined, name: 'p1' },
      rel('auth', 'p'),
    ]);
  });

  it('no targets where no owner matters', () => {
    for (const sql of [
      'CREATE TEMP TABLE t (a int)',
      'CREATE GLOBAL TEMPORARY TABLE t (a int)',
      'CREATE SCHEMA s',
      'CREATE EXTENSION pgcrypto',
      'CREATE EVENT TRIGGER e ON ddl_command_end EXECUTE FUNCTION f()',
      'ALTER TABLE ALL IN TABLESPACE a SET TABLESPACE b',
      'GRANT anon TO authenticator',
      'GRANT CONNECT ON DATABASE postgres TO anon',
      'REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC',
      'COMMENT ON EXTENSION x IS NULL',
      'COMMENT ON COLUMN lonely IS NULL',
      'REFRESH COLLATION VERSION',
      'COPY (SELECT 1) TO STDOUT',
      'DO $$ BEGIN ALTER TABLE auth.users ADD x int; END $$',
      'VACUUM auth.users',
    ]) {
      expect(targets(sql), sql).toEqual([]);
    }
  });

  it('marks DML for EXPLAIN', () => {
    const plan = (sql: string) => tokenizeStatements(sql).map((s) => statementTargets(s).plan);
    expect(
      plan('SELECT 1; WITH x AS (SELECT 1) DELETE FROM t; (SELECT 1); CREATE TABLE t ()'),
    ).toEqual([true, true, true, false]);
  });
});

describe('decide', () => {
  const row = (i: number, owner: string, extra: Partial<Parameters<typeof decide>[2][0]> = {}) => ({
    i,
    kind: 'relation' as const,
    schema: 'auth',
    name: `t${i}`,
    owner,
    needed: true,
    member: true,
    ...extra,
  });

  it('switches to the single owner when the session may', () => {
    const d = decide('supabase_admin', [rel('auth', 't0')], [row(0, 'supabase_auth_admin')]);
    expect(d).toMatchObject({ used: 'supabase_auth_admin', sessionUser: 'supabase_admin' });
  });

  it('several owners, no member, unresolved names and notes', () => {
    const two = decide('me', [rel('auth', 't0'), rel('auth', 't1')], [row(0, 'a'), row(1, 'b')]);
    expect(two.used).toBeNull();
    expect(two.reason).toMatch(/several owners: auth\.t0 \(a\), auth\.t1 \(b\)/);
    const none = decide('me', [rel('auth', 't0')], [row(0, 'a', { member: false })]);
    expect(none.reason).toMatch(/me is not a member of a.*GRANT a TO me/);
    const missing = decide(
      'me',
      [rel(undefined, 'gone')],
      [],
      ['"SELECT" could not be planned (x)'],
    );
    expect(missing.reason).toMatch(/touch no table.*Not found \(yet\): gone.*could not be planned/);
  });

  it('OR REPLACE of an existing object counts its owner, not the schema', () => {
    const t: NamedTarget = { kind: 'create', schema: 'auth', name: 'f', replaces: 'function' };
    const d = decide(
      'me',
      [t],
      [
        row(0, 'schema_owner', { kind: 'schema', name: 'auth', needed: false }),
        row(0, 'fn_owner', { kind: 'function', name: 'f' }),
      ],
    );
    expect(d.used).toBe('fn_owner');
    expect(d.objects).toEqual([{ kind: 'function', schema: 'auth', name: 'f', owner: 'fn_owner' }]);
    const fresh = decide('me', [t], [row(0, 'x', { kind: 'schema', name: 'auth', needed: false })]);
    expect(fresh.reason).toMatch(/me may create objects in schema auth/);
  });
});
