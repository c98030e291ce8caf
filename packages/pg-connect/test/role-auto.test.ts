import { randomBytes } from 'node:crypto';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chooseRole,
  createPool,
  executeSql,
  PermissionDeniedError,
  PgConnectValidationError,
  quoteLiteral,
  type SupaopsPool,
} from '../src/index.js';

const db = useTestDatabase('role-auto');
// roles are cluster-wide: unique names keep parallel test files apart
const suffix = randomBytes(4).toString('hex');
const OWNER = `ra_owner_${suffix}`;
const MEMBER = `ra_member_${suffix}`;
let pool: SupaopsPool; // postgres: privileged, not a superuser, not a member of supabase_auth_admin
let admin: SupaopsPool; // supabase_admin: the superuser
// a NOINHERIT member of OWNER: it has OWNER's rights only after SET ROLE (like supabase_auth_admin)
let member: SupaopsPool;

const TRIGGER_FN = `CREATE FUNCTION public.on_signup() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
  BEGIN RETURN NEW; END $$`;
const TRIGGER = `CREATE TRIGGER on_signup AFTER INSERT ON auth.users
  FOR EACH ROW EXECUTE FUNCTION public.on_signup()`;

beforeAll(async () => {
  pool = createPool(db.current.url('postgres'), { name: 'app' });
  admin = createPool(db.current.adminUrl, { name: 'admin' });
  await executeSql(
    pool,
    `CREATE TABLE public.notes (id int PRIMARY KEY, body text);
     CREATE TABLE public.tags (id int PRIMARY KEY, note int);
     INSERT INTO public.notes VALUES (1, 'one'), (2, 'two');
     ${TRIGGER_FN};`,
  );
  await executeSql(admin, [
    `CREATE ROLE ${OWNER} NOLOGIN`,
    `CREATE ROLE ${MEMBER} LOGIN NOINHERIT PASSWORD ${quoteLiteral(db.current.password)}`,
    `GRANT ${OWNER} TO ${MEMBER}`,
    `CREATE TABLE public.owned (id int)`,
    `ALTER TABLE public.owned OWNER TO ${OWNER}`,
  ]);
  member = createPool(db.current.url(MEMBER), { name: 'member' });
});

afterAll(async () => {
  await pool?.end();
  await member?.end();
  if (admin) {
    await executeSql(admin, [
      `DROP OWNED BY ${OWNER}, ${MEMBER}`,
      `DROP ROLE IF EXISTS ${MEMBER}`,
      `DROP ROLE IF EXISTS ${OWNER}`,
    ]);
    await admin.end();
  }
});

const triggerExists = async (): Promise<boolean> =>
  (
    await executeSql<{ n: number }>(
      admin,
      "SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = 'on_signup' AND tgrelid = 'auth.users'::regclass",
    )
  ).rows[0]!.n === 1;

describe("role: 'auto' on auth.users", () => {
  it('as postgres (not a member of supabase_auth_admin): says why and names the fix', async () => {
    const ALTER = 'ALTER TABLE auth.users ADD COLUMN extra int';
    const plain = await executeSql(pool, ALTER).catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(PermissionDeniedError);
    expect((plain as Error).message).toMatch(/must be owner of (table|relation) users/);

    const choice = await chooseRole(pool, ALTER);
    expect(choice.used).toBeNull();
    expect(choice.sessionUser).toBe('postgres');
    expect(choice.objects).toEqual([
      { kind: 'relation', schema: 'auth', name: 'users', owner: 'supabase_auth_admin' },
    ]);
    expect(choice.reason).toMatch(/postgres is not a member of supabase_auth_admin/);
    expect(choice.reason).toMatch(/connect as supabase_auth_admin or as a superuser/);
    expect(choice.reason).toMatch(/GRANT supabase_auth_admin TO postgres/);

    const auto = await executeSql(pool, ALTER, { role: 'auto' }).catch((e: unknown) => e);
    expect(auto).toBeInstanceOf(PermissionDeniedError);
    expect((auto as Error).message).toMatch(/role: 'auto' ran it as postgres: .*not a member/);
  });

  it('as postgres, CREATE TRIGGER needs only the TRIGGER grant: it runs as postgres', async () => {
    // the Supabase-like bootstrap grants TRIGGER on auth tables to postgres
    const r = await executeSql(pool, TRIGGER, { role: 'auto', rollback: true });
    expect(r.roleChoice!.used).toBeNull();
    expect(r.roleChoice!.reason).toMatch(/works where postgres holds the privileges/);
    expect(await triggerExists()).toBe(false);
  });

  it('as supabase_admin: runs as supabase_auth_admin and creates the trigger', async () => {
    const r = await executeSql<{ u: string }>(admin, `${TRIGGER}; SELECT current_user AS u`, {
      role: 'auto',
    });
    expect(r.rows[0]).toEqual({ u: 'supabase_auth_admin' });
    expect(r.roleChoice).toMatchObject({
      requested: 'auto',
      used: 'supabase_auth_admin',
      sessionUser: 'supabase_admin',
      objects: [{ kind: 'relation', schema: 'auth', name: 'users', owner: 'supabase_auth_admin' }],
    });
    expect(r.roleChoice!.reason).toMatch(/SET LOCAL ROLE/);
    expect(await triggerExists()).toBe(true);
    // LOCAL: the pooled session is back to its login role
    const after = await executeSql<{ u: string }>(admin, 'SELECT current_user AS u');
    expect(after.rows[0]).toEqual({ u: 'supabase_admin' });
    expect(after.roleChoice).toBeUndefined();
    await executeSql(admin, 'DROP TRIGGER on_signup ON auth.users', { role: 'auto' });
    expect(await triggerExists()).toBe(false);
    const alter = await executeSql(admin, 'ALTER TABLE auth.users ADD COLUMN extra int', {
      role: 'auto',
      rollback: true,
    });
    expect(alter.roleChoice!.used).toBe('supabase_auth_admin');
  });

  it('a member of the owner switches to it; without auto the same ALTER fails', async () => {
    const plain = await executeSql(member, 'ALTER TABLE public.owned ADD COLUMN a int').catch(
      (e: unknown) => e,
    );
    expect(plain).toBeInstanceOf(PermissionDeniedError);
    const r = await executeSql<{ u: string }>(
      member,
      'ALTER TABLE public.owned ADD COLUMN a int; SELECT current_user AS u',
      { role: 'auto' },
    );
    expect(r.rows[0]).toEqual({ u: OWNER });
    expect(r.roleChoice!.used).toBe(OWNER);
    expect(r.roleChoice!.sessionUser).toBe(MEMBER);
  });

  it('an explicit role keeps working as before', async () => {
    const r = await executeSql<{ u: string }>(admin, 'SELECT current_user AS u', {
      role: 'supabase_auth_admin',
    });
    expect(r.rows[0]).toEqual({ u: 'supabase_auth_admin' });
    expect(r.roleChoice).toBeUndefined();
  });
});

describe("role: 'auto' on DML", () => {
  it('public tables of the session user: no switch', async () => {
    const r = await executeSql<{ n: number }>(
      pool,
      'SELECT count(*)::int AS n FROM public.notes n JOIN public.tags t ON t.note = n.id',
      { role: 'auto' },
    );
    expect(r.rows[0]).toEqual({ n: 0 });
    expect(r.roleChoice!.used).toBeNull();
    expect(r.roleChoice!.objects.map((o) => `${o.schema}.${o.name}:${o.owner}`).sort()).toEqual([
      'public.notes:postgres',
      'public.tags:postgres',
    ]);
    expect(r.roleChoice!.reason).toMatch(/owned by postgres, the session user/);
  });

  it('a superuser writing a table of postgres runs as postgres; params reach EXPLAIN', async () => {
    const r = await executeSql<{ u: string }>(
      admin,
      'INSERT INTO public.notes VALUES ($1, $2) RETURNING current_user AS u',
      { role: 'auto', params: [3, 'three'] },
    );
    expect(r.rows[0]).toEqual({ u: 'postgres' });
    expect(r.roleChoice!.objects).toEqual([
      { kind: 'relation', schema: 'public', name: 'notes', owner: 'postgres' },
    ]);
    const check = await executeSql<{ body: string }>(
      pool,
      'SELECT body FROM public.notes WHERE id = 3',
    );
    expect(check.rows[0]).toEqual({ body: 'three' });
  });

  it('a statement touching two owners runs as the session user and says so', async () => {
    const r = await executeSql<{ n: number }>(
      admin,
      'SELECT count(*)::int AS n FROM auth.users u, public.notes n WHERE u.email = n.body',
      { role: 'auto' },
    );
    expect(r.rows[0]).toEqual({ n: 0 });
    expect(r.roleChoice!.used).toBeNull();
    expect(r.roleChoice!.reason).toMatch(/several owners/);
    expect(r.roleChoice!.reason).toMatch(/auth\.users \(supabase_auth_admin\)/);
    expect(r.roleChoice!.reason).toMatch(/public\.notes \(postgres\)/);

    const two = await chooseRole(admin, [
      'ALTER TABLE auth.users ADD COLUMN x int',
      'COMMENT ON TABLE public.notes IS $$x$$',
    ]);
    expect(two.used).toBeNull();
    expect(two.objects).toHaveLength(2);
  });

  it('names in strings, comments and dollar quotes are not objects', async () => {
    const sql = `SELECT 'ALTER TABLE auth.users' AS s, $q$DROP TABLE auth.users$q$ AS d
      -- CREATE TRIGGER x ON auth.users
      /* GRANT ALL ON auth.users TO anon /* nested */ */ , "auth.users" FROM (SELECT 1 AS "auth.users") x`;
    const r = await executeSql(admin, sql, { role: 'auto' });
    expect(r.roleChoice!.objects).toEqual([]);
    expect(r.roleChoice!.used).toBeNull();
    expect(r.roleChoice!.reason).toMatch(/touch no table/);

    const policy = await chooseRole(
      admin,
      "CREATE POLICY p /* ON auth.users */ ON public.notes USING (body <> 'ON auth.users')",
    );
    expect(policy.objects).toEqual([
      { kind: 'relation', schema: 'public', name: 'notes', owner: 'postgres' },
    ]);
    expect(policy.used).toBe('postgres');
  });
});

describe("role: 'auto' on other DDL", () => {
  it('CREATE in a schema the session may not create in names the schema owner', async () => {
    const choice = await chooseRole(pool, 'CREATE TABLE auth.extra (id int)');
    expect(choice.objects).toEqual([
      { kind: 'schema', schema: 'auth', name: 'auth', owner: 'supabase_admin' },
    ]);
    expect(choice.used).toBeNull();
    expect(choice.reason).toMatch(/not a member of supabase_admin/);
    const mine = await chooseRole(pool, 'CREATE TABLE public.fresh (id int)');
    expect(mine.used).toBeNull();
    expect(mine.reason).toMatch(/postgres may create objects in schema public/);
  });

  it('functions, OR REPLACE, grants and a table created in the same batch', async () => {
    const fn = await chooseRole(admin, 'ALTER FUNCTION auth.uid() STABLE');
    expect(fn.objects).toEqual([
      { kind: 'function', schema: 'auth', name: 'uid', owner: 'supabase_auth_admin' },
    ]);
    expect(fn.used).toBe('supabase_auth_admin');
    const replace = await chooseRole(
      admin,
      'CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql AS $$ SELECT NULL::uuid $$',
    );
    expect(replace.used).toBe('supabase_auth_admin');
    const grant = await chooseRole(admin, 'GRANT SELECT ON ALL TABLES IN SCHEMA auth TO anon');
    expect(grant.objects).toEqual([
      { kind: 'relation', schema: 'auth', name: '*', owner: 'supabase_auth_admin' },
    ]);
    const fresh = await executeSql(
      pool,
      'CREATE TABLE public.fresh2 (id int); CREATE INDEX ON public.fresh2 (id)',
      { role: 'auto' },
    );
    expect(fresh.roleChoice!.used).toBeNull();
    expect(fresh.roleChoice!.reason).toMatch(/Not found \(yet\): public\.fresh2/);
  });

  it('a DML statement that cannot be planned is reported, then fails as usual', async () => {
    const choice = await chooseRole(pool, 'SELECT * FROM public.missing_table');
    expect(choice.reason).toMatch(/could not be planned/);
    await expect(
      executeSql(pool, 'SELECT * FROM public.missing_table', { role: 'auto' }),
    ).rejects.toThrow(/missing_table/);
  });

  it('validates its input', async () => {
    await expect(chooseRole(pool, '')).rejects.toBeInstanceOf(PgConnectValidationError);
  });
});
