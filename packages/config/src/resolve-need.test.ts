import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigValidationError,
  InstanceNotFoundError,
  SecretReferenceError,
  SecretStoreError,
} from './errors.js';
import { loadConfig } from './load.js';
import { resolveInstance } from './resolve-instance.js';
import { tempHome } from './temp-home.test-helper.js';
import type { InstanceConfig } from './types.js';

async function loadOne(instance: InstanceConfig, env: NodeJS.ProcessEnv = {}) {
  const t = await tempHome(env);
  await writeFile(
    path.join(t.project, 'supaops.config.json'),
    JSON.stringify({
      instances: { a: instance },
      dokployServers: { main: { url: 'https://dokploy.example.com', apiKey: 'env:DK_UNSET' } },
    }),
  );
  return loadConfig({ cwd: t.project, env: t.env });
}

// Every part has a reference that does not resolve, except the database and api.anonKey.
const mixed: InstanceConfig = {
  kind: 'dokploy',
  database: {
    session: 'postgres://postgres.ref@db.example.com:5432/postgres',
    password: 'env:DB_PW',
  },
  api: { url: 'https://a.example.com', anonKey: 'env:ANON', serviceRoleKey: 'env:UNSET' },
  dokploy: { server: 'main', composeId: 'cmp' },
  backups: {
    storage: { type: 's3', bucket: 'b', accessKeyId: 'env:AK', secretAccessKey: 'env:SK' },
    encryptionKey: 'env:BK_UNSET',
  },
};
const mixedEnv = { DB_PW: 'db-pw', ANON: 'anon-jwt', AK: 'ak-id', SK: 'sk-secret' };

describe('resolveInstance need', () => {
  it('a database command ignores unset references of the other parts', async () => {
    const loaded = await loadOne(mixed, mixedEnv);
    const r = await resolveInstance(loaded, 'a', { need: ['database'] });
    expect(r.database).toEqual({
      session: 'postgres://postgres.ref:db-pw@db.example.com:5432/postgres',
    });
    // parts with an unresolved reference are left out whole
    expect(r.api).toBeUndefined();
    expect(r.dokploy).toBeUndefined();
    expect(r.backups).toBeUndefined();
    expect(r.unresolved).toEqual([
      {
        field: 'api.serviceRoleKey',
        reason: expect.stringMatching(/UNSET is not set\. Fix: export UNSET=/),
        code: 'SECRET_REFERENCE_UNRESOLVED',
      },
      {
        field: 'dokploy.apiKey',
        reason: expect.stringMatching(/DK_UNSET is not set/),
        code: 'SECRET_REFERENCE_UNRESOLVED',
      },
      {
        field: 'backups.encryptionKey',
        reason: expect.stringMatching(/BK_UNSET is not set/),
        code: 'SECRET_REFERENCE_UNRESOLVED',
      },
    ]);
    // every value that did resolve is still there to redact with
    expect([...r.secrets].sort()).toEqual(['ak-id', 'anon-jwt', 'db-pw', 'sk-secret']);
  });

  it('without need nothing throws for a reference: every part is best-effort', async () => {
    const loaded = await loadOne(mixed, { ANON: 'anon-jwt', AK: 'ak-id', SK: 'sk-secret' });
    const r = await resolveInstance(loaded, 'a');
    // the password is missing: no half-built URL without it
    expect(r.database).toEqual({});
    expect(r.unresolved?.map((u) => u.field)).toEqual([
      'database.password',
      'api.serviceRoleKey',
      'dokploy.apiKey',
      'backups.encryptionKey',
    ]);
  });

  it('throws the first failing reference of a needed part', async () => {
    const loaded = await loadOne(mixed, mixedEnv);
    const api = await resolveInstance(loaded, 'a', { need: ['database', 'api'] }).catch((e) => e);
    expect(SecretReferenceError.isInstance(api)).toBe(true);
    expect(api.ref).toBe('env:UNSET');
    const dokploy = await resolveInstance(loaded, 'a', { need: ['dokploy'] }).catch((e) => e);
    expect(dokploy.ref).toBe('env:DK_UNSET');
    const backups = await resolveInstance(loaded, 'a', { need: ['backups'] }).catch((e) => e);
    expect(backups.ref).toBe('env:BK_UNSET');

    const noPassword = await loadOne(mixed, {});
    const db = await resolveInstance(noPassword, 'a', { need: ['database'] }).catch((e) => e);
    expect(db.ref).toBe('env:DB_PW');
  });

  it('resolves needed parts that are complete, and a part absent from the instance is no error', async () => {
    const loaded = await loadOne(
      { ...mixed, api: { url: 'https://a.example.com', anonKey: 'env:ANON' }, dokploy: undefined },
      mixedEnv,
    );
    const r = await resolveInstance(loaded, 'a', { need: ['database', 'api', 'dokploy'] });
    expect(r.api).toEqual({ url: 'https://a.example.com', anonKey: 'anon-jwt' });
    expect(r.dokploy).toBeUndefined();
    expect(r.unresolved).toEqual([expect.objectContaining({ field: 'backups.encryptionKey' })]);
  });

  it('never hands out backups whose encryption key is missing (they would look unencrypted)', async () => {
    const loaded = await loadOne(
      {
        kind: 'self-hosted',
        backups: { storage: { type: 'local', dir: 'bk' }, encryptionKey: 'env:BK_UNSET' },
      },
      {},
    );
    const r = await resolveInstance(loaded, 'a', { need: ['database'] });
    expect(r.backups).toBeUndefined();
    await expect(resolveInstance(loaded, 'a', { need: ['backups'] })).rejects.toThrow(
      SecretReferenceError,
    );
  });

  it('a secret store that cannot be opened fails only the parts that need it', async () => {
    const loaded = await loadOne(
      {
        kind: 'cloud',
        database: { session: 'env:URL' },
        api: { url: 'https://a.example.com', secretKey: 'store:a/secret' },
      },
      { URL: 'postgres://u:url-pw@h:5432/db' },
    );
    const r = await resolveInstance(loaded, 'a', { need: ['database'] });
    expect(r.database.session).toBe('postgres://u:url-pw@h:5432/db');
    expect(r.unresolved).toEqual([
      {
        field: 'api.secretKey',
        reason: expect.stringMatching(/Fix:/),
        code: 'SECRET_STORE_FAILED',
      },
    ]);
    const error = await resolveInstance(loaded, 'a', { need: ['api'] }).catch((e) => e);
    expect(SecretStoreError.isInstance(error)).toBe(true);
  });

  it('starts a sandbox only when the database is needed (or need is absent)', async () => {
    const loaded = await loadOne({ kind: 'sandbox', api: { url: 'http://127.0.0.1:54321' } });
    let starts = 0;
    const sandbox = async () => {
      starts++;
      return { url: 'postgres://supabase_admin:sb-pw@127.0.0.1:5999/postgres' };
    };
    const apiOnly = await resolveInstance(loaded, 'a', { sandbox, need: ['api'] });
    expect(starts).toBe(0);
    expect(apiOnly.database).toEqual({});
    expect(apiOnly.api).toEqual({ url: 'http://127.0.0.1:54321' });
    expect(apiOnly.unresolved).toEqual([
      {
        field: 'database.session',
        reason: expect.stringMatching(/sandbox, which is started only when "database" is in need/),
      },
    ]);
    const db = await resolveInstance(loaded, 'a', { sandbox, need: ['database'] });
    expect(starts).toBe(1);
    expect(db.database.session).toMatch(/:sb-pw@/);
    await resolveInstance(loaded, 'a', { sandbox });
    expect(starts).toBe(2);
  });

  it('a sandbox that fails to start is a note when not needed, with its URL password masked', async () => {
    const loaded = await loadOne({ kind: 'sandbox' });
    const sandbox = async (): Promise<{ url: string }> => {
      throw new Error('cannot reach postgres://supabase_admin:leak-pw@127.0.0.1:1/postgres');
    };
    const r = await resolveInstance(loaded, 'a', { sandbox });
    expect(r.unresolved).toEqual([
      {
        field: 'database.session',
        reason: 'cannot reach postgres://supabase_admin:***@127.0.0.1:1/postgres',
      },
    ]);
    await expect(resolveInstance(loaded, 'a', { sandbox, need: ['database'] })).rejects.toThrow(
      /cannot reach/,
    );
  });

  it('an unregistered Dokploy server (a hand-edited LoadedConfig) is a note or the error', async () => {
    const loaded = await loadOne({ kind: 'dokploy', dokploy: { server: 'main', composeId: 'c' } });
    const edited = { ...loaded, config: { ...loaded.config, dokployServers: {} } };
    const r = await resolveInstance(edited, 'a');
    expect(r.unresolved).toEqual([
      {
        field: 'dokploy.server',
        reason: expect.stringMatching(/Dokploy server "main", which is not registered/),
        code: 'INSTANCE_NOT_FOUND',
      },
    ]);
    const error = await resolveInstance(edited, 'a', { need: ['dokploy'] }).catch((e) => e);
    expect(InstanceNotFoundError.isInstance(error)).toBe(true);
  });

  it('validates need', async () => {
    const loaded = await loadOne({ kind: 'cloud' });
    await expect(resolveInstance(loaded, 'a', { need: ['nope'] } as never)).rejects.toThrow(
      ConfigValidationError,
    );
    // an empty list needs nothing
    expect((await resolveInstance(loaded, 'a', { need: [] })).name).toBe('a');
  });
});
