import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigValidationError, InstanceNotFoundError } from './errors.js';
import { listInstances } from './list.js';
import { loadConfig } from './load.js';
import { resolveInstance } from './resolve-instance.js';
import { tempHome } from './temp-home.test-helper.js';
import type { LoadConfigOptions } from './types.js';

const DB_URL = 'postgres://postgres:env-pw@127.0.0.1:5432/postgres';

async function setup(file: Record<string, unknown>, extraEnv: NodeJS.ProcessEnv = {}) {
  const t = await tempHome(extraEnv);
  const configFile = path.join(t.project, 'supaops.config.json');
  await writeFile(configFile, JSON.stringify(file));
  const load = (
    options: Omit<LoadConfigOptions, 'cwd' | 'env'> = {},
    env: NodeJS.ProcessEnv = {},
  ) => loadConfig({ cwd: t.project, env: { ...t.env, ...env }, ...options });
  return { t, configFile, load };
}

const twoInstances = {
  defaultInstance: 'a',
  instances: { a: { kind: 'cloud' }, b: { kind: 'cloud' } },
};

describe('instance selection: flags over environment over file', () => {
  it('loads with a SUPAOPS_INSTANCE that names no instance, and fails only when it is used', async () => {
    const { load } = await setup(twoInstances);
    const loaded = await load({}, { SUPAOPS_INSTANCE: 'ghost' });
    expect(loaded.sources.env).toEqual(['SUPAOPS_INSTANCE']);
    expect(loaded.selection).toEqual({
      name: 'ghost',
      from: 'SUPAOPS_INSTANCE',
      label: 'SUPAOPS_INSTANCE',
    });
    // it shadows the file's default, so nothing is marked default
    expect(loaded.config.defaultInstance).toBeUndefined();
    expect(listInstances(loaded).some((i) => i.isDefault)).toBe(false);

    // a caller that names its instance is not affected
    expect((await resolveInstance(loaded, 'b')).name).toBe('b');

    const error = await resolveInstance(loaded, undefined).catch((e) => e);
    expect(InstanceNotFoundError.isInstance(error)).toBe(true);
    expect(error.instance).toBe('ghost');
    expect(error.known).toEqual(['a', 'b']);
    expect(error.from).toBe('SUPAOPS_INSTANCE');
    expect(error.message).toBe(
      'No instance "ghost" is configured (from SUPAOPS_INSTANCE) (known: "a", "b"). Fix: set SUPAOPS_INSTANCE to one of the known names or unset it, or name the instance (--instance NAME).',
    );
  });

  it('treats a SUPAOPS_INSTANCE that is not even a valid name the same way', async () => {
    const { load } = await setup(twoInstances);
    const loaded = await load({}, { SUPAOPS_INSTANCE: '../bad name' });
    expect((await resolveInstance(loaded, 'a')).name).toBe('a');
    await expect(resolveInstance(loaded, undefined)).rejects.toThrow(
      /No instance "\.\.\/bad name" is configured \(from SUPAOPS_INSTANCE\)/,
    );
  });

  it('a known SUPAOPS_INSTANCE becomes the default, as before', async () => {
    const { load } = await setup(twoInstances);
    const loaded = await load({}, { SUPAOPS_INSTANCE: 'b' });
    expect(loaded.config.defaultInstance).toBe('b');
    expect((await resolveInstance(loaded, undefined)).name).toBe('b');
  });

  it('the instance option wins over SUPAOPS_INSTANCE, SUPAOPS_DB_URL and the file', async () => {
    const { load } = await setup(twoInstances);
    const env = { SUPAOPS_INSTANCE: 'ghost', SUPAOPS_DB_URL: DB_URL };
    const loaded = await load({ instance: 'b', instanceFrom: '--instance' }, env);
    expect(loaded.selection).toEqual({ name: 'b', from: 'option', label: '--instance' });
    expect((await resolveInstance(loaded, undefined)).name).toBe('b');
    // an explicit name passed to resolveInstance still wins over everything
    expect((await resolveInstance(loaded, 'a')).name).toBe('a');
    // the environment is still applied, only the selection differs
    expect(loaded.sources.env).toEqual(['SUPAOPS_DB_URL', 'SUPAOPS_INSTANCE']);
    expect(Object.keys(loaded.config.instances)).toContain('env');
  });

  it('reports an unknown instance option under the name the caller gave it', async () => {
    const { load } = await setup(twoInstances);
    const viaFlag = await load({ instance: 'nope', instanceFrom: '--instance' });
    const error = await resolveInstance(viaFlag, undefined).catch((e) => e);
    expect(error.from).toBe('--instance');
    expect(error.message).toMatch(
      /^No instance "nope" is configured \(from --instance\) \(known: "a", "b"\)\. Fix: use one of the known names, or add it \(supaops instances add nope \.\.\.\)\.$/,
    );
    const plain = await load({ instance: 'nope' });
    await expect(resolveInstance(plain, undefined)).rejects.toThrow(/from the instance option/);
  });

  it('SUPAOPS_DB_URL selects "env" over the file default, SUPAOPS_INSTANCE over both', async () => {
    const { load, configFile } = await setup(twoInstances);
    const fromUrl = await load({}, { SUPAOPS_DB_URL: DB_URL });
    expect(fromUrl.selection).toEqual({
      name: 'env',
      from: 'SUPAOPS_DB_URL',
      label: 'SUPAOPS_DB_URL',
    });
    expect((await resolveInstance(fromUrl, undefined)).name).toBe('env');

    const both = await load({}, { SUPAOPS_DB_URL: DB_URL, SUPAOPS_INSTANCE: 'a' });
    expect(both.selection?.from).toBe('SUPAOPS_INSTANCE');
    expect((await resolveInstance(both, undefined)).name).toBe('a');

    const fileOnly = await load();
    expect(fileOnly.selection).toEqual({
      name: 'a',
      from: 'defaultInstance',
      label: `defaultInstance in ${configFile}`,
    });
  });

  it('names the user file when the default comes from there', async () => {
    const t = await tempHome();
    await mkdir(t.userConfigDir, { recursive: true });
    const userFile = path.join(t.userConfigDir, 'supaops.config.json');
    await writeFile(userFile, JSON.stringify(twoInstances));
    await writeFile(
      path.join(t.project, 'supaops.config.json'),
      JSON.stringify({ instances: { c: { kind: 'cloud' } } }),
    );
    const loaded = await loadConfig({ cwd: t.project, env: t.env });
    expect(loaded.selection?.label).toBe(`defaultInstance in ${userFile}`);
  });

  it('has no selection when nothing picks one; a hand-built config falls back to its default', async () => {
    const { load } = await setup({ instances: { a: { kind: 'cloud' }, b: { kind: 'cloud' } } });
    const loaded = await load();
    expect(loaded.selection).toBeUndefined();
    await expect(resolveInstance(loaded, undefined)).rejects.toThrow(/Several instances/);

    const handBuilt = { ...loaded, config: { ...loaded.config, defaultInstance: 'b' } };
    expect((await resolveInstance(handBuilt, undefined)).name).toBe('b');
  });

  it('selects the sandbox by SUPAOPS_INSTANCE without a configured sandbox', async () => {
    const { load } = await setup(twoInstances);
    const loaded = await load({}, { SUPAOPS_INSTANCE: 'sandbox' });
    const sandbox = async () => ({
      url: 'postgres://supabase_admin:sb-pw@127.0.0.1:5999/postgres',
    });
    const r = await resolveInstance(loaded, undefined, { sandbox });
    expect(r).toMatchObject({ name: 'sandbox', kind: 'sandbox', secrets: ['sb-pw'] });
  });

  it('validates the options', async () => {
    const { load } = await setup(twoInstances);
    await expect(load({ instance: '' })).rejects.toThrow(ConfigValidationError);
    await expect(load({ instanceFrom: 3 } as never)).rejects.toThrow(/instanceFrom/);
  });
});
