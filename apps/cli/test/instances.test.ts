import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV_EXAMPLE, json, runCli, type TempHome, tempHome } from './helpers/cli.js';
import { type Project, testProject } from './helpers/project.js';
import { runOnPty, stripTerminal } from './helpers/pty.js';
import { schemaErrors } from './helpers/schema.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escape codes
const ESCAPE = /\u001b\[/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escape codes
const COLOR = /\u001b\[3\dm/;

const db = useTestDatabase('cli_inst');
let project: Project;
let home: TempHome;

beforeAll(async () => {
  project = await testProject(db.current);
  home = await tempHome();
});
afterAll(async () => {
  await project.cleanup();
  await home.cleanup();
});

const inHome = (args: string[], env: NodeJS.ProcessEnv = {}, input?: string) =>
  runCli(args, {
    cwd: home.project,
    env: { ...home.env, ...env },
    ...(input === undefined ? {} : { input }),
  });

describe('init', () => {
  it('without a terminal never prompts: flags make the config, none make an empty one', async () => {
    const empty = await inHome(['init', '--json']);
    expect(empty.code, empty.stderr).toBe(0);
    const doc = json<{ path: string; config: { instances: object } }>(empty);
    expect(schemaErrors('init', doc)).toEqual([]);
    expect(doc.config.instances).toEqual({});
    expect(empty.stderr).not.toMatch(/Instance name|What is it/);

    const exists = await inHome(['init', '--json']);
    expect(exists.code).toBe(4);
    expect(json(exists)).toMatchObject({ error: { code: 'CONFIG_EXISTS' } });

    const flagged = await inHome([
      'init',
      '--force',
      '--name',
      'prod',
      '--session',
      'env:PROD_DATABASE_URL',
      '--production',
      '--backup-dir',
      'backups',
      '--keep-last',
      '3',
    ]);
    expect(flagged.code, flagged.stderr).toBe(0);
    expect(flagged.stdout).toContain('next: supaops instances test prod');
    const written = JSON.parse(
      await readFile(path.join(home.project, 'supaops.config.json'), 'utf8'),
    );
    expect(written).toMatchObject({
      version: 1,
      defaultInstance: 'prod',
      instances: {
        prod: {
          kind: 'self-hosted',
          database: { session: 'env:PROD_DATABASE_URL' },
          labels: { production: true },
          backups: { storage: { type: 'local', dir: 'backups' }, retention: { keepLast: 3 } },
        },
      },
    });
    const literal = await inHome([
      'init',
      '--force',
      '--session',
      'postgres://u:literal-secret@h/db',
    ]);
    expect(literal.code).toBe(4);
    expect(literal.stderr).not.toContain('literal-secret');
  });

  it('asks on a terminal (pseudo-terminal through script) and writes the answers', async () => {
    const dir = path.join(home.root, 'pty-project');
    await (await import('node:fs/promises')).mkdir(dir, { recursive: true });
    const pty = runOnPty(['init'], { cwd: dir, env: home.env });
    await pty.waitFor(/Instance name/);
    pty.write('staging\r');
    await pty.waitFor(/What is it/);
    pty.write('\u001b[B\r'); // arrow down: self-hosted
    await pty.waitFor(/Database connection/);
    pty.write('env:STAGING_URL\r');
    await pty.waitFor(/production/);
    pty.write('y\r');
    expect(await pty.exit).toBe(0);
    expect(stripTerminal(pty.output())).toContain('wrote');
    const written = JSON.parse(await readFile(path.join(dir, 'supaops.config.json'), 'utf8'));
    expect(written.instances).toEqual({
      staging: {
        kind: 'self-hosted',
        database: { session: 'env:STAGING_URL' },
        labels: { production: true },
      },
    });
  });

  it('Ctrl-C at a prompt cancels with exit 130 and writes nothing', async () => {
    const dir = path.join(home.root, 'pty-cancel');
    await (await import('node:fs/promises')).mkdir(dir, { recursive: true });
    const pty = runOnPty(['init'], { cwd: dir, env: home.env });
    await pty.waitFor(/Instance name/);
    pty.write('\u0003');
    expect(await pty.exit).toBe(130);
    await expect(readFile(path.join(dir, 'supaops.config.json'))).rejects.toThrow();
  });
});

describe('color and terminals', () => {
  it('colors only on a terminal, honouring NO_COLOR and FORCE_COLOR', async () => {
    const plain = await inHome(['keys', 'check', '--env', ENV_EXAMPLE]);
    expect(plain.stdout).not.toMatch(ESCAPE);
    const forced = await inHome(['keys', 'check', '--env', ENV_EXAMPLE], { FORCE_COLOR: '1' });
    expect(forced.stdout).toMatch(ESCAPE);
    const flag = await inHome(['keys', 'check', '--env', ENV_EXAMPLE, '--color']);
    expect(flag.stdout).toMatch(ESCAPE);

    const tty = runOnPty(['keys', 'check', '--env', ENV_EXAMPLE], {
      cwd: home.project,
      env: home.env,
    });
    expect(await tty.exit).toBe(1);
    expect(tty.output()).toMatch(COLOR);
    const noColor = runOnPty(['keys', 'check', '--env', ENV_EXAMPLE], {
      cwd: home.project,
      env: { ...home.env, NO_COLOR: '1' },
    });
    expect(await noColor.exit).toBe(1);
    expect(noColor.output()).not.toMatch(ESCAPE);
    expect(stripTerminal(noColor.output())).toContain('JWT_SECRET_DEMO');
  });

  it('keys generate warns on stderr when stdout is a terminal', async () => {
    const tty = runOnPty(['keys', 'generate'], {
      cwd: home.project,
      env: { ...home.env, NO_COLOR: '1' },
    });
    expect(await tty.exit).toBe(0);
    expect(tty.output()).toContain('these are secrets');
  });
});

describe('instances', () => {
  it('list shows the instances without secret values', async () => {
    const human = await project.run(['instances', 'list']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/test \*\s+self-hosted/);
    const doc = await project.runJson<{ instances: Array<{ name: string; isDefault: boolean }> }>(
      'instances-list',
      ['instances', 'list'],
    );
    expect(doc.instances).toEqual([expect.objectContaining({ name: 'test', isDefault: true })]);
    expect(JSON.stringify(doc)).not.toContain(db.current.password);
  });

  it('add, list, test and remove an instance', async () => {
    const added = await project.runJson('instances-add', [
      'instances',
      'add',
      'other',
      '--session',
      'env:SUPAOPS_TEST_DB_URL',
      '--description',
      'same db',
      '--api-url',
      'https://supabase.example.com',
      '--anon-key',
      'env:ANON',
    ]);
    expect(added).toMatchObject({
      name: 'other',
      instance: { kind: 'self-hosted', api: { url: 'https://supabase.example.com' } },
    });
    const dup = await project.run(['instances', 'add', 'other', '--session', 'env:X']);
    expect(dup.code).toBe(4);
    expect((await project.run(['instances', 'add', 'third', '--anon-key', 'env:X'])).code).toBe(2);
    const listed = await project.run(['instances', 'list']);
    expect(listed.stdout).toContain('other');
    expect(listed.stdout).toContain('https://supabase.example.com');

    // every reference of an instance resolves when it is used, the API keys too
    const anon = { env: { ANON: 'anon-key-value-for-the-test' } };
    const tested = await project.run(['instances', 'test', 'other'], anon);
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/SELECT answered in \d+ ms/);
    const testedJson = await project.runJson(
      'instances-test',
      ['instances', 'test', 'other'],
      0,
      anon,
    );
    expect(testedJson).toMatchObject({ name: 'other', ok: true, query: { ok: true } });

    const removed = await project.runJson('instances-remove', ['instances', 'remove', 'other']);
    expect(removed).toMatchObject({ name: 'other', removed: true });
    const gone = await project.run(['instances', 'remove', 'other', '--json']);
    expect(gone.code).toBe(4);
    expect(schemaErrors('error', json(gone))).toEqual([]);
  });

  it('add --default and default NAME | --clear set the default instance', async () => {
    const config = path.join(project.root, 'defaults.json');
    await writeFile(
      config,
      JSON.stringify({
        version: 1,
        instances: { a: { kind: 'self-hosted', database: { session: 'env:SUPAOPS_TEST_DB_URL' } } },
        dokployServers: {},
      }),
    );
    const cfg = ['--config', config];
    const added = await project.runJson<{ default: boolean }>('instances-add', [
      'instances',
      'add',
      'b',
      '--session',
      'env:SUPAOPS_TEST_DB_URL',
      '--default',
      ...cfg,
    ]);
    expect(added).toMatchObject({ name: 'b', default: true, path: config });
    expect(JSON.parse(await readFile(config, 'utf8')).defaultInstance).toBe('b');
    const plain = await project.runJson<{ default: boolean }>('instances-add', [
      'instances',
      'add',
      'c',
      '--session',
      'env:SUPAOPS_TEST_DB_URL',
      ...cfg,
    ]);
    expect(plain.default).toBe(false);
    expect(JSON.parse(await readFile(config, 'utf8')).defaultInstance).toBe('b');

    const set = await project.runJson('instances-default', ['instances', 'default', 'a', ...cfg]);
    expect(set).toEqual({ path: config, defaultInstance: 'a' });
    const listed = await project.runJson<{ defaultInstance?: string }>('instances-list', [
      'instances',
      'list',
      ...cfg,
    ]);
    expect(listed.defaultInstance).toBe('a');
    const human = await project.run(['instances', 'default', 'c', ...cfg]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('"c" is the default instance');
    // (not db sql: the audit test below expects its first db sql entry to be its own)
    const tested = await project.runJson<{ name: string }>('instances-test', [
      'instances',
      'test',
      ...cfg,
    ]);
    expect(tested.name).toBe('c');

    const unknown = await project.run(['instances', 'default', 'ghost', ...cfg, '--json']);
    expect(unknown.code).toBe(4);
    expect(json(unknown)).toMatchObject({ error: { code: 'INSTANCE_NOT_FOUND' } });
    expect(schemaErrors('error', json(unknown))).toEqual([]);
    const neither = await project.run(['instances', 'default', ...cfg, '--json']);
    expect(neither.code).toBe(2);
    expect(json(neither)).toMatchObject({ error: { code: 'DEFAULT_INSTANCE_ARGS' } });
    expect((await project.run(['instances', 'default', 'a', '--clear', ...cfg])).code).toBe(2);

    const cleared = await project.runJson('instances-default', [
      'instances',
      'default',
      '--clear',
      ...cfg,
    ]);
    expect(cleared).toEqual({ path: config, defaultInstance: null });
    expect(JSON.parse(await readFile(config, 'utf8')).defaultInstance).toBeUndefined();
    // three instances and no default: a command that needs one says how to pick it
    const none = await project.run(['instances', 'test', ...cfg, '--json']);
    expect(none.code).toBe(4);
    expect(json(none)).toMatchObject({ error: { code: 'INSTANCE_NOT_FOUND' } });
  });

  it('each command resolves only the parts it needs: an unset API key fails keys only', async () => {
    const config = path.join(project.root, 'needs.json');
    await writeFile(
      config,
      JSON.stringify({
        version: 1,
        instances: {
          a: {
            kind: 'self-hosted',
            database: { session: 'env:SUPAOPS_TEST_DB_URL' },
            api: { url: 'https://a.example.com', anonKey: 'env:UNSET_ANON_KEY' },
          },
        },
        dokployServers: {},
      }),
    );
    const cfg = ['--config', config];
    const tested = await project.run(['instances', 'test', 'a', ...cfg]);
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    const sql = await project.run(['db', 'connections', '--instance', 'a', ...cfg, '--verbose']);
    expect(sql.code, sql.stderr).toBe(0);
    // --verbose says what was left out, without a value
    expect(sql.stderr).toMatch(/api\.anonKey left out/);
    const keys = await project.run(['keys', 'check', '--instance', 'a', ...cfg, '--json']);
    expect(keys.code).toBe(4);
    expect(json(keys)).toMatchObject({ error: { code: 'SECRET_REFERENCE_UNRESOLVED' } });
    expect(json<{ error: { message: string } }>(keys).error.message).toContain('UNSET_ANON_KEY');

    // a stale SUPAOPS_INSTANCE fails only the run it selects the instance for
    const stale = { env: { SUPAOPS_INSTANCE: 'ghost' } };
    expect((await project.run(['instances', 'test', 'a', ...cfg], stale)).code).toBe(0);
    const selected = await project.run(['db', 'connections', ...cfg, '--json'], stale);
    expect(selected.code).toBe(4);
    expect(json<{ error: { message: string } }>(selected).error.message).toContain(
      'SUPAOPS_INSTANCE',
    );
    const named = await project.run(['instances', 'test', 'ghost', ...cfg, '--json']);
    expect(named.code).toBe(4);
    expect(json<{ error: { message: string } }>(named).error.message).toContain(
      'instances test NAME',
    );
  });

  it('test reports an unreachable instance as a failed check (exit 1)', async () => {
    const config = path.join(project.root, 'down.json');
    await writeFile(
      config,
      JSON.stringify({
        version: 1,
        instances: { down: { kind: 'self-hosted', database: { session: 'env:DOWN_URL' } } },
        dokployServers: {},
      }),
    );
    const result = await project.run(['instances', 'test', 'down', '--config', config], {
      env: { DOWN_URL: 'postgresql://postgres:down-secret-pw@127.0.0.1:1/postgres' },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('failed');
    expect(result.stdout).toContain('fix:');
    expect(result.stdout + result.stderr).not.toContain('down-secret-pw');
  });
});

describe('audit', () => {
  it('every write appended an entry with redacted arguments', async () => {
    await project.run(['db', 'sql', 'select 1']);
    const human = await project.run(['audit', '--since', '1h']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('instances add');
    const doc = await project.runJson<{
      entries: Array<{ action: string; source: string; outcome: string; instance?: string }>;
    }>('audit', ['audit', '--limit', '100']);
    const actions = doc.entries.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['instances add', 'instances remove', 'db sql']),
    );
    expect(doc.entries.every((e) => e.source === 'cli')).toBe(true);
    expect(doc.entries.find((e) => e.action === 'db sql')).toMatchObject({
      outcome: 'ok',
      instance: 'test',
    });
    const filtered = await project.runJson<{ entries: unknown[] }>('audit', [
      'audit',
      '--action',
      'instances remove',
    ]);
    expect(filtered.entries.length).toBeGreaterThan(0);
    expect((await project.run(['audit', '--since', 'yesterday-ish'])).code).toBe(2);
  });
});
