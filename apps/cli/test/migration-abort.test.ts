import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { executeSql } from '@supaops/pg-connect';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from './helpers/cli.js';
import { type Project, testProject } from './helpers/project.js';

const db = useTestDatabase('cli_mig_abort');
let project: Project;
let dir: string;

const ONE = '20240101000000_one.sql';
const SLOW = '20240102000000_slow.sql';
const THREE = '20240103000000_three.sql';

async function rows<T>(sql: string): Promise<T[]> {
  const result = await executeSql(db.current.url(), sql);
  return result.rows as T[];
}

/** Our migrator's backends on the test database (application_name supaops-migrator…). */
const OURS =
  "select pid, query from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and application_name like 'supaops-migrator%'";

/** Polls `check` until it is true, at most `tries` times (bounded, no timing asserted). */
async function until(check: () => Promise<boolean>, tries = 200, everyMs = 50): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return false;
}

beforeAll(async () => {
  project = await testProject(db.current);
  dir = path.join(project.project, 'supabase/migrations');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, ONE), 'create table public.one (id int);\n');
  await writeFile(
    path.join(dir, SLOW),
    'create table public.slow (id int);\nselect pg_sleep(30);\ncreate table public.slow_after (id int);\n',
  );
  await writeFile(path.join(dir, THREE), 'create table public.three (id int);\n');
});
afterAll(async () => {
  await project.cleanup();
});

describe('SIGINT during migration up', () => {
  it('exits 130, rolls back the running file, leaves no backend, and a re-run continues', async () => {
    const child = spawnCli(['migration', 'up', '--verbose'], {
      cwd: project.project,
      env: project.env,
    });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on('close', (code) => resolve(code)),
    );
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    // the slow file is running once the server shows our backend in pg_sleep
    const sleeping = await until(async () =>
      (await rows<{ query: string }>(OURS)).some((r) => r.query.includes('pg_sleep(30)')),
    );
    expect(sleeping, stderr).toBe(true);
    child.kill('SIGINT');
    const code = await exited;
    clearTimeout(killer);

    expect(code, stderr + stdout).toBe(130);
    expect(stderr).toContain('MIGRATION_ABORTED');
    for (const secret of project.secrets) expect(stderr + stdout).not.toContain(secret);

    const history = await rows<{ version: string }>(
      'select version from supabase_migrations.schema_migrations order by version',
    );
    expect(history.map((r) => r.version)).toEqual(['20240101000000']);
    const tables = await rows<{ name: string }>(
      "select tablename as name from pg_tables where schemaname = 'public' order by 1",
    );
    expect(tables.map((t) => t.name)).toEqual(['one']);
    // the process has exited; the server drops its closed sessions on its own (bounded wait)
    expect(await until(async () => (await rows(OURS)).length === 0)).toBe(true);

    // the file never committed, so it is still pending and may be edited before the re-run
    await writeFile(
      path.join(dir, SLOW),
      'create table public.slow (id int);\nselect pg_sleep(0);\ncreate table public.slow_after (id int);\n',
    );
    const rerun = await project.run(['migration', 'up', '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const report = JSON.parse(rerun.stdout) as { files: Array<{ file: string; status: string }> };
    expect(report.files.map((f) => [f.file, f.status])).toEqual([
      [SLOW, 'applied'],
      [THREE, 'applied'],
    ]);
    const after = await rows<{ version: string }>(
      'select version from supabase_migrations.schema_migrations order by version',
    );
    expect(after.map((r) => r.version)).toEqual([
      '20240101000000',
      '20240102000000',
      '20240103000000',
    ]);
  });
});
