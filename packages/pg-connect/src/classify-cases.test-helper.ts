// The statement table shared by the unit test (expected classification) and the integration
// test (the same statements in a READ ONLY transaction on PostgreSQL, whose verdict must agree
// with `readOnly`). Names refer to CLASSIFY_FIXTURE.
import type { DestructiveKind } from './classification.js';

export interface ClassifyCase {
  sql: string;
  command: string;
  readOnly: boolean;
  kind?: DestructiveKind;
  /** Part of the destructive reason. */
  reason?: RegExp;
  /**
   * How PostgreSQL's READ ONLY transaction deviates from `readOnly`, when it does:
   * - `accepts`: not classified read-only, yet the server runs it (session state, locks the
   *   server allows, an opaque body that happens to read, a PREPARE that runs nothing);
   * - `refuses`: classified read-only, yet it writes (a user function: the documented limit);
   * - `skip`: cannot run in a transaction here (transaction control, VACUUM, a COPY stream).
   */
  server?: 'accepts' | 'refuses' | 'skip';
  /** Run first in the same transaction (DECLARE before FETCH). */
  before?: string;
}

/** Objects the cases name; created by the integration test as the `postgres` role. */
export const CLASSIFY_FIXTURE = `
  CREATE TABLE public.notes (id int PRIMARY KEY, body text, "drop" text, owner_id int);
  INSERT INTO public.notes VALUES (1, 'one', 'a', 1), (2, 'two', 'b', 2);
  CREATE TABLE public.tags (id int PRIMARY KEY, note_id int, label text);
  INSERT INTO public.tags VALUES (1, 1, 'x');
  CREATE TABLE public.decoys ("drop" int, "truncate" text, delete int);
  CREATE SEQUENCE public.counter;
  CREATE MATERIALIZED VIEW public.note_counts AS SELECT count(*) AS n FROM public.notes;
  CREATE TYPE public.pair AS (a int, b int);
  CREATE DOMAIN public.posint AS int CHECK (VALUE > 0);
  CREATE FUNCTION public.add_note(t text) RETURNS int LANGUAGE sql
    AS $$ INSERT INTO public.notes (id, body) VALUES (100, t) RETURNING id $$;
  CREATE PROCEDURE public.touch_notes() LANGUAGE sql
    AS $$ UPDATE public.notes SET body = body WHERE id = 1 $$;
  CREATE PROCEDURE public.noop() LANGUAGE sql AS $$ SELECT 1 $$;
`;

const ro = (sql: string, command: string, extra: Partial<ClassifyCase> = {}): ClassifyCase => ({
  sql,
  command,
  readOnly: true,
  ...extra,
});
const rw = (sql: string, command: string, extra: Partial<ClassifyCase> = {}): ClassifyCase => ({
  sql,
  command,
  readOnly: false,
  ...extra,
});
const bad = (
  sql: string,
  command: string,
  kind: DestructiveKind,
  reason?: RegExp,
  extra: Partial<ClassifyCase> = {},
): ClassifyCase => ({
  sql,
  command,
  readOnly: false,
  kind,
  ...(reason ? { reason } : {}),
  ...extra,
});

export const CLASSIFY_CASES: ClassifyCase[] = [
  // decoys: keywords in strings, comments, dollar quotes and identifiers
  ro('SELECT 1', 'SELECT'),
  ro("select 'DROP TABLE notes; DELETE FROM notes' AS s", 'SELECT'),
  ro("SELECT E'it\\'s; TRUNCATE notes' AS s", 'SELECT'),
  ro('SELECT $$DROP TABLE notes$$ AS s', 'SELECT'),
  ro('SELECT $tag$ TRUNCATE notes; $tag$ AS body', 'SELECT'),
  ro('SELECT "drop", "truncate" FROM decoys', 'SELECT'),
  ro('SELECT drop FROM decoys', 'SELECT'),
  ro('SELECT 1 /* DROP TABLE notes; /* nested */ still a comment; */', 'SELECT'),
  ro('-- DELETE FROM notes;\nSELECT count(*) FROM notes', 'SELECT'),
  ro("SELECT body FROM notes WHERE body = 'delete from notes'", 'SELECT'),
  ro(`SELECT * FROM notes n WHERE n."drop" = 'where'`, 'SELECT'),
  rw("INSERT INTO notes (id, body) VALUES (3, 'DROP TABLE x')", 'INSERT'),
  rw('UPDATE decoys SET delete = 1 WHERE "drop" = 2', 'UPDATE'),
  rw("COMMENT ON TABLE notes IS 'DROP me'", 'COMMENT'),
  rw("NOTIFY chan, 'truncate everything'", 'NOTIFY', { server: 'accepts' }),

  // queries
  ro('TABLE notes', 'TABLE'),
  ro("VALUES (1, 'a'), (2, 'b')", 'VALUES'),
  ro('SHOW search_path', 'SHOW'),
  ro('(SELECT id FROM notes) UNION (SELECT id FROM tags)', 'SELECT'),
  ro('((SELECT id FROM notes))', 'SELECT'),
  ro('SELECT * FROM notes WHERE id IN (SELECT note_id FROM tags)', 'SELECT'),
  ro('SELECT substring(body FROM 1 FOR 2) FROM notes', 'SELECT'),
  ro('SELECT pg_advisory_xact_lock(1)', 'SELECT'),
  ro('WITH t AS (SELECT id FROM notes) SELECT * FROM t', 'SELECT'),
  ro(
    'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SEARCH DEPTH FIRST BY n SET ord SELECT * FROM r',
    'SELECT',
  ),
  ro('DECLARE c2 CURSOR FOR SELECT * FROM notes', 'DECLARE'),
  ro('FETCH 1 FROM c', 'FETCH', { before: 'DECLARE c CURSOR FOR SELECT * FROM notes' }),
  ro('CLOSE c', 'CLOSE', { before: 'DECLARE c CURSOR FOR SELECT * FROM notes' }),
  rw('SELECT * FROM notes WHERE id = 1 FOR UPDATE', 'SELECT'),
  rw('SELECT * FROM (SELECT * FROM notes FOR SHARE) s', 'SELECT'),
  rw('SELECT * FROM notes FOR NO KEY UPDATE SKIP LOCKED', 'SELECT'),
  rw('SELECT id FROM notes FOR KEY SHARE', 'SELECT'),
  rw("SELECT nextval('counter')", 'SELECT'),
  rw("SELECT pg_catalog.setval('counter', 10)", 'SELECT'),
  rw("VALUES (nextval('counter'))", 'VALUES'),
  rw('SELECT id INTO notes_copy FROM notes', 'SELECT'),
  rw("SELECT set_config('search_path', 'public', true)", 'SELECT', { server: 'accepts' }),
  ro("SELECT add_note('written by a function')", 'SELECT', { server: 'refuses' }),
  rw('DECLARE c3 CURSOR FOR SELECT * FROM notes FOR UPDATE', 'DECLARE'),

  // EXPLAIN: plans only, unless ANALYZE runs the statement
  ro('EXPLAIN SELECT * FROM notes', 'EXPLAIN'),
  ro('EXPLAIN DELETE FROM notes', 'EXPLAIN'),
  ro('EXPLAIN ANALYZE SELECT * FROM notes', 'EXPLAIN'),
  ro("EXPLAIN (ANALYZE false, COSTS off) UPDATE notes SET body = ''", 'EXPLAIN'),
  bad(
    'EXPLAIN (ANALYZE, BUFFERS) DELETE FROM notes',
    'EXPLAIN',
    'DELETE_WITHOUT_WHERE',
    /EXPLAIN ANALYZE runs/,
  ),
  rw('EXPLAIN ANALYZE VERBOSE UPDATE notes SET body = body WHERE id = 1', 'EXPLAIN'),
  rw("EXPLAIN ANALYSE SELECT nextval('counter')", 'EXPLAIN'),

  // data-modifying CTEs
  bad(
    'WITH d AS (DELETE FROM tags RETURNING *) SELECT count(*) FROM d',
    'SELECT',
    'DELETE_WITHOUT_WHERE',
    /in WITH d/,
  ),
  rw('WITH d AS (DELETE FROM tags WHERE id = 1 RETURNING *) SELECT * FROM d', 'SELECT'),
  bad(
    'WITH moved AS (DELETE FROM tags WHERE true RETURNING *) INSERT INTO tags SELECT * FROM moved',
    'INSERT',
    'DELETE_WITHOUT_WHERE',
    /WHERE is always true/,
  ),
  bad(
    "WITH u AS (UPDATE notes SET body = 'x' RETURNING id) SELECT * FROM u",
    'SELECT',
    'UPDATE_WITHOUT_WHERE',
  ),
  rw(
    "WITH x AS MATERIALIZED (SELECT 1), d AS (INSERT INTO tags VALUES (9, 1, 'x') RETURNING *) SELECT * FROM x",
    'SELECT',
  ),
  bad('WITH a AS (SELECT 1) DELETE FROM tags', 'DELETE', 'DELETE_WITHOUT_WHERE'),

  // DELETE / UPDATE / MERGE and their WHERE
  bad('DELETE FROM notes', 'DELETE', 'DELETE_WITHOUT_WHERE', /every row of notes/),
  rw('DELETE FROM notes WHERE id = 1', 'DELETE'),
  bad('DELETE FROM notes WHERE true', 'DELETE', 'DELETE_WITHOUT_WHERE', /WHERE is always true/),
  bad(
    'delete from notes where 1=1',
    'DELETE',
    'DELETE_WITHOUT_WHERE',
    /WHERE 1 = 1: WHERE is always true/,
  ),
  bad(
    'DELETE FROM notes WHERE (1 = 1) RETURNING id',
    'DELETE',
    'DELETE_WITHOUT_WHERE',
    /always true/,
  ),
  rw('DELETE FROM notes WHERE 1 = 1 AND id = 2', 'DELETE'),
  rw('DELETE FROM notes WHERE id IN (SELECT note_id FROM tags WHERE true)', 'DELETE'),
  rw('DELETE FROM notes USING tags WHERE tags.note_id = notes.id', 'DELETE'),
  bad('DELETE FROM ONLY public.notes', 'DELETE', 'DELETE_WITHOUT_WHERE', /public\.notes/),
  bad(
    'DELETE FROM notes RETURNING (SELECT max(id) FROM tags WHERE tags.id > 0)',
    'DELETE',
    'DELETE_WITHOUT_WHERE',
  ),
  bad(
    "UPDATE notes SET body = 'x'",
    'UPDATE',
    'UPDATE_WITHOUT_WHERE',
    /changes every row of notes/,
  ),
  bad(
    'UPDATE notes SET body = (SELECT label FROM tags WHERE tags.note_id = notes.id)',
    'UPDATE',
    'UPDATE_WITHOUT_WHERE',
  ),
  rw("UPDATE notes SET body = 'x' WHERE id = 1", 'UPDATE'),
  bad("UPDATE notes SET body = 'x' WHERE TRUE", 'UPDATE', 'UPDATE_WITHOUT_WHERE', /always true/),
  rw('UPDATE notes n SET body = t.label FROM tags t WHERE t.note_id = n.id', 'UPDATE'),
  rw('MERGE INTO notes n USING tags t ON t.note_id = n.id WHEN MATCHED THEN DELETE', 'MERGE'),
  bad(
    'MERGE INTO notes n USING (SELECT 1 AS id) s ON true WHEN MATCHED THEN DELETE',
    'MERGE',
    'DELETE_WITHOUT_WHERE',
    /join condition is always true/,
  ),
  bad(
    "MERGE INTO notes USING (SELECT 1) s ON 1 = 1 WHEN NOT MATCHED THEN DO NOTHING WHEN MATCHED THEN UPDATE SET body = 'x'",
    'MERGE',
    'UPDATE_WITHOUT_WHERE',
  ),
  rw(
    "INSERT INTO notes (id, body) VALUES (1, 'a') ON CONFLICT (id) DO UPDATE SET body = excluded.body",
    'INSERT',
  ),

  // DROP, TRUNCATE, ownership
  bad('DROP TABLE notes', 'DROP', 'DROP', /DROP TABLE notes removes it with its data/),
  bad(
    'DROP TABLE IF EXISTS public.notes, tags CASCADE',
    'DROP',
    'DROP',
    /public\.notes, tags.*CASCADE/,
  ),
  bad('DROP INDEX IF EXISTS notes_body_idx', 'DROP', 'DROP'),
  bad('DROP FUNCTION IF EXISTS add_note(text)', 'DROP', 'DROP', /DROP FUNCTION add_note/),
  bad('DROP POLICY IF EXISTS "Owners only" ON notes', 'DROP', 'DROP', /"Owners only"/),
  bad('DROP MATERIALIZED VIEW note_counts', 'DROP', 'DROP', /MATERIALIZED VIEW note_counts/),
  bad('DROP SCHEMA IF EXISTS app CASCADE', 'DROP', 'DROP'),
  bad('DROP OWNED BY nobody_here', 'DROP', 'DROP_OWNED', /nobody_here/),
  bad('REASSIGN OWNED BY nobody_here TO postgres', 'REASSIGN', 'REASSIGN_OWNED', /TO postgres/),
  bad('TRUNCATE notes', 'TRUNCATE', 'TRUNCATE', /every row of notes/),
  bad(
    'TRUNCATE TABLE ONLY notes, tags RESTART IDENTITY CASCADE',
    'TRUNCATE',
    'TRUNCATE',
    /notes, tags/,
  ),

  // ALTER
  bad('ALTER TABLE notes DROP COLUMN body', 'ALTER', 'ALTER_DROP', /column and its data/),
  bad(
    'ALTER TABLE IF EXISTS ONLY notes DROP CONSTRAINT notes_pkey',
    'ALTER',
    'ALTER_DROP',
    /constraint/,
  ),
  bad('ALTER TABLE notes DROP owner_id', 'ALTER', 'ALTER_DROP'),
  bad(
    'ALTER TABLE notes ADD COLUMN extra int, DROP COLUMN IF EXISTS "drop"',
    'ALTER',
    'ALTER_DROP',
  ),
  rw('ALTER TABLE notes ALTER COLUMN body DROP DEFAULT, ALTER COLUMN body DROP NOT NULL', 'ALTER'),
  rw('ALTER TABLE notes RENAME COLUMN "drop" TO dropped', 'ALTER'),
  rw('ALTER TABLE decoys RENAME drop TO dropped', 'ALTER'),
  rw('ALTER TABLE notes RENAME TO notes_old', 'ALTER'),
  rw('ALTER TABLE notes ENABLE ROW LEVEL SECURITY', 'ALTER'),
  bad(
    'ALTER TABLE notes DISABLE ROW LEVEL SECURITY',
    'ALTER',
    'DISABLE_RLS',
    /policies stop applying/,
  ),
  bad('ALTER TYPE pair DROP ATTRIBUTE b', 'ALTER', 'ALTER_DROP', /attribute/),
  rw('ALTER DOMAIN posint DROP NOT NULL', 'ALTER'),
  bad('ALTER DOMAIN posint DROP CONSTRAINT posint_check', 'ALTER', 'ALTER_DROP'),
  rw('ALTER SERVER remote OPTIONS (DROP host)', 'ALTER'),
  bad(
    'ALTER TEXT SEARCH CONFIGURATION simple DROP MAPPING IF EXISTS FOR word',
    'ALTER',
    'ALTER_DROP',
  ),
  bad(
    'ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT ON TABLES FROM anon',
    'ALTER',
    'REVOKE',
  ),
  rw('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO anon', 'ALTER'),

  // privileges
  bad(
    'REVOKE SELECT ON notes FROM anon, authenticated',
    'REVOKE',
    'REVOKE',
    /from anon, authenticated/,
  ),
  bad('REVOKE authenticated FROM postgres', 'REVOKE', 'REVOKE'),
  rw('GRANT SELECT ON notes TO anon', 'GRANT'),

  // CREATE: bodies are opaque, CREATE … AS runs its query
  rw('CREATE TABLE t2 (id int)', 'CREATE'),
  rw(
    'CREATE OR REPLACE FUNCTION purge() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM notes; END',
    'CREATE',
  ),
  rw(
    'CREATE FUNCTION wipe() RETURNS void LANGUAGE plpgsql AS $$BEGIN TRUNCATE notes; END$$',
    'CREATE',
  ),
  rw('CREATE TABLE snapshot AS SELECT * FROM notes', 'CREATE'),
  bad('CREATE TABLE killed AS SELECT pg_terminate_backend(0)', 'CREATE', 'DESTRUCTIVE_FUNCTION'),

  // opaque code, procedures, COPY, PREPARE
  bad('DO $$BEGIN TRUNCATE notes; END$$', 'DO', 'OPAQUE_BLOCK', /not inspected/),
  bad('DO LANGUAGE plpgsql $$BEGIN PERFORM 1; END$$', 'DO', 'OPAQUE_BLOCK', undefined, {
    server: 'accepts',
  }),
  rw('CALL touch_notes()', 'CALL'),
  rw('CALL noop()', 'CALL', { server: 'accepts' }),
  rw('COPY notes FROM STDIN', 'COPY'),
  bad("COPY notes TO PROGRAM 'cat > /dev/null'", 'COPY', 'COPY_PROGRAM', /shell command/, {
    server: 'skip',
  }),
  bad(
    'COPY (DELETE FROM notes RETURNING *) TO STDOUT',
    'COPY',
    'DELETE_WITHOUT_WHERE',
    /COPY runs its query/,
  ),
  rw('COPY (SELECT 1) TO STDOUT', 'COPY', { server: 'skip' }),
  bad('PREPARE del AS DELETE FROM notes', 'PREPARE', 'DELETE_WITHOUT_WHERE', /EXECUTE runs/, {
    server: 'accepts',
  }),
  bad('SELECT pg_terminate_backend(0)', 'SELECT', 'DESTRUCTIVE_FUNCTION', /ends other sessions/, {
    server: 'accepts',
  }),

  // session and transaction control: not read-only, not destructive
  rw('SET search_path = public', 'SET', { server: 'accepts' }),
  rw('RESET ALL', 'RESET', { server: 'accepts' }),
  rw('LISTEN chan', 'LISTEN', { server: 'accepts' }),
  rw('ANALYZE notes', 'ANALYZE', { server: 'accepts' }),
  rw('LOCK TABLE notes IN ACCESS EXCLUSIVE MODE', 'LOCK', { server: 'accepts' }),
  rw('REFRESH MATERIALIZED VIEW note_counts', 'REFRESH'),
  rw('BEGIN', 'BEGIN', { server: 'skip' }),
  rw('COMMIT', 'COMMIT', { server: 'skip' }),
  rw('VACUUM notes', 'VACUUM', { server: 'skip' }),
];
