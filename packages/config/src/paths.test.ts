import os from 'node:os';
import envPaths from 'env-paths';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, HomeDirectoryError } from './errors.js';
import { supaopsPaths } from './paths.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const REAL_USER_INFO = os.userInfo();

/** The OS's own answer when HOME is empty: os.homedir(), else the passwd entry. */
function osHome(homedir: string, passwd?: string): void {
  vi.spyOn(os, 'homedir').mockReturnValue(homedir);
  const info = vi.spyOn(os, 'userInfo');
  if (passwd === undefined) {
    info.mockImplementation(() => {
      throw new Error('no passwd entry');
    });
  } else info.mockReturnValue({ ...REAL_USER_INFO, homedir: passwd });
}

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

  it('treats an empty HOME as unset on Linux: the OS home, never the working directory', () => {
    osHome('/pw/u');
    expect(supaopsPaths({ HOME: '' }, { platform: 'linux' })).toEqual({
      config: '/pw/u/.config/supaops',
      data: '/pw/u/.local/share/supaops',
      state: '/pw/u/.local/state/supaops',
      cache: '/pw/u/.cache/supaops',
      log: '/pw/u/.local/state/supaops',
    });
    // os.homedir() echoes an empty HOME: the passwd entry answers then
    osHome('', '/etc/passwd/home');
    expect(supaopsPaths({ HOME: '' }, { platform: 'linux' }).data).toBe(
      '/etc/passwd/home/.local/share/supaops',
    );
  });

  it('treats empty and relative XDG_* values as unset on Linux (the XDG spec)', () => {
    const env = {
      HOME: '/home/u',
      XDG_CONFIG_HOME: '',
      XDG_DATA_HOME: '.local/share',
      XDG_STATE_HOME: 'state',
      XDG_CACHE_HOME: './cache',
    };
    expect(supaopsPaths(env, { platform: 'linux' })).toEqual({
      config: '/home/u/.config/supaops',
      data: '/home/u/.local/share/supaops',
      state: '/home/u/.local/state/supaops',
      cache: '/home/u/.cache/supaops',
      log: '/home/u/.local/state/supaops',
    });
    // absolute XDG values still need no home at all
    osHome('');
    expect(
      supaopsPaths(
        {
          HOME: '',
          XDG_CONFIG_HOME: '/c',
          XDG_DATA_HOME: '/d',
          XDG_STATE_HOME: '/s',
          XDG_CACHE_HOME: '/k',
        },
        { platform: 'linux' },
      ).data,
    ).toBe('/d/supaops');
  });

  it('treats an empty or relative HOME as unset on macOS', () => {
    osHome('/Users/pw');
    expect(supaopsPaths({ HOME: '' }, { platform: 'darwin' }).data).toBe(
      '/Users/pw/Library/Application Support/supaops',
    );
    expect(supaopsPaths({ HOME: 'rel' }, { platform: 'darwin' }).config).toBe(
      '/Users/pw/Library/Preferences/supaops',
    );
  });

  it('treats empty or relative USERPROFILE, HOME, APPDATA and LOCALAPPDATA as unset on Windows', () => {
    osHome('C:\\Users\\pw');
    const env = { USERPROFILE: '', HOME: '', APPDATA: '', LOCALAPPDATA: 'AppData\\Local' };
    expect(supaopsPaths(env, { platform: 'win32' })).toEqual({
      config: 'C:\\Users\\pw\\AppData\\Roaming\\supaops\\Config',
      data: 'C:\\Users\\pw\\AppData\\Local\\supaops\\Data',
      state: 'C:\\Users\\pw\\AppData\\Local\\supaops\\State',
      cache: 'C:\\Users\\pw\\AppData\\Local\\supaops\\Cache',
      log: 'C:\\Users\\pw\\AppData\\Local\\supaops\\Log',
    });
  });

  it.each(['linux', 'darwin', 'win32'] as const)(
    'throws HomeDirectoryError on %s when no home directory can be found',
    (platform) => {
      osHome('');
      let error: unknown;
      try {
        supaopsPaths({ HOME: '', USERPROFILE: '' }, { platform });
      } catch (e) {
        error = e;
      }
      expect(HomeDirectoryError.isInstance(error)).toBe(true);
      expect(ConfigError.isInstance(error)).toBe(true);
      expect((error as HomeDirectoryError).code).toBe('HOME_DIRECTORY_UNKNOWN');
      expect((error as Error).message).toMatch(/Set (HOME|USERPROFILE \(or HOME\)) to your home/);
      expect((error as Error).message).toContain('SUPAOPS_DATA_DIR');
      // the passwd look-up failure is chained
      expect((error as Error).cause).toBeInstanceOf(Error);
    },
  );

  it('needs no home directory when every SUPAOPS_*_DIR is set', () => {
    osHome('');
    const env = {
      HOME: '',
      SUPAOPS_CONFIG_DIR: '/o/c',
      SUPAOPS_DATA_DIR: '/o/d',
      SUPAOPS_STATE_DIR: '/o/s',
      SUPAOPS_CACHE_DIR: '/o/k',
      SUPAOPS_LOG_DIR: '/o/l',
    };
    expect(supaopsPaths(env, { platform: 'darwin' }).data).toBe('/o/d');
  });

  it('never returns a relative path from process.env with HOME empty (the reported case)', () => {
    const saved = { ...process.env };
    try {
      process.env.HOME = '';
      for (const name of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME'])
        delete process.env[name];
      for (const name of ['CONFIG', 'DATA', 'STATE', 'CACHE', 'LOG'])
        delete process.env[`SUPAOPS_${name}_DIR`];
      const paths = supaopsPaths();
      for (const dir of Object.values(paths)) expect(dir.startsWith('/')).toBe(true);
      expect(paths.data).toBe(`${os.userInfo().homedir}/.local/share/supaops`);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });
});
