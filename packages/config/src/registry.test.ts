import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFile } from './config-file.js';
import { CONFIG_SCHEMA_URL } from './constants.js';
import { ConfigFileError, ConfigValidationError, InstanceNotFoundError } from './errors.js';
import { loadConfig } from './load.js';
import { addDokployServer, addInstance, removeDokployServer, removeInstance } from './registry.js';
import { resolveInstance } from './resolve-instance.js';
import { tempHome } from './temp-home.test-helper.js';
import { writeConfigFile } from './write.js';

describe('the instance registry', () => {
  it('creates the file 0600 with $schema first, and adds instances', async () => {
    const t = await tempHome();
    const file = path.join(t.project, 'supaops.config.json');
    await addInstance(file, 'prod', {
      kind: 'self-hosted',
      database: { session: 'postgres://postgres@db:5432/postgres', password: 'env:PW' },
      labels: { production: true },
    });
    const text = await readFile(file, 'utf8');
    expect(Object.keys(JSON.parse(text))).toEqual([
      '$schema',
      'version',
      'instances',
      'dokployServers',
    ]);
    expect(JSON.parse(text).$schema).toBe(CONFIG_SCHEMA_URL);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const config = await addInstance(file, 'dev', { kind: 'sandbox' });
    expect(Object.keys(config.instances)).toEqual(['prod', 'dev']);
    expect(await readConfigFile(file)).toEqual(config);
    // no temp files left behind
    expect(await readdir(t.project)).toEqual(['supaops.config.json']);
  });

  it('refuses to overwrite an instance unless replace is set', async () => {
    const t = await tempHome();
    const file = path.join(t.project, 'supaops.config.json');
    await addInstance(file, 'a', { kind: 'cloud' });
    const error = await addInstance(file, 'a', { kind: 'self-hosted' }).catch((e) => e);
    expect(ConfigValidationError.isInstance(error)).toBe(true);
    expect(error.issues[0]).toEqual({
      path: 'instances.a',
      message: expect.stringMatching(/already exists\. Fix: pass \{ replace: true \}/),
    });
    const replaced = await addInstance(file, 'a', { kind: 'self-hosted' }, { replace: true });
    expect(replaced.instances.a?.kind).toBe('self-hosted');
  });

  it('validates what is added, naming the path inside the file', async () => {
    const t = await tempHome();
    const file = path.join(t.project, 'supaops.config.json');
    const error = await addInstance(file, 'prod', {
      kind: 'cloud',
      api: { url: 'https://x.supabase.co', serviceRoleKey: 'eyJliteral' },
    }).catch((e) => e);
    expect(error.issues[0].path).toBe('instances.prod.api.serviceRoleKey');
    const badName = await addInstance(file, '../etc', { kind: 'cloud' }).catch((e) => e);
    expect(badName.issues[0].path).toBe('instances');
    expect(badName.issues[0].message).toMatch(/not a valid name/);
    await expect(
      addInstance(file, 'x', { kind: 'cloud' }, { replace: 'yes' } as never),
    ).rejects.toThrow(/replace/);
  });

  it('removes an instance and the default that named it', async () => {
    const t = await tempHome();
    const file = path.join(t.project, 'supaops.config.json');
    await writeConfigFile(file, {
      version: 1,
      defaultInstance: 'a',
      instances: { a: { kind: 'cloud' }, b: { kind: 'cloud' } },
      dokployServers: {},
    });
    const config = await removeInstance(file, 'a');
    expect(config.defaultInstance).toBeUndefined();
    expect(Object.keys(config.instances)).toEqual(['b']);
    const error = await removeInstance(file, 'zz').catch((e) => e);
    expect(InstanceNotFoundError.isInstance(error)).toBe(true);
    expect(error.known).toEqual(['b']);
    expect(error.message).toMatch(/No instance "zz".*known: "b"/);
  });

  it('holds several Dokploy servers at once, each instance resolving its own', async () => {
    const t = await tempHome({ KEY_EU: 'key-eu-123456', KEY_US: 'key-us-654321' });
    const file = path.join(t.project, 'supaops.config.json');
    await addDokployServer(file, 'eu', {
      url: 'https://eu.dokploy.example.com',
      apiKey: 'env:KEY_EU',
    });
    await addDokployServer(file, 'us', {
      url: 'https://us.dokploy.example.com',
      apiKey: 'env:KEY_US',
      description: 'US region',
    });
    await addInstance(file, 'app-eu', {
      kind: 'dokploy',
      dokploy: { server: 'eu', composeId: 'c-eu' },
    });
    await addInstance(file, 'app-us', {
      kind: 'dokploy',
      dokploy: { server: 'us', composeId: 'c-us' },
    });
    const loaded = await loadConfig({ cwd: t.project, env: t.env });
    expect(Object.keys(loaded.config.dokployServers)).toEqual(['eu', 'us']);
    const eu = await resolveInstance(loaded, 'app-eu');
    const us = await resolveInstance(loaded, 'app-us');
    expect(eu.dokploy).toEqual({
      serverName: 'eu',
      url: 'https://eu.dokploy.example.com',
      apiKey: 'key-eu-123456',
      composeId: 'c-eu',
    });
    expect(us.dokploy?.apiKey).toBe('key-us-654321');
    expect(us.secrets).toEqual(['key-us-654321']);

    const inUse = await removeDokployServer(file, 'eu').catch((e) => e);
    expect(inUse.issues[0]).toEqual({
      path: 'dokployServers.eu',
      message: expect.stringMatching(/used by instance "app-eu"\. Fix:/),
    });
    await removeInstance(file, 'app-eu');
    const config = await removeDokployServer(file, 'eu');
    expect(Object.keys(config.dokployServers)).toEqual(['us']);
    await expect(removeDokployServer(file, 'eu')).rejects.toThrow(/No Dokploy server "eu"/);
    await expect(
      addDokployServer(file, 'us', { url: 'https://x.example.com', apiKey: 'env:K' }),
    ).rejects.toThrow(/already exists/);
    await expect(
      addDokployServer(file, 'lit', { url: 'https://x.example.com', apiKey: 'dk_literal' }),
    ).rejects.toThrow(/dokployServers\.lit\.apiKey: must be a secret reference/);
  });

  it('keeps the $schema a file already has, and narrows a wider mode to 0600', async () => {
    const t = await tempHome();
    const file = path.join(t.project, 'supaops.config.json');
    await writeFile(file, JSON.stringify({ $schema: './my-schema.json', instances: {} }), {
      mode: 0o644,
    });
    await addInstance(file, 'a', { kind: 'cloud' });
    const written = JSON.parse(await readFile(file, 'utf8'));
    expect(written.$schema).toBe('./my-schema.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await writeConfigFile(file, { version: 1, instances: {}, dokployServers: {} });
    expect(JSON.parse(await readFile(file, 'utf8')).$schema).toBe('./my-schema.json');
  });

  it('does not write a file that fails validation', async () => {
    const t = await tempHome();
    const file = path.join(t.project, 'supaops.config.json');
    await writeConfigFile(file, { version: 1, instances: {}, dokployServers: {} });
    const before = await readFile(file, 'utf8');
    await expect(
      writeConfigFile(file, { version: 2, instances: {}, dokployServers: {} } as never),
    ).rejects.toThrow(ConfigValidationError);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('reports a directory it cannot write to as a ConfigFileError', async () => {
    const t = await tempHome();
    const blocker = path.join(t.root, 'blocker');
    await writeFile(blocker, 'a file, not a directory');
    const error = await writeConfigFile(path.join(blocker, 'supaops.config.json'), {
      version: 1,
      instances: {},
      dokployServers: {},
    }).catch((e) => e);
    expect(ConfigFileError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/Cannot write .*Fix:/);
  });

  it('reads a missing file as an error unless missingOk', async () => {
    const t = await tempHome();
    const file = path.join(t.project, 'none.json');
    await expect(readConfigFile(file)).rejects.toThrow(/does not exist\. Fix:/);
    expect(await readConfigFile(file, { missingOk: true })).toEqual({
      version: 1,
      instances: {},
      dokployServers: {},
    });
  });
});
