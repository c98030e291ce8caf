import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigValidationError, InstanceNotFoundError, SecretReferenceError } from './errors.js';
import { listInstances } from './list.js';
import { loadConfig } from './load.js';
import { adHocInstance, resolveInstance } from './resolve-instance.js';
import { openSecretStore } from './secret-store.js';
import { tempHome } from './temp-home.test-helper.js';
import type { SupaopsConfig } from './types.js';

const KEY = 'ab'.repeat(32);

async function project(config: Partial<SupaopsConfig>, env: NodeJS.ProcessEnv = {}) {
  const t = await tempHome(env);
  await writeFile(path.join(t.project, 'supaops.config.json'), JSON.stringify(config));
  return { t, loaded: await loadConfig({ cwd: t.project, env: t.env }) };
}

const sandbox = async () => ({
  url: 'postgres://supabase_admin:sandbox-pw@127.0.0.1:54329/postgres',
});

describe('resolveInstance', () => {
  it('resolves every reference of a full instance', async () => {
    const { t, loaded } = await project(
      {
        instances: {
          prod: {
            kind: 'dokploy',
            database: {
              session: 'postgres://postgres.ref@db.example.com:5432/postgres',
              transaction: 'env:TX_URL',
              password: 'file:secrets/db.pw',
            },
            api: {
              url: 'https://supabase.example.com',
              anonKey: 'env:ANON',
              serviceRoleKey: 'store:prod/service',
            },
            dokploy: { server: 'main', composeId: 'cmp' },
            backups: {
              storage: {
                type: 's3',
                bucket: 'b',
                region: 'eu',
                accessKeyId: 'env:AK',
                secretAccessKey: 'env:SK',
              },
              encryptionKey: 'env:BK',
              retention: { keepLast: 3 },
            },
            labels: { production: true, team: 'x' },
            allowServiceKey: true,
          },
        },
        dokployServers: { main: { url: 'https://dokploy.example.com', apiKey: 'env:DK' } },
        secretStore: { path: 'store.json' },
      },
      {
        TX_URL: 'postgres://postgres.ref:tx-pw@pool.example.com:6543/postgres',
        ANON: 'anon-jwt',
        AK: 'ak',
        SK: 'sk-secret',
        BK: 'backup-key',
        DK: 'dokploy-key',
        SUPAOPS_SECRET_KEY: KEY,
      },
    );
    await mkdir(path.join(t.project, 'secrets'));
    await writeFile(path.join(t.project, 'secrets', 'db.pw'), 'p@ss word\n');
    const store = await openSecretStore({ path: path.join(t.project, 'store.json'), key: KEY });
    await store.set('prod/service', 'service-jwt');

    const r = await resolveInstance(loaded, undefined);
    expect(r).toEqual({
      name: 'prod',
      kind: 'dokploy',
      production: true,
      labels: { production: true, team: 'x' },
      database: {
        session: 'postgres://postgres.ref:p%40ss%20word@db.example.com:5432/postgres',
        // a URL that has its own password keeps it
        transaction: 'postgres://postgres.ref:tx-pw@pool.example.com:6543/postgres',
      },
      api: {
        url: 'https://supabase.example.com',
        anonKey: 'anon-jwt',
        serviceRoleKey: 'service-jwt',
      },
      dokploy: {
        serverName: 'main',
        url: 'https://dokploy.example.com',
        apiKey: 'dokploy-key',
        composeId: 'cmp',
      },
      migrationsDir: path.join(t.project, 'supabase/migrations'),
      backups: {
        storage: {
          type: 's3',
          bucket: 'b',
          region: 'eu',
          accessKeyId: 'ak',
          secretAccessKey: 'sk-secret',
        },
        encryptionKey: 'backup-key',
        retention: { keepLast: 3 },
      },
      allowServiceKey: true,
      secrets: expect.any(Array),
    });
    expect([...r.secrets].sort()).toEqual(
      [
        'p@ss word',
        'tx-pw',
        'anon-jwt',
        'service-jwt',
        'dokploy-key',
        'ak',
        'sk-secret',
        'backup-key',
      ].sort(),
    );
  });

  it('picks the default, then the only instance, then fails with the fix', async () => {
    const one = await project({ instances: { solo: { kind: 'cloud' } } });
    expect((await resolveInstance(one.loaded, undefined)).name).toBe('solo');

    const two = await project({ instances: { a: { kind: 'cloud' }, b: { kind: 'cloud' } } });
    const error = await resolveInstance(two.loaded, undefined).catch((e) => e);
    expect(InstanceNotFoundError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/Several instances .*"a", "b".*Fix: name one/);

    const none = await project({});
    const empty = await resolveInstance(none.loaded, undefined).catch((e) => e);
    expect(empty.message).toMatch(/No instance is configured\. Fix: .*SUPAOPS_DB_URL/);

    const unknown = await resolveInstance(two.loaded, 'c').catch((e) => e);
    expect(unknown.instance).toBe('c');
    expect(unknown.known).toEqual(['a', 'b']);
    expect(unknown.message).toMatch(/No instance "c" .*known: "a", "b"/);
  });

  it('falls back to the sandbox when allowed, and resolves sandbox instances through it', async () => {
    const none = await project({});
    const r = await resolveInstance(none.loaded, undefined, { sandbox, allowSandboxDefault: true });
    expect(r).toMatchObject({ name: 'sandbox', kind: 'sandbox', production: false });
    expect(r.database.session).toMatch(/^postgres:\/\/supabase_admin:sandbox-pw@/);
    expect(r.secrets).toEqual(['sandbox-pw']);
    // 'sandbox' by name works without a configured one
    expect((await resolveInstance(none.loaded, 'sandbox', { sandbox })).kind).toBe('sandbox');
    // without allowSandboxDefault there is no silent fallback
    await expect(resolveInstance(none.loaded, undefined, { sandbox })).rejects.toThrow(
      InstanceNotFoundError,
    );

    const configured = await project({
      instances: { dev: { kind: 'sandbox', labels: { team: 'a' } } },
    });
    const dev = await resolveInstance(configured.loaded, 'dev', { sandbox });
    expect(dev).toMatchObject({ name: 'dev', kind: 'sandbox', labels: { team: 'a' } });
    const missing = await resolveInstance(configured.loaded, 'dev', { need: ['database'] }).catch(
      (e) => e,
    );
    expect(ConfigValidationError.isInstance(missing)).toBe(true);
    expect(missing.message).toMatch(/sandbox: is required.*Fix: pass options\.sandbox/);
    // best-effort (no need): the same problem is a note, not a failure
    const noted = await resolveInstance(configured.loaded, 'dev');
    expect(noted.database).toEqual({});
    expect(noted.unresolved).toEqual([
      {
        field: 'database.session',
        reason: expect.stringMatching(/sandbox: is required/),
        code: 'CONFIG_VALIDATION_FAILED',
      },
    ]);
  });

  it('names the reference that does not resolve', async () => {
    const { loaded } = await project({
      instances: {
        a: { kind: 'cloud', api: { url: 'https://a.example.com', anonKey: 'env:MISSING_ANON' } },
      },
    });
    const error = await resolveInstance(loaded, 'a', { need: ['api'] }).catch((e) => e);
    expect(SecretReferenceError.isInstance(error)).toBe(true);
    expect(error.ref).toBe('env:MISSING_ANON');
    expect(error.message).toMatch(/MISSING_ANON is not set\. Fix: export MISSING_ANON=/);
  });

  it('opens the store with a passphrase given in the options', async () => {
    const { t, loaded } = await project({
      instances: { a: { kind: 'cloud', database: { session: 'store:a/url' } } },
      secretStore: { path: 's.json' },
    });
    const store = await openSecretStore({
      path: path.join(t.project, 's.json'),
      passphrase: 'pp',
      scrypt: { N: 1024, r: 8, p: 1 },
    });
    await store.set('a/url', 'postgres://u:store-pw@h/db');
    const r = await resolveInstance(loaded, 'a', { passphrase: 'pp' });
    expect(r.database.session).toBe('postgres://u:store-pw@h/db');
    // only the password counts as a secret: the host stays readable
    expect(r.secrets).toEqual(['store-pw']);
    const viaStore = await resolveInstance(loaded, 'a', { secretStore: store });
    expect(viaStore.database.session).toBe('postgres://u:store-pw@h/db');
  });

  it('resolves SUPAOPS_DB_URL and local backup dirs', async () => {
    const { t, loaded } = await project(
      {
        instances: {
          l: { kind: 'self-hosted', backups: { storage: { type: 'local', dir: 'bk' } } },
        },
      },
      { SUPAOPS_DB_URL: 'postgres://postgres:envpw@127.0.0.1:5432/postgres' },
    );
    const env = await resolveInstance(loaded, undefined);
    expect(env.name).toBe('env');
    expect(env.database.session).toBe('postgres://postgres:envpw@127.0.0.1:5432/postgres');
    expect(env.secrets).toEqual(['envpw']);
    const local = await resolveInstance(loaded, 'l');
    expect(local.backups?.storage).toEqual({ type: 'local', dir: path.join(t.project, 'bk') });
  });

  it('validates its inputs', async () => {
    const { loaded } = await project({ instances: { a: { kind: 'cloud' } } });
    await expect(resolveInstance(loaded, '')).rejects.toThrow(ConfigValidationError);
    await expect(resolveInstance(loaded, 'a', { sandbox: 'x' } as never)).rejects.toThrow(
      /sandbox/,
    );
  });
});

describe('adHocInstance', () => {
  it('builds an instance from a URL, with its password as the secret', () => {
    const r = adHocInstance('postgres://u:adhoc-pw@h:5432/db', { cwd: '/work/p' });
    expect(r).toEqual({
      name: 'db-url',
      kind: 'self-hosted',
      production: false,
      labels: {},
      database: { session: 'postgres://u:adhoc-pw@h:5432/db' },
      migrationsDir: '/work/p/supabase/migrations',
      allowServiceKey: false,
      secrets: ['adhoc-pw'],
    });
    const named = adHocInstance('postgres://h/db', { name: 'x', migrationsDir: '/abs/m' });
    expect(named).toMatchObject({ name: 'x', migrationsDir: '/abs/m', secrets: [] });
  });

  it('rejects what is not a connection string', () => {
    expect(() => adHocInstance('https://example.com')).toThrow(
      /url: is not a PostgreSQL connection string/,
    );
  });
});

describe('listInstances', () => {
  it('summarizes without secret values, sorted, with the default marked', async () => {
    const { loaded } = await project(
      {
        defaultInstance: 'b',
        instances: {
          b: {
            kind: 'self-hosted',
            description: 'B',
            database: {
              session: 'postgres://postgres@db:5432/postgres',
              transaction: 'env:TX',
              password: 'env:PW',
            },
            api: { url: 'https://b.example.com', anonKey: 'env:ANON' },
            dokploy: { server: 'd', composeId: 'c' },
            labels: { production: true, region: 'eu' },
          },
          a: { kind: 'sandbox' },
          c: { kind: 'cloud', database: { session: 'file:url' } },
        },
        dokployServers: { d: { url: 'https://d.example.com', apiKey: 'env:DK' } },
      },
      { SUPAOPS_DB_URL: 'postgres://postgres:env-secret@127.0.0.1:5432/postgres' },
    );
    const list = listInstances(loaded);
    expect(list.map((i) => i.name)).toEqual(['a', 'b', 'c', 'env']);
    expect(list[1]).toEqual({
      name: 'b',
      kind: 'self-hosted',
      description: 'B',
      production: true,
      isDefault: false,
      hasSession: true,
      hasTransaction: true,
      apiUrl: 'https://b.example.com',
      dokploy: { server: 'd', composeId: 'c' },
      labels: { production: true, region: 'eu' },
      sessionUrlRedacted: 'postgres://postgres@db:5432/postgres',
    });
    expect(list[0]).toMatchObject({ kind: 'sandbox', hasSession: true, production: false });
    expect(list[2]?.sessionUrlRedacted).toBeUndefined();
    expect(list[3]).toMatchObject({
      isDefault: true,
      sessionUrlRedacted: 'postgres://postgres:***@127.0.0.1:5432/postgres',
    });
    expect(JSON.stringify(list)).not.toContain('env-secret');
  });

  it('validates its input', () => {
    expect(() => listInstances({} as never)).toThrow(ConfigValidationError);
  });
});
