import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigValidationError, InstanceNotFoundError } from './errors.js';
import { loadConfig } from './load.js';
import { addInstance, setDefaultInstance } from './registry.js';
import { resolveInstance } from './resolve-instance.js';
import { tempHome } from './temp-home.test-helper.js';

const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8'));

describe('setting the default instance', () => {
  it('addInstance with default: true makes the new instance the default', async () => {
    const t = await tempHome();
    const file = path.join(t.project, 'supaops.config.json');
    await addInstance(file, 'a', { kind: 'cloud' }, { default: true });
    await addInstance(file, 'b', { kind: 'cloud' });
    expect((await readJson(file)).defaultInstance).toBe('a');
    const config = await addInstance(
      file,
      'b',
      { kind: 'self-hosted' },
      { replace: true, default: true },
    );
    expect(config.defaultInstance).toBe('b');
    expect(Object.keys(await readJson(file))).toEqual([
      '$schema',
      'version',
      'defaultInstance',
      'instances',
      'dokployServers',
    ]);
    const loaded = await loadConfig({ cwd: t.project, env: t.env });
    expect((await resolveInstance(loaded, undefined)).name).toBe('b');
    await expect(
      addInstance(file, 'c', { kind: 'cloud' }, { default: 'yes' } as never),
    ).rejects.toThrow(/default/);
  });

  it('setDefaultInstance sets and clears the default of a file', async () => {
    const t = await tempHome();
    const file = path.join(t.project, 'supaops.config.json');
    await addInstance(file, 'a', { kind: 'cloud' });
    await addInstance(file, 'b', { kind: 'cloud' });
    const set = await setDefaultInstance(file, 'b');
    expect(set.defaultInstance).toBe('b');
    expect((await readJson(file)).defaultInstance).toBe('b');
    const loaded = await loadConfig({ cwd: t.project, env: t.env });
    expect(loaded.selection).toEqual({
      name: 'b',
      from: 'defaultInstance',
      label: `defaultInstance in ${file}`,
    });

    const cleared = await setDefaultInstance(file, undefined);
    expect(cleared.defaultInstance).toBeUndefined();
    expect(await readJson(file)).not.toHaveProperty('defaultInstance');
    // clearing again is a no-op
    expect((await setDefaultInstance(file, undefined)).instances).toHaveProperty('a');
  });

  it('refuses a name that is no instance, listing the known ones', async () => {
    const t = await tempHome();
    const file = path.join(t.project, 'supaops.config.json');
    await addInstance(file, 'a', { kind: 'cloud' });
    const before = await readFile(file, 'utf8');
    const error = await setDefaultInstance(file, 'ghost').catch((e) => e);
    expect(InstanceNotFoundError.isInstance(error)).toBe(true);
    expect(error.known).toEqual(['a']);
    expect(error.message).toBe(
      `Cannot make "ghost" the default instance in ${file}: no such instance (known: "a"). Fix: use one of the known names, or add it first (supaops instances add ghost ...).`,
    );
    expect(await readFile(file, 'utf8')).toBe(before);
    await expect(setDefaultInstance(file, 'bad name')).rejects.toThrow(ConfigValidationError);
    await expect(setDefaultInstance('', 'a')).rejects.toThrow(ConfigValidationError);
    await expect(setDefaultInstance(file, 'a', { loaded: 1 } as never)).rejects.toThrow(
      /loadConfig/,
    );
  });

  it('clearing the default of a missing file creates nothing; setting one there fails', async () => {
    const t = await tempHome();
    const file = path.join(t.project, 'supaops.config.json');
    const config = await setDefaultInstance(file, undefined);
    expect(config).toEqual({ version: 1, instances: {}, dokployServers: {} });
    expect(await readdir(t.project)).toEqual([]);
    await expect(setDefaultInstance(file, 'a')).rejects.toThrow(/known: none/);
    expect(await readdir(t.project)).toEqual([]);
  });

  it('with the loaded config, an instance of the user file may be the project default', async () => {
    const t = await tempHome({ SUPAOPS_DB_URL: 'postgres://postgres:pw@127.0.0.1:5432/postgres' });
    await mkdir(t.userConfigDir, { recursive: true });
    await writeFile(
      path.join(t.userConfigDir, 'supaops.config.json'),
      JSON.stringify({ instances: { shared: { kind: 'cloud' } } }),
    );
    const file = path.join(t.project, 'supaops.config.json');
    await addInstance(file, 'local', { kind: 'sandbox' });
    const loaded = await loadConfig({ cwd: t.project, env: t.env });

    await expect(setDefaultInstance(file, 'shared')).rejects.toThrow(/known: "local"/);
    await setDefaultInstance(file, 'shared', { loaded });
    const reloaded = await loadConfig({ cwd: t.project, env: { ...t.env, SUPAOPS_DB_URL: '' } });
    expect(reloaded.config.defaultInstance).toBe('shared');
    // the SUPAOPS_DB_URL instance lives in no file: it cannot be a file's default
    await expect(setDefaultInstance(file, 'env', { loaded })).rejects.toThrow(
      InstanceNotFoundError,
    );
  });
});
