import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli, type TempHome, tempHome } from './helpers/cli.js';
import { schemaErrors } from './helpers/schema.js';

let home: TempHome;
let dataDir: string;
const run = (args: string[]) =>
  runCli(args, { cwd: home.project, env: home.env, timeoutMs: 180_000 });

beforeAll(async () => {
  home = await tempHome();
  dataDir = path.join(home.root, 'data');
  home.env.SUPAOPS_DATA_DIR = dataDir;
  await writeFile(
    path.join(home.project, 'supaops.config.json'),
    JSON.stringify({ version: 1, instances: { local: { kind: 'sandbox' } }, dokployServers: {} }),
  );
});
afterAll(async () => {
  await run(['sandbox', 'stop']);
  await home.cleanup();
});

describe('sandbox', () => {
  it('status of a sandbox never started is absent', async () => {
    const result = await run(['sandbox', 'status', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = json(result);
    expect(schemaErrors('sandbox-status', doc)).toEqual([]);
    expect(doc).toMatchObject({ state: 'absent', dataDir: path.join(dataDir, 'sandbox') });
  });

  it('migration new on a sandbox instance writes the file without starting the sandbox', async () => {
    const created = await run(['migration', 'new', 'first', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const doc = json<{ path: string }>(created);
    expect(schemaErrors('migration-new', doc)).toEqual([]);
    expect(doc.path).toMatch(/supabase\/migrations\/\d{14}_first\.sql$/);
    const status = json(await run(['sandbox', 'status', '--json']));
    expect(status).toMatchObject({ state: 'absent' });
  });

  it('start, reuse, use it as an instance, stop and reset', async () => {
    const started = await run(['sandbox', 'start', '--json']);
    expect(started.code, started.stderr).toBe(0);
    const doc = json<{ state: string; port: number; url: string; reused: boolean }>(started);
    expect(schemaErrors('sandbox-start', doc)).toEqual([]);
    expect(doc.state).toBe('running');
    expect(doc.url).toMatch(/^postgres(ql)?:\/\/supabase_admin:\*\*\*@127\.0\.0\.1:\d+\//);

    const human = await run(['sandbox', 'start']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/state\s+running \(already running\)/);

    const sql = await run([
      'db',
      'sql',
      "select current_user as who, count(*)::int as roles from pg_roles where rolname in ('anon', 'authenticated', 'service_role')",
      '--instance',
      'local',
      '--json',
    ]);
    expect(sql.code, sql.stderr).toBe(0);
    expect(json(sql)).toMatchObject({
      instance: 'local',
      rows: [{ who: 'supabase_admin', roles: 3 }],
    });

    const status = await run(['sandbox', 'status']);
    expect(status.stdout).toMatch(/state\s+running/);

    const stopped = await run(['sandbox', 'stop', '--json']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(schemaErrors('sandbox-stop', json(stopped))).toEqual([]);
    expect(json(stopped)).toMatchObject({ state: 'stopped' });

    const refused = await run(['sandbox', 'reset']);
    expect(refused.code).toBe(2);
    const reset = await run(['sandbox', 'reset', '--yes', '--json']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(schemaErrors('sandbox-reset', json(reset))).toEqual([]);
    expect(json(reset)).toMatchObject({ state: 'absent' });
  });
});
