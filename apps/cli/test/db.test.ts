import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli } from './helpers/cli.js';
import { type Project, testProject } from './helpers/project.js';
import { schemaErrors } from './helpers/schema.js';

const db = useTestDatabase('cli_db');
let project: Project;

beforeAll(async () => {
  project = await testProject(db.current);
  await project.run([
    'db',
    'sql',
    "create table public.notes (id int primary key, body text, at timestamptz default '2026-01-01T00:00:00Z')",
  ]);
  await project.run([
    'db',
    'sql',
    "insert into public.notes (id, body) values (1, 'one'), (2, 'two')",
  ]);
});
afterAll(async () => {
  await project.cleanup();
});

describe('db sql', () => {
  it('runs a query from an argument: a table, or the --json document', async () => {
    const human = await project.run(['db', 'sql', 'select id, body from public.notes order by id']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/id\s+body/);
    expect(human.stdout).toMatch(/1\s+one/);
    expect(human.stdout).toContain('(2 rows)');

    const doc = await project.runJson<{
      rows: unknown[];
      columns: Array<{ name: string; type: string }>;
    }>('db-sql', ['db', 'sql', 'select id, body, at from public.notes order by id']);
    expect(doc.rows).toEqual([
      { id: 1, body: 'one', at: '2026-01-01T00:00:00.000Z' },
      { id: 2, body: 'two', at: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(doc.columns.map((c) => c.type)).toEqual(['int4', 'text', 'timestamptz']);
  });

  it('reads the query from a file and from stdin; takes --params', async () => {
    const file = path.join(project.project, 'q.sql');
    await writeFile(file, 'select count(*)::int as n from public.notes');
    expect((await project.runJson('db-sql', ['db', 'sql', '--file', file])).rows).toEqual([
      { n: 2 },
    ]);
    expect(
      (await project.runJson('db-sql', ['db', 'sql'], 0, { input: 'select 40 + 2 as answer' }))
        .rows,
    ).toEqual([{ answer: 42 }]);
    const params = await project.runJson('db-sql', [
      'db',
      'sql',
      'select body from public.notes where id = $1',
      '--params',
      '[2]',
    ]);
    expect(params.rows).toEqual([{ body: 'two' }]);
  });

  it('--read-only refuses writes (exit 6) and --role switches role', async () => {
    const refused = await project.run([
      'db',
      'sql',
      "insert into public.notes values (3, 'x')",
      '--read-only',
      '--json',
    ]);
    expect(refused.code).toBe(6);
    expect(schemaErrors('error', json(refused))).toEqual([]);
    expect(json(refused)).toMatchObject({ error: { code: 'READ_ONLY_VIOLATION' } });

    const role = await project.runJson('db-sql', [
      'db',
      'sql',
      'select current_user as who',
      '--role',
      'authenticated',
    ]);
    expect(role.rows).toEqual([{ who: 'authenticated' }]);
    const denied = await project.run(['db', 'sql', 'select * from auth.users', '--role', 'anon']);
    expect(denied.code).toBe(6);
    expect(denied.stderr).toContain('PERMISSION_DENIED');
  });

  it('--role auto runs as the owner of what the SQL touches (auth.users: supabase_auth_admin)', async () => {
    const doc = await project.runJson<{
      roleChoice: { used: string; reason: string };
      rows: unknown[];
    }>('db-sql', [
      'db',
      'sql',
      'select current_user as who from auth.users limit 1',
      '--role',
      'auto',
    ]);
    expect(doc.roleChoice.used).toBe('supabase_auth_admin');
    const human = await project.run([
      'db',
      'sql',
      'select count(*)::int as n from auth.users',
      '--role',
      'auto',
    ]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('role auto: supabase_auth_admin');
  });

  it('several statements print one block each; usage errors exit 2', async () => {
    const multi = await project.runJson<{ statements: Array<{ command: string }> }>('db-sql', [
      'db',
      'sql',
      'select 1 as a; select 2 as b',
    ]);
    expect(multi.statements.map((s) => s.command)).toEqual(['SELECT', 'SELECT']);
    expect((await project.run(['db', 'sql', 'select 1', '--params', '{"a":1}'])).code).toBe(2);
    expect((await project.run(['db', 'sql', 'select 1', '--params', 'nope'])).code).toBe(2);
    expect((await project.run(['db', 'sql', 'select 1', '--file', 'x.sql'])).code).toBe(2);
    expect((await project.run(['db', 'sql'], { input: '  ' })).code).toBe(2);
    const bad = await project.run(['db', 'sql', 'select nope from public.notes']);
    expect(bad.code).toBe(6);
    expect(bad.stderr).toContain('QUERY_FAILED');
  });

  it('--db-url needs no config at all, and --instance and --db-url together are refused', async () => {
    const bare = await project.run([
      'db',
      'sql',
      'select 7 as n',
      '--db-url',
      db.current.url(),
      '--json',
      '--config',
      path.join(project.root, 'none.json'),
    ]);
    expect(bare.code, bare.stdout).toBe(0);
    const adHoc = await runCli(
      ['db', 'sql', 'select 7 as n', '--db-url', db.current.url(), '--json'],
      {
        cwd: project.root,
        env: { ...project.env, SUPAOPS_TEST_DB_URL: '' },
      },
    );
    expect(adHoc.code, adHoc.stdout).toBe(0);
    expect(json(adHoc)).toMatchObject({ rows: [{ n: 7 }], instance: expect.any(String) });
    expect(adHoc.stdout + adHoc.stderr).not.toContain(db.current.password);
    const both = await project.run([
      'db',
      'sql',
      'select 1',
      '--db-url',
      db.current.url(),
      '--instance',
      'test',
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('INSTANCE_FLAGS_CONFLICT');
  });

  it('instance selection: --instance over SUPAOPS_INSTANCE over the config default', async () => {
    const unknown = await project.run(['db', 'sql', 'select 1', '--instance', 'nope', '--json']);
    expect(unknown.code).toBe(4);
    expect(json(unknown)).toMatchObject({ error: { code: 'INSTANCE_NOT_FOUND' } });
    const fromEnv = await project.run(['db', 'sql', 'select 1'], {
      env: { SUPAOPS_INSTANCE: 'nope' },
    });
    expect(fromEnv.code).toBe(4);
    const overridden = await project.run(['db', 'sql', 'select 1', '--instance', 'test'], {
      env: { SUPAOPS_INSTANCE: 'nope' },
    });
    expect(overridden.code, overridden.stderr).toBe(0);
  });
});

describe('db connections', () => {
  it('reports usage against max_connections by service', async () => {
    const human = await project.run(['db', 'connections']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/connections used/);
    expect(human.stdout).toContain('SERVICE');
    const doc = await project.runJson<{ maxConnections: number; level: string }>('db-connections', [
      'db',
      'connections',
      '--verbose',
    ]);
    expect(doc.maxConnections).toBeGreaterThan(0);
    expect(doc.level).toBe('ok');
  });
});

describe('db check', () => {
  it('diagnoses a compose-internal host and prints the SSH-tunnel commands (exit 1 when it cannot resolve)', async () => {
    const url = 'postgresql://postgres:hunter2-secret-pw@supabase-db.invalid:5432/postgres';
    const human = await project.run([
      'db',
      'check',
      url,
      '--ssh-host',
      'vps.example.com',
      '--ssh-user',
      'deploy',
    ]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('ssh -N -L');
    expect(human.stdout).not.toContain('hunter2-secret-pw');
    const doc = await project.runJson<{
      network: { resolves: boolean; alternatives: Array<{ kind: string }> };
    }>('db-check', ['db', 'check', url, '--ssh-host', 'vps.example.com'], 1);
    expect(doc.network.resolves).toBe(false);
    expect(doc.network.alternatives.map((a) => a.kind)).toContain('ssh-tunnel');
    expect(JSON.stringify(doc)).not.toContain('hunter2-secret-pw');
  });

  it('gives the fix of each finding: a pooler user without tenant is an error', async () => {
    const doc = await project.runJson<{ diagnostics: Array<{ code: string; fix: string }> }>(
      'db-check',
      [
        'db',
        'check',
        'postgresql://postgres:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres',
        '--purpose',
        'migrations',
      ],
      1,
    );
    const codes = doc.diagnostics.map((d) => d.code);
    expect(codes).toContain('POOLER_USER_WITHOUT_TENANT');
    expect(codes).toContain('TRANSACTION_MODE_FOR_MIGRATIONS');
    for (const d of doc.diagnostics) expect(d.fix).toBeTruthy();
  });

  it('checks the selected instance and connects with --connect', async () => {
    const human = await project.run(['db', 'check', '--connect']);
    expect(human.code, human.stdout + human.stderr).toBe(0);
    expect(human.stdout).toContain('SELECT 1 answered');
    const doc = await project.runJson('db-check', ['db', 'check', '--connect']);
    expect(doc).toMatchObject({ ok: true, connect: { ok: true }, mode: 'direct' });
    const refused = await project.runJson(
      'db-check',
      ['db', 'check', 'postgresql://postgres:x@127.0.0.1:1/postgres', '--connect'],
      1,
    );
    expect(refused).toMatchObject({ ok: false, connect: { ok: false } });
  });
});
