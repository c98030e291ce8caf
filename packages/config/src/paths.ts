import os from 'node:os';
import path from 'node:path';
import envPaths from 'env-paths';
import { HomeDirectoryError } from './errors.js';
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
  const override = (name: string) => {
    const value = env[`SUPAOPS_${name}_DIR`];
    return value ? path.resolve(value) : undefined;
  };
  const chosen = {
    config: override('CONFIG'),
    data: override('DATA'),
    state: override('STATE'),
    cache: override('CACHE'),
    log: override('LOG'),
  };
  // with every directory given, a missing home directory does not matter
  if (Object.values(chosen).every((dir) => dir !== undefined)) return chosen as SupaopsPaths;
  const base = platformPaths(env, options);
  return {
    config: chosen.config ?? base.config,
    data: chosen.data ?? base.data,
    state: chosen.state ?? base.state,
    cache: chosen.cache ?? base.cache,
    log: chosen.log ?? base.log,
  };
}

/** Variables env-paths takes a base directory from, as they are (empty or relative included). */
const BASE_DIR_VARS = [
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'XDG_STATE_HOME',
  'XDG_CACHE_HOME',
  'APPDATA',
  'LOCALAPPDATA',
];

/*
 * A base directory from the environment counts only when absolute: the XDG spec says an empty
 * value means unset and a relative one is invalid, and either would put supaops' files under
 * the working directory.
 */
function absoluteDir(value: string | undefined, p: path.PlatformPath): string | undefined {
  return value && p.isAbsolute(value) ? value : undefined;
}

function platformPaths(env: NodeJS.ProcessEnv, options: SupaopsPathsOptions): SupaopsPaths {
  const platform = options.platform ?? process.platform;
  const p = platform === 'win32' ? path.win32 : path.posix;
  // env-paths reads process.env and the home directory of its import time: it is the source
  // when nothing was injected or changed since and it would not use an empty or relative
  // directory; the computed layout is unit-tested against it.
  if (
    platform === process.platform &&
    env === process.env &&
    options.homedir === undefined &&
    os.homedir() === HOME_AT_IMPORT &&
    p.isAbsolute(HOME_AT_IMPORT) &&
    BASE_DIR_VARS.every((name) => !env[name] || p.isAbsolute(env[name]))
  ) {
    const native = envPaths(NAME, { suffix: '' });
    return { ...native, state: stateDir(platform, env, () => HOME_AT_IMPORT, native) };
  }
  let found: string | undefined;
  // looked up only when a directory needs it: absolute XDG_* or APPDATA values do not
  const home = () => {
    found ??= options.homedir || homeOf(env, platform, p);
    return found;
  };
  if (platform === 'darwin') {
    const library = p.join(home(), 'Library');
    const computed = {
      data: p.join(library, 'Application Support', NAME),
      config: p.join(library, 'Preferences', NAME),
      cache: p.join(library, 'Caches', NAME),
      log: p.join(library, 'Logs', NAME),
    };
    return { ...computed, state: stateDir(platform, env, home, computed) };
  }
  if (platform === 'win32') {
    const appData = absoluteDir(env.APPDATA, p) ?? p.join(home(), 'AppData', 'Roaming');
    const localAppData = absoluteDir(env.LOCALAPPDATA, p) ?? p.join(home(), 'AppData', 'Local');
    const computed = {
      data: p.join(localAppData, NAME, 'Data'),
      config: p.join(appData, NAME, 'Config'),
      cache: p.join(localAppData, NAME, 'Cache'),
      log: p.join(localAppData, NAME, 'Log'),
    };
    return { ...computed, state: stateDir(platform, env, home, computed) };
  }
  const xdg = (name: string, ...fallback: string[]) =>
    p.join(absoluteDir(env[name], p) ?? p.join(home(), ...fallback), NAME);
  const computed = {
    data: xdg('XDG_DATA_HOME', '.local', 'share'),
    config: xdg('XDG_CONFIG_HOME', '.config'),
    cache: xdg('XDG_CACHE_HOME', '.cache'),
    log: xdg('XDG_STATE_HOME', '.local', 'state'),
  };
  return { ...computed, state: stateDir(platform, env, home, computed) };
}

// env-paths has no state directory: XDG_STATE_HOME on Linux, next to the data elsewhere.
function stateDir(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  home: () => string,
  dirs: { data: string },
): string {
  if (platform === 'darwin') return path.posix.join(dirs.data, 'State');
  if (platform === 'win32') return path.win32.join(path.win32.dirname(dirs.data), 'State');
  const base = absoluteDir(env.XDG_STATE_HOME, path.posix);
  return path.posix.join(base ?? path.posix.join(home(), '.local', 'state'), NAME);
}

/*
 * HOME (USERPROFILE on Windows) when absolute, else the OS: os.homedir() echoes HOME when it is
 * set even to '', so the passwd entry (os.userInfo) is asked after it.
 */
function homeOf(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, p: path.PlatformPath): string {
  const fromEnv =
    platform === 'win32'
      ? (absoluteDir(env.USERPROFILE, p) ?? absoluteDir(env.HOME, p))
      : absoluteDir(env.HOME, p);
  if (fromEnv) return fromEnv;
  const fromOs = os.homedir();
  if (p.isAbsolute(fromOs)) return fromOs;
  let cause: unknown;
  try {
    const fromPasswd = os.userInfo().homedir;
    if (p.isAbsolute(fromPasswd)) return fromPasswd;
  } catch (error) {
    cause = error;
  }
  throw new HomeDirectoryError(platform, cause === undefined ? undefined : { cause });
}
