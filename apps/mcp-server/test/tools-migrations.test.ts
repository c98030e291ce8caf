import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connected, failed, inProcess, ok, unwrap } from './helpers/clients.js';
import { createFixture, type Fixture } from './helpers/fixture.js';

const db = useTestDatabase('mcp_migrations');
let fx: Fixture;
let server: Connected;

interface RunResult {
  instance: string;
  files: { version: string; name: string; status: string }[];
}
interface Confirmation {
  confirmation: { token: string; summary: string; dryRun: Record<string, unknown> };
}

beforeAll(async () => {
  fx = await createFixture(db.current);
  server = await inProcess({ cwd: fx.project, env: fx.env, secrets: fx.secrets });
});

afterAll(async () => {
  await server?.close();
  await fx?.cleanup();
});

async function tables(): Promise<string[]> {
  const res = ok<{ data: string }>(
    await server.call('execute_sql', {
      sql: "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    }),
  );
  return unwrap<{ tablename: string }[]>(res.data).map((r) => r.tablename);
}

describe('migrations', () => {
  it('apply_migration writes the file into the migrations directory and applies it', async () => {
    const res = ok<RunResult & { file: string; version: string }>(
      await server.call('apply_migration', {
        name: 'create_todos',
        sql: 'CREATE TABLE todos (id serial PRIMARY KEY, title text NOT NULL);',
      }),
    );
    expect(res.file).toMatch(/^\d{14}_create_todos\.sql$/);
    expect(await readdir(fx.migrationsDir)).toContain(res.file);
    expect(res.files.map((f) => [f.name, f.status])).toEqual([['create_todos', 'applied']]);
    expect(await tables()).toContain('todos');
    const list = ok<{ summary: Record<string, number>; pending: string[]; data: string }>(
      await server.call('list_migrations', {}),
    );
    expect(list.summary).toMatchObject({ local: 1, applied: 1, pending: 0, drifted: 0 });
    expect(unwrap<{ name: string; state: string }[]>(list.data)).toEqual([
      expect.objectContaining({ name: 'create_todos', state: 'applied', version: res.version }),
    ]);
  });

  it('a failing migration is rolled back and its file removed', async () => {
    const before = await readdir(fx.migrationsDir);
    const error = failed(
      await server.call('apply_migration', {
        name: 'broken',
        sql: 'CREATE TABLE half (id int);\nSELECT nope FROM half;',
      }),
    );
    expect(error.code).toBe('MIGRATION_FAILED');
    expect(error.message).toMatch(/nope/);
    expect(await readdir(fx.migrationsDir)).toEqual(before);
    expect(await tables()).not.toContain('half');
  });

  it('refuses a bad migration name', async () => {
    const result = await server.call('apply_migration', { name: 'Bad Name', sql: 'SELECT 1' });
    expect(result.isError).toBe(true);
  });

  it('apply_pending_migrations runs a dry run, then applies with progress notifications', async () => {
    await mkdir(join(fx.migrationsDir, 'down'), { recursive: true });
    for (const [version, name] of [
      ['29990101000001', 'tags'],
      ['29990101000002', 'labels'],
      ['29990101000003', 'colors'],
    ] as const) {
      await writeFile(
        join(fx.migrationsDir, `${version}_${name}.sql`),
        `CREATE TABLE ${name} (id int);\n`,
      );
      await writeFile(
        join(fx.migrationsDir, 'down', `${version}_${name}.down.sql`),
        `DROP TABLE ${name};\n`,
      );
    }
    const dry = ok<RunResult & { dryRun: boolean }>(
      await server.call('apply_pending_migrations', { dryRun: true }),
    );
    expect(dry.dryRun).toBe(true);
    expect(dry.files.map((f) => f.status)).toEqual(['would-apply', 'would-apply', 'would-apply']);
    expect(await tables()).not.toContain('tags');

    const progress: { progress: number; total?: number; message?: string }[] = [];
    const res = ok<RunResult>(
      await server.call('apply_pending_migrations', {}, { onprogress: (p) => progress.push(p) }),
    );
    expect(res.files.map((f) => f.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await tables()).toEqual(expect.arrayContaining(['tags', 'labels', 'colors']));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ progress: 3, total: 3 });
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.progress).toBeGreaterThanOrEqual(progress[i - 1]!.progress);
    }
  });

  it('rollback_migration shows what would roll back and acts only with the token', async () => {
    const first = ok<Confirmation>(await server.call('rollback_migration', { last: 2 }));
    expect(first.confirmation.summary).toMatch(/revert 2 migration/);
    expect(
      (first.confirmation.dryRun.files as { name: string; status: string }[]).map((f) => f.name),
    ).toEqual(['colors', 'labels']);
    expect(await tables()).toContain('colors');

    const wrongArgs = failed(
      await server.call('rollback_migration', {
        last: 3,
        confirmationToken: first.confirmation.token,
      }),
    );
    expect(wrongArgs.code).toBe('MCP_CONFIRMATION_INVALID');
    expect(await tables()).toContain('tags');

    const res = ok<RunResult>(
      await server.call('rollback_migration', {
        last: 2,
        confirmationToken: first.confirmation.token,
      }),
    );
    expect(res.files.map((f) => [f.name, f.status])).toEqual([
      ['colors', 'reverted'],
      ['labels', 'reverted'],
    ]);
    const now = await tables();
    expect(now).toContain('tags');
    expect(now).not.toContain('colors');
  });

  it('rollback_migration to a version reverts everything newer', async () => {
    const first = ok<Confirmation>(
      await server.call('rollback_migration', { to: '29990101000001' }),
    );
    expect(first.confirmation.summary).toMatch(/revert 0 migration/);
  });

  it('repair_migration_history marks versions without running SQL; the whole history needs confirmation', async () => {
    const reverted = ok<RunResult>(
      await server.call('repair_migration_history', {
        status: 'reverted',
        versions: ['29990101000001'],
      }),
    );
    expect(reverted.files.map((f) => f.status)).toEqual(['marked-reverted']);
    expect(await tables()).toContain('tags'); // no SQL ran
    const list = ok<{ pending: string[] }>(await server.call('list_migrations', {}));
    expect(list.pending).toContain('29990101000001');

    const all = ok<Confirmation>(
      await server.call('repair_migration_history', { status: 'applied', all: true }),
    );
    expect(all.confirmation.summary).toMatch(/whole migration history/);
    const done = ok<RunResult>(
      await server.call('repair_migration_history', {
        status: 'applied',
        all: true,
        confirmationToken: all.confirmation.token,
      }),
    );
    expect(done.files.length).toBeGreaterThan(0);
    const after = ok<{ pending: string[] }>(await server.call('list_migrations', {}));
    expect(after.pending).toEqual([]);
  });
});
