import os from 'node:os';
import envPaths from 'env-paths';
import { describe, expect, it } from 'vitest';
import { supaopsPaths } from './paths.js';

describe('supaopsPaths', () => {
  it('follows XDG on Linux', () => {
    const env = {
      XDG_CONFIG_HOME: '/x/config',
      XDG_DATA_HOME: '/x/data',
      XDG_STATE_HOME: '/x/state',
      XDG_CACHE_HOME: '/x/cache',
    };
    expect(supaopsPaths(env, { platform: 'linux', homedir: '/home/u' })).toEqual({
      config: '/x/config/supaops',
      data: '/x/data/supaops',
      state: '/x/state/supaops',
      cache: '/x/cache/supaops',
      log: '/x/state/supaops',
    });
  });

  it('falls back to the XDG defaults under HOME on Linux', () => {
    expect(supaopsPaths({ HOME: '/home/u' }, { platform: 'linux' })).toEqual({
      config: '/home/u/.config/supaops',
      data: '/home/u/.local/share/supaops',
      state: '/home/u/.local/state/supaops',
      cache: '/home/u/.cache/supaops',
      log: '/home/u/.local/state/supaops',
    });
  });

  it('uses ~/Library on macOS (XDG variables are ignored there)', () => {
    expect(
      supaopsPaths({ HOME: '/Users/u', XDG_CONFIG_HOME: '/ignored' }, { platform: 'darwin' }),
    ).toEqual({
      config: '/Users/u/Library/Preferences/supaops',
      data: '/Users/u/Library/Application Support/supaops',
      state: '/Users/u/Library/Application Support/supaops/State',
      cache: '/Users/u/Library/Caches/supaops',
      log: '/Users/u/Library/Logs/supaops',
    });
  });

  it('uses %APPDATA% and %LOCALAPPDATA% on Windows', () => {
    const env = {
      USERPROFILE: 'C:\\Users\\u',
      APPDATA: 'C:\\Users\\u\\AppData\\Roaming',
      LOCALAPPDATA: 'D:\\Local',
    };
    expect(supaopsPaths(env, { platform: 'win32' })).toEqual({
      config: 'C:\\Users\\u\\AppData\\Roaming\\supaops\\Config',
      data: 'D:\\Local\\supaops\\Data',
      state: 'D:\\Local\\supaops\\State',
      cache: 'D:\\Local\\supaops\\Cache',
      log: 'D:\\Local\\supaops\\Log',
    });
    // without the variables: under USERPROFILE
    expect(supaopsPaths({ USERPROFILE: 'C:\\Users\\u' }, { platform: 'win32' }).config).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\supaops\\Config',
    );
  });

  it('lets SUPAOPS_*_DIR override each directory', () => {
    const paths = supaopsPaths(
      {
        HOME: '/home/u',
        SUPAOPS_CONFIG_DIR: '/o/c',
        SUPAOPS_DATA_DIR: '/o/d',
        SUPAOPS_STATE_DIR: '/o/s',
        SUPAOPS_CACHE_DIR: '/o/k',
        SUPAOPS_LOG_DIR: '/o/l',
      },
      { platform: 'darwin' },
    );
    expect(paths).toEqual({
      config: '/o/c',
      data: '/o/d',
      state: '/o/s',
      cache: '/o/k',
      log: '/o/l',
    });
  });

  it("agrees with env-paths on this machine (the layout is env-paths')", () => {
    const native = envPaths('supaops', { suffix: '' });
    const computed = supaopsPaths({ ...process.env }, { homedir: os.homedir() });
    expect({
      config: computed.config,
      data: computed.data,
      cache: computed.cache,
      log: computed.log,
    }).toEqual({
      config: native.config,
      data: native.data,
      cache: native.cache,
      log: native.log,
    });
    const fromProcess = supaopsPaths();
    expect(fromProcess.config).toBe(process.env.SUPAOPS_CONFIG_DIR ?? native.config);
  });
});
