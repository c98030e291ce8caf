import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openConfiguredSecretStore } from './configured-secret-store.js';
import { resolveDokployServer } from './dokploy-server.js';
import {
  ConfigValidationError,
  DokployServerNotFoundError,
  SecretReferenceError,
  SecretStoreError,
} from './errors.js';
import { loadConfig } from './load.js';
import { openSecretStore } from './secret-store.js';
import { tempHome } from './temp-home.test-helper.js';
import type { SupaopsConfig } from './types.js';

const KEY = 'cd'.repeat(32);

async function project(config: Partial<SupaopsConfig>, env: NodeJS.ProcessEnv = {}) {
  const t = await tempHome(env);
  const file = path.join(t.project, 'supaops.config.json');
  await writeFile(file, JSON.stringify({ version: 1, instances: {}, ...config }));
  return { t, file, loaded: await loadConfig({ cwd: t.project, env: t.env }) };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('resolveDokployServer', () => {
  it('takes the only server when none is named, its key from env:', async () => {
    const { loaded } = await project(
      {
        dokployServers: {
          eu: { url: 'https://dokploy-eu.example.com', apiKey: 'env:DK', description: 'EU' },
        },
      },
      { DK: 'dk-eu-key' },
    );
    await expect(resolveDokployServer(loaded)).resolves.toEqual({
      name: 'eu',
      url: 'https://dokploy-eu.example.com',
      apiKey: 'dk-eu-key',
      apiKeyRef: 'env:DK',
      description: 'EU',
    });
  });

  it('picks the named one of several; a file: key is relative to the config file', async () => {
    const { t, loaded } = await project({
      dokployServers: {
        eu: { url: 'https://eu.example.com', apiKey: 'env:UNSET_EU' },
        us: { url: 'https://us.example.com', apiKey: 'file:keys/us.key' },
      },
    });
    await mkdir(path.join(t.project, 'keys'));
    await writeFile(path.join(t.project, 'keys', 'us.key'), 'dk-us-key\n', { mode: 0o600 });
    const us = await resolveDokployServer(loaded, 'us');
    expect(us).toEqual({
      name: 'us',
      url: 'https://us.example.com',
      apiKey: 'dk-us-key',
      apiKeyRef: `file:${path.join(t.project, 'keys', 'us.key')}`,
    });
    expect('description' in us).toBe(false);
  });

  it('needs a name when several servers are configured, and lists them', async () => {
    const { loaded } = await project({
      dokployServers: {
        eu: { url: 'https://eu.example.com', apiKey: 'env:A' },
        us: { url: 'https://us.example.com', apiKey: 'env:B' },
      },
    });
    const error = await failure(resolveDokployServer(loaded));
    expect(DokployServerNotFoundError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ server: undefined, known: ['eu', 'us'] });
    expect((error as Error).message).toBe(
      'Several Dokploy servers are configured ("eu", "us") and none was named. Fix: name one of them.',
    );
  });

  it('names an unknown server, the known ones and the file to add it to', async () => {
    const { file, loaded } = await project({
      dokployServers: { eu: { url: 'https://eu.example.com', apiKey: 'env:A' } },
    });
    const error = await failure(resolveDokployServer(loaded, 'asia'));
    expect(DokployServerNotFoundError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'DOKPLOY_SERVER_NOT_FOUND',
      server: 'asia',
      known: ['eu'],
    });
    expect((error as Error).message).toContain(
      'No Dokploy server "asia" is configured (known: "eu")',
    );
    expect((error as Error).message).toContain(
      `Fix: use one of the known names, or add it under "dokployServers" in ${file}`,
    );
  });

  it('says how to add one when none is configured, also for a hand-built config', async () => {
    const { file, loaded } = await project({});
    const error = await failure(resolveDokployServer(loaded));
    expect(error).toMatchObject({ server: undefined, known: [] });
    expect((error as Error).message).toContain(
      `No Dokploy server is configured. Fix: add one under "dokployServers" in ${file}`,
    );
    const bare = { ...loaded, config: { ...loaded.config } } as typeof loaded;
    delete (bare.config as Partial<SupaopsConfig>).dokployServers;
    const again = await failure(resolveDokployServer(bare, 'x'));
    expect(again).toMatchObject({ server: 'x', known: [] });
    // an inherited property is not a server
    expect(await failure(resolveDokployServer(loaded, 'toString'))).toMatchObject({
      server: 'toString',
    });
  });

  it('reads a store: key from the configured store (path and keyEnv from the config)', async () => {
    const { t, loaded } = await project(
      {
        dokployServers: { eu: { url: 'https://eu.example.com', apiKey: 'store:dokploy/eu' } },
        secretStore: { path: 'secrets.json', keyEnv: 'MY_STORE_KEY' },
      },
      { MY_STORE_KEY: KEY },
    );
    const store = await openSecretStore({ path: path.join(t.project, 'secrets.json'), key: KEY });
    await store.set('dokploy/eu', 'dk-from-store');
    await expect(resolveDokployServer(loaded)).resolves.toMatchObject({
      apiKey: 'dk-from-store',
      apiKeyRef: 'store:dokploy/eu',
    });
    // an entry that is not there names itself
    await store.delete('dokploy/eu');
    const missing = await failure(resolveDokployServer(loaded));
    expect(SecretReferenceError.isInstance(missing)).toBe(true);
    expect(missing).toMatchObject({ ref: 'store:dokploy/eu', reason: 'store-missing' });
  });

  it('opens a passphrase store with options.passphrase, or uses the store it is given', async () => {
    const { t, loaded } = await project({
      dokployServers: { eu: { url: 'https://eu.example.com', apiKey: 'store:eu' } },
      secretStore: { path: 'secrets.json' },
    });
    const scrypt = { N: 1024, r: 8, p: 1 };
    const file = path.join(t.project, 'secrets.json');
    const store = await openSecretStore({ path: file, passphrase: 'correct horse', scrypt });
    await store.set('eu', 'dk-passphrase');
    await expect(
      resolveDokployServer(loaded, 'eu', { passphrase: 'correct horse' }),
    ).resolves.toMatchObject({ apiKey: 'dk-passphrase' });
    const wrong = await failure(resolveDokployServer(loaded, 'eu', { passphrase: 'wrong' }));
    expect(SecretStoreError.isInstance(wrong)).toBe(true);
    expect(wrong).toMatchObject({ reason: 'wrong-key' });
    // without a key anywhere the store cannot be opened
    const noKey = await failure(resolveDokployServer(loaded, 'eu'));
    expect(noKey).toMatchObject({ code: 'SECRET_STORE_FAILED', reason: 'no-key' });
    await expect(resolveDokployServer(loaded, 'eu', { secretStore: store })).resolves.toMatchObject(
      { apiKey: 'dk-passphrase' },
    );
  });

  it('does not open the store for an env: key (a broken store is not touched)', async () => {
    const { t, loaded } = await project(
      {
        dokployServers: { eu: { url: 'https://eu.example.com', apiKey: 'env:DK' } },
        secretStore: { path: 'secrets.json' },
      },
      { DK: 'dk-env', SUPAOPS_SECRET_KEY: KEY },
    );
    await writeFile(path.join(t.project, 'secrets.json'), 'not a store');
    await expect(openConfiguredSecretStore(loaded)).rejects.toMatchObject({ reason: 'corrupt' });
    await expect(resolveDokployServer(loaded)).resolves.toMatchObject({ apiKey: 'dk-env' });
  });

  it('names an unset env: key without any value', async () => {
    const { loaded } = await project({
      dokployServers: { eu: { url: 'https://eu.example.com', apiKey: 'env:DK_UNSET' } },
    });
    await expect(resolveDokployServer(loaded)).rejects.toMatchObject({
      code: 'SECRET_REFERENCE_UNRESOLVED',
      ref: 'env:DK_UNSET',
      reason: 'env-missing',
    });
  });

  it('validates its inputs', async () => {
    const { loaded } = await project({});
    for (const call of [
      resolveDokployServer(loaded, ''),
      resolveDokployServer(loaded, undefined, { bogus: true } as never),
      resolveDokployServer(loaded, undefined, { passphrase: '' }),
    ]) {
      expect(ConfigValidationError.isInstance(await failure(call))).toBe(true);
    }
  });
});

describe('openConfiguredSecretStore', () => {
  it('opens the store of config.secretStore with its keyEnv, from loaded.env', async () => {
    const { t, loaded } = await project(
      { secretStore: { path: 'vault/secrets.json', keyEnv: 'VAULT_KEY' } },
      { VAULT_KEY: KEY },
    );
    const store = await openConfiguredSecretStore(loaded);
    await store.set('a', 'value-a');
    const direct = await openSecretStore({
      path: path.join(t.project, 'vault', 'secrets.json'),
      key: KEY,
    });
    expect(await direct.get('a')).toBe('value-a');
  });

  it('defaults to <data dir>/secrets.json and takes a passphrase', async () => {
    const { t, loaded } = await project({});
    const store = await openConfiguredSecretStore(loaded, { passphrase: 'pp' });
    await store.set('b', 'value-b');
    const file = path.join(t.env.XDG_DATA_HOME as string, 'supaops', 'secrets.json');
    const direct = await openSecretStore({ path: file, passphrase: 'pp' });
    expect(await direct.get('b')).toBe('value-b');
    await expect(openConfiguredSecretStore(loaded, { key: KEY } as never)).rejects.toThrow(
      ConfigValidationError,
    );
  });
});
