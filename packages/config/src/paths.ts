import os from 'node:os';
import path from 'node:path';
import envPaths from 'env-paths';
import type { SupaopsPaths } from './types.js';

const NAME = 'supaops';
// env-paths fixes the home directory when it is imported, as this module is
const HOME_AT_IMPORT = os.homedir();

export interface SupaopsPathsOptions {
  /** Default process.platform; tests pass 'darwin' / 'win32' / 'linux'. */
  platform?: NodeJS.Platform;
  /** Default: HOME (USERPROFILE on Windows) of `env`, else os.homedir(). */
  homedir?: string;
}

/**
 * Where supaops keeps its files: XDG on Linux, ~/Library/... on macOS, %APPDATA% and
 * %LOCALAPPDATA% on Windows. Each is overridable: SUPAOPS_CONFIG_DIR, SUPAOPS_DATA_DIR,
 * SUPAOPS_STATE_DIR, SUPAOPS_CACHE_DIR, SUPAOPS_LOG_DIR.
 */
export function supaopsPaths(
  env: NodeJS.ProcessEnv = process.env,
  options: SupaopsPathsOptions = {},
): SupaopsPaths {
  const base = platformPaths(env, options);
  const override = (name: string, fallback: string) => {
    const value = env[`SUPAOPS_${name}_DIR`];
    return value ? path.resolve(value) : fallback;
  };
  return {
    config: override('CONFIG', base.config),
    data: override('DATA', base.data),
    state: override('STATE', base.state),
    cache: override('CACHE', base.cache),
    log: override('LOG', base.log),
  };
}

function platformPaths(env: NodeJS.ProcessEnv, options: SupaopsPathsOptions): SupaopsPaths {
  const platform = options.platform ?? process.platform;
  // env-paths reads process.env and the home directory of its import time: it is the source
  // when nothing was injected or changed since; the computed layout is unit-tested against it.
  if (
    platform === process.platform &&
    env === process.env &&
    options.homedir === undefined &&
    os.homedir() === HOME_AT_IMPORT
  ) {
    const native = envPaths(NAME, { suffix: '' });
    return { ...native, state: stateDir(platform, env, HOME_AT_IMPORT, native) };
  }
  const home = options.homedir ?? homeOf(env, platform);
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (platform === 'darwin') {
    const library = p.join(home, 'Library');
    const computed = {
      data: p.join(library, 'Application Support', NAME),
      config: p.join(library, 'Preferences', NAME),
      cache: p.join(library, 'Caches', NAME),
      log: p.join(library, 'Logs', NAME),
    };
    return { ...computed, state: stateDir(platform, env, home, computed) };
  }
  if (platform === 'win32') {
    const appData = env.APPDATA || p.join(home, 'AppData', 'Roaming');
    const localAppData = env.LOCALAPPDATA || p.join(home, 'AppData', 'Local');
    const computed = {
      data: p.join(localAppData, NAME, 'Data'),
      config: p.join(appData, NAME, 'Config'),
      cache: p.join(localAppData, NAME, 'Cache'),
      log: p.join(localAppData, NAME, 'Log'),
    };
    return { ...computed, state: stateDir(platform, env, home, computed) };
  }
  const computed = {
    data: p.join(env.XDG_DATA_HOME || p.join(home, '.local', 'share'), NAME),
    config: p.join(env.XDG_CONFIG_HOME || p.join(home, '.config'), NAME),
    cache: p.join(env.XDG_CACHE_HOME || p.join(home, '.cache'), NAME),
    log: p.join(env.XDG_STATE_HOME || p.join(home, '.local', 'state'), NAME),
  };
  return { ...computed, state: stateDir(platform, env, home, computed) };
}

// env-paths has no state directory: XDG_STATE_HOME on Linux, next to the data elsewhere.
function stateDir(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  home: string,
  dirs: { data: string },
): string {
  if (platform === 'darwin') return path.posix.join(dirs.data, 'State');
  if (platform === 'win32') return path.win32.join(path.win32.dirname(dirs.data), 'State');
  return path.posix.join(env.XDG_STATE_HOME || path.posix.join(home, '.local', 'state'), NAME);
}

function homeOf(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const fromEnv = platform === 'win32' ? env.USERPROFILE || env.HOME : env.HOME;
  return fromEnv || os.homedir();
}
