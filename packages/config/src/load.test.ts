import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigFileError, ConfigValidationError } from './errors.js';
import { loadConfig } from './load.js';
import { tempHome } from './temp-home.test-helper.js';

async function writeJson(file: string, value: unknown): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(value));
  return file;
}

const server = (url: string) => ({ url, apiKey: 'env:DOKPLOY_KEY' });

describe('loadConfig', () => {
  it('gives an empty configuration writing to the user file when there is none', async () => {
    const t = await tempHome();
    const loaded = await loadConfig({ cwd: t.project, env: t.env });
    expect(loaded.config).toEqual({ version: 1, instances: {}, dokployServers: {} });
    expect(loaded.sources).toEqual({ env: [] });
    expect(loaded.writePath).toBe(path.join(t.userConfigDir, 'supaops.config.json'));
    expect(loaded.paths.state).toBe(path.join(t.env.XDG_STATE_HOME as string, 'supaops'));
    expect(loaded.env).toBe(t.env);
  });

  it('layers the project file over the user file, then the environment over both', async () => {
    const t = await tempHome();
    const user = await writeJson(path.join(t.userConfigDir, 'supaops.config.json'), {
      defaultInstance: 'shared',
      instances: {
        shared: { kind: 'cloud', description: 'from user' },
        both: { kind: 'cloud', description: 'user version' },
      },
      dokployServers: { main: server('https://main.example.com') },
      audit: { enabled: true, path: 'user-audit.jsonl' },
    });
    const project = await writeJson(path.join(t.project, 'supaops.config.json'), {
      defaultInstance: 'both',
      instances: {
        both: { kind: 'self-hosted', description: 'project version' },
        app: { kind: 'dokploy', dokploy: { server: 'main', composeId: 'c1' } },
      },
    });
    const loaded = await loadConfig({ cwd: t.project, env: t.env });
    expect(loaded.sources).toEqual({ project, user, env: [] });
    expect(loaded.writePath).toBe(project);
    expect(loaded.config.defaultInstance).toBe('both');
    expect(loaded.config.instances.both?.description).toBe('project version');
    expect(loaded.config.instances.shared?.description).toBe('from user');
    // a project instance may use a server the user file registers
    expect(loaded.config.instances.app?.dokploy?.server).toBe('main');
    expect(loaded.config.audit?.path).toBe(path.join(t.userConfigDir, 'user-audit.jsonl'));

    const withEnv = await loadConfig({
      cwd: t.project,
      env: {
        ...t.env,
        SUPAOPS_INSTANCE: 'shared',
        SUPAOPS_AUDIT_LOG: 'audit/here.jsonl',
        SUPAOPS_SECRET_STORE: 'store.json',
      },
    });
    expect(withEnv.config.defaultInstance).toBe('shared');
    expect(withEnv.config.audit).toEqual({
      enabled: true,
      path: path.join(t.project, 'audit/here.jsonl'),
    });
    expect(withEnv.config.secretStore?.path).toBe(path.join(t.project, 'store.json'));
    expect(withEnv.sources.env).toEqual([
      'SUPAOPS_INSTANCE',
      'SUPAOPS_AUDIT_LOG',
      'SUPAOPS_SECRET_STORE',
    ]);
  });

  it('finds the nearest project file walking up from cwd', async () => {
    const t = await tempHome();
    const outer = await writeJson(path.join(t.project, 'supaops.config.json'), {
      instances: { outer: { kind: 'cloud' } },
    });
    const deep = path.join(t.project, 'a', 'b', 'c');
    await mkdir(deep, { recursive: true });
    expect((await loadConfig({ cwd: deep, env: t.env })).sources.project).toBe(outer);
    const inner = await writeJson(path.join(t.project, 'a', 'supaops.config.json'), {
      instances: { inner: { kind: 'cloud' } },
    });
    const loaded = await loadConfig({ cwd: deep, env: t.env });
    expect(loaded.sources.project).toBe(inner);
    expect(Object.keys(loaded.config.instances)).toEqual(['inner']);
  });

  it('takes SUPAOPS_CONFIG or configPath instead of the search, still over the user file', async () => {
    const t = await tempHome();
    await writeJson(path.join(t.project, 'supaops.config.json'), {
      instances: { found: { kind: 'cloud' } },
    });
    const user = await writeJson(path.join(t.userConfigDir, 'supaops.config.json'), {
      instances: { mine: { kind: 'cloud' } },
    });
    const explicit = await writeJson(path.join(t.root, 'elsewhere', 'ops.json'), {
      instances: { explicit: { kind: 'cloud' } },
    });
    const viaEnv = await loadConfig({
      cwd: t.project,
      env: { ...t.env, SUPAOPS_CONFIG: explicit },
    });
    expect(Object.keys(viaEnv.config.instances).sort()).toEqual(['explicit', 'mine']);
    expect(viaEnv.sources).toEqual({ project: explicit, user, env: ['SUPAOPS_CONFIG'] });
    expect(viaEnv.writePath).toBe(explicit);

    const viaOption = await loadConfig({
      cwd: t.root,
      env: { ...t.env, SUPAOPS_CONFIG: '/nope.json' },
      configPath: 'elsewhere/ops.json',
    });
    expect(viaOption.sources.project).toBe(explicit);
    expect(viaOption.sources.env).toEqual([]);
  });

  it('names an explicit file that does not exist', async () => {
    const t = await tempHome();
    const missing = path.join(t.root, 'missing.json');
    const error = await loadConfig({ env: { ...t.env, SUPAOPS_CONFIG: missing } }).catch((e) => e);
    expect(ConfigFileError.isInstance(error)).toBe(true);
    expect(error.file).toBe(missing);
    expect(error.message).toMatch(/missing\.json \(from SUPAOPS_CONFIG\) does not exist\. Fix:/);
  });

  it('names the file and the field of a schema error', async () => {
    const t = await tempHome();
    const file = await writeJson(path.join(t.project, 'supaops.config.json'), {
      instances: { prod: { kind: 'self-hosted', database: { session: 'postgres://u:pw@h/db' } } },
    });
    const error = await loadConfig({ cwd: t.project, env: t.env }).catch((e) => e);
    expect(ConfigValidationError.isInstance(error)).toBe(true);
    expect(error.file).toBe(file);
    expect(error.issues[0].path).toBe('instances.prod.database.session');
    expect(error.message).toContain(file);
  });

  it('names the file of broken JSON', async () => {
    const t = await tempHome();
    const file = path.join(t.userConfigDir, 'supaops.config.json');
    await mkdir(t.userConfigDir, { recursive: true });
    await writeFile(file, '{ "instances": { ,, }');
    const error = await loadConfig({ cwd: t.project, env: t.env }).catch((e) => e);
    expect(ConfigFileError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/supaops\.config\.json is not valid JSON.*Fix:/);
  });

  it('accepts a UTF-8 BOM', async () => {
    const t = await tempHome();
    await writeFile(
      path.join(t.project, 'supaops.config.json'),
      '\ufeff{"instances":{"a":{"kind":"cloud"}}}',
    );
    expect(
      Object.keys((await loadConfig({ cwd: t.project, env: t.env })).config.instances),
    ).toEqual(['a']);
  });

  it('SUPAOPS_DB_URL adds an "env" instance by reference and makes it the default', async () => {
    const t = await tempHome();
    await writeJson(path.join(t.project, 'supaops.config.json'), {
      instances: { a: { kind: 'cloud' } },
    });
    const url = 'postgres://postgres:s3cret@127.0.0.1:5432/postgres';
    const loaded = await loadConfig({ cwd: t.project, env: { ...t.env, SUPAOPS_DB_URL: url } });
    expect(loaded.config.defaultInstance).toBe('env');
    expect(loaded.config.instances.env).toEqual({
      kind: 'self-hosted',
      description: 'from SUPAOPS_DB_URL',
      database: { session: 'env:SUPAOPS_DB_URL' },
      migrationsDir: path.join(t.project, 'supabase/migrations'),
    });
    expect(JSON.stringify(loaded.config)).not.toContain('s3cret');
    expect(loaded.sources.env).toEqual(['SUPAOPS_DB_URL']);

    const named = await loadConfig({
      cwd: t.project,
      env: { ...t.env, SUPAOPS_DB_URL: url, SUPAOPS_INSTANCE: 'a' },
    });
    expect(named.config.defaultInstance).toBe('a');
  });

  it('rejects a bad SUPAOPS_DB_URL with the variable as the path', async () => {
    const t = await tempHome();
    const error = await loadConfig({
      cwd: t.project,
      env: { ...t.env, SUPAOPS_DB_URL: 'not a url', SUPAOPS_INSTANCE: 'bad name' },
    }).catch((e) => e);
    // a bad SUPAOPS_INSTANCE is reported by resolveInstance, when it is used
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual(['SUPAOPS_DB_URL']);
  });

  it('reports a dokploy server missing from both files, naming them', async () => {
    const t = await tempHome();
    const project = await writeJson(path.join(t.project, 'supaops.config.json'), {
      instances: { a: { kind: 'dokploy', dokploy: { server: 'nope', composeId: 'c' } } },
    });
    const user = await writeJson(path.join(t.userConfigDir, 'supaops.config.json'), {});
    const error = await loadConfig({ cwd: t.project, env: t.env }).catch((e) => e);
    expect(error.file).toBe(`${project} + ${user}`);
    expect(error.issues[0].path).toBe('instances.a.dokploy.server');
  });

  it('SUPAOPS_AUDIT_LOG=off switches the audit log off', async () => {
    const t = await tempHome();
    const loaded = await loadConfig({
      cwd: t.project,
      env: { ...t.env, SUPAOPS_AUDIT_LOG: 'off' },
    });
    expect(loaded.config.audit).toEqual({ enabled: false });
  });

  it('makes relative paths absolute against the file that declares them', async () => {
    const t = await tempHome();
    await writeJson(path.join(t.userConfigDir, 'supaops.config.json'), {
      instances: {
        u: { kind: 'cloud', api: { url: 'https://u.example.com', anonKey: 'file:anon.jwt' } },
      },
      dokployServers: { d: { url: 'https://d.example.com', apiKey: 'file:keys/d' } },
      secretStore: { path: 'secrets.json' },
      mcp: { http: { token: 'file:mcp.token' } },
    });
    await writeJson(path.join(t.project, 'supaops.config.json'), {
      instances: {
        p: {
          kind: 'self-hosted',
          database: { session: 'file:db.url', password: 'file:../pw' },
          migrationsDir: 'db/migrations',
          backups: {
            storage: { type: 'local', dir: 'backups' },
            encryptionKey: 'file:backup.key',
          },
        },
        s3: {
          kind: 'cloud',
          backups: { storage: { type: 's3', bucket: 'b', secretAccessKey: 'file:s3' } },
        },
      },
    });
    const { config } = await loadConfig({ cwd: t.project, env: t.env });
    const p = config.instances.p;
    expect(p?.database).toEqual({
      session: `file:${path.join(t.project, 'db.url')}`,
      password: `file:${path.join(t.root, 'pw')}`,
    });
    expect(p?.migrationsDir).toBe(path.join(t.project, 'db/migrations'));
    expect(p?.backups?.storage).toEqual({ type: 'local', dir: path.join(t.project, 'backups') });
    expect(p?.backups?.encryptionKey).toBe(`file:${path.join(t.project, 'backup.key')}`);
    expect(config.instances.s3?.backups?.storage).toEqual({
      type: 's3',
      bucket: 'b',
      secretAccessKey: `file:${path.join(t.project, 's3')}`,
    });
    expect(config.instances.u?.api?.anonKey).toBe(`file:${path.join(t.userConfigDir, 'anon.jwt')}`);
    // instances without migrationsDir use the project's supabase/migrations
    expect(config.instances.u?.migrationsDir).toBe(path.join(t.project, 'supabase/migrations'));
    expect(config.dokployServers.d?.apiKey).toBe(`file:${path.join(t.userConfigDir, 'keys/d')}`);
    expect(config.secretStore?.path).toBe(path.join(t.userConfigDir, 'secrets.json'));
    expect(config.mcp?.http?.token).toBe(`file:${path.join(t.userConfigDir, 'mcp.token')}`);
  });

  it('reads process.env and process.cwd() by default', async () => {
    const t = await tempHome();
    await writeJson(path.join(t.project, 'supaops.config.json'), {
      instances: { here: { kind: 'cloud' } },
    });
    const saved = { ...process.env };
    const savedCwd = process.cwd();
    Object.assign(process.env, t.env, { SUPAOPS_INSTANCE: 'here' });
    process.chdir(t.project);
    try {
      const loaded = await loadConfig();
      expect(loaded.env).toBe(process.env);
      expect(loaded.config.defaultInstance).toBe('here');
      expect(loaded.sources.project).toBe(path.join(t.project, 'supaops.config.json'));
    } finally {
      process.chdir(savedCwd);
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });

  it('validates its options', async () => {
    await expect(loadConfig({ cwd: '' })).rejects.toThrow(/cwd/);
  });
});
