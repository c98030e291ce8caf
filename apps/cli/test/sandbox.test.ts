import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startSandbox } from '@supaops/sandbox';
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
    JSON.stringify({
      version: 1,
      defaultInstance: 'local',
      instances: {
        local: { kind: 'sandbox' },
        remote: { kind: 'self-hosted', database: { session: 'env:REMOTE_DB_URL' } },
      },
      dokployServers: {},
    }),
  );
});
afterAll(async () => {
  await run(['sandbox', 'stop']);
  await home.cleanup();
});

// biome-ignore lint/suspicious/noExplicitAny: a --json document, checked against its schema first
type Doc = Record<string, any>;
const EXIT_SANDBOX = 9;

/**
 * A failing statement carrying the sandbox's password as text puts it into the server log twice
 * (the error and the STATEMENT line); `logs` finds them with --grep and shows the password as ***.
 */
async function logsOfTheRunningSandbox(): Promise<void> {
  const { password } = await startSandbox({ env: home.env });
  const failing = await run(['db', 'sql', `select '${password}'::int`, '--instance', 'local']);
  expect(failing.code).toBe(6);
  const found = await run([
    'logs',
    '--instance',
    'local',
    '--grep',
    'INVALID INPUT SYNTAX',
    '--json',
  ]);
  expect(found.code, found.stderr).toBe(0);
  const doc = json<Doc>(found);
  expect(schemaErrors('logs', doc)).toEqual([]);
  expect(doc).toMatchObject({
    instance: 'local',
    source: 'sandbox',
    sources: [{ service: 'postgres' }],
  });
  expect(doc.logFile).toMatch(/postgres\.log$/);
  expect(doc.lines.length).toBeGreaterThanOrEqual(1);
  for (const line of doc.lines) {
    expect(line.service).toBe('postgres');
    expect(line.text).toMatch(/invalid input syntax for type integer: "\*\*\*"/);
    expect(line.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  }
  for (const out of [found.stdout, found.stderr, failing.stdout, failing.stderr])
    expect(out).not.toContain(password);

  const last = json<Doc>(
    await run(['logs', '--instance', 'local', '--since', '1h', '--tail', '1', '--json']),
  );
  expect(last.lines).toHaveLength(1);
  expect(last.truncated).toBe(true);
  // the built-in instance name reads the same sandbox; the human form prefixes the service
  const builtin = await run([
    'logs',
    '--instance',
    'sandbox',
    '--service',
    'db',
    '--grep',
    'invalid input',
  ]);
  expect(builtin.code, builtin.stderr).toBe(0);
  expect(builtin.stdout).toMatch(/^postgres \S+ \[\d+\] ERROR: {2}invalid input syntax/m);
  expect(builtin.stdout).not.toContain(password);
  const other = await run(['logs', '--instance', 'local', '--service', 'auth']);
  expect(other.code).toBe(2);
  expect(other.stderr).toMatch(/LOGS_SERVICE_UNKNOWN/);
}

describe('sandbox', () => {
  it('status of a sandbox never started is absent', async () => {
    const result = await run(['sandbox', 'status', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const doc = json(result);
    expect(schemaErrors('sandbox-status', doc)).toEqual([]);
    expect(doc).toMatchObject({ state: 'absent', dataDir: path.join(dataDir, 'sandbox') });
    const logs = await run(['logs', '--instance', 'local', '--json']);
    expect(logs.code).toBe(EXIT_SANDBOX);
    expect(json<Doc>(logs).error).toMatchObject({ code: 'NOT_INITIALISED' });
    expect(logs.stdout).toMatch(/supaops sandbox start/);
  });

  it('logs on an instance that is neither a Dokploy compose nor the sandbox says what to configure', async () => {
    const result = await run(['logs', '--instance', 'remote', '--json']);
    expect(result.code).toBe(4);
    const doc = json<Doc>(result);
    expect(schemaErrors('error', doc)).toEqual([]);
    expect(doc.error.code).toBe('LOGS_SOURCE_MISSING');
    expect(doc.error.message).toMatch(/"remote" \(kind self-hosted\)/);
    expect(doc.error.fix).toMatch(/"dokploy": \{ "server": NAME, "composeId": ID \}/);
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

    await logsOfTheRunningSandbox();

    const stopped = await run(['sandbox', 'stop', '--json']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(schemaErrors('sandbox-stop', json(stopped))).toEqual([]);
    expect(json(stopped)).toMatchObject({ state: 'stopped' });
    // the log stays readable while the server is down
    const after = await run(['logs', '--instance', 'local', '--tail', '20']);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toMatch(/^postgres .*database system is shut down/m);

    const refused = await run(['sandbox', 'reset']);
    expect(refused.code).toBe(2);
    const reset = await run(['sandbox', 'reset', '--yes', '--json']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(schemaErrors('sandbox-reset', json(reset))).toEqual([]);
    expect(json(reset)).toMatchObject({ state: 'absent' });
  });
});
