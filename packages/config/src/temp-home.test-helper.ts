import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

export interface TempHome {
  root: string;
  /** HOME and every XDG dir under `root`: no test touches the real user's files. */
  env: NodeJS.ProcessEnv;
  /** <root>/home/.config/supaops */
  userConfigDir: string;
  /** <root>/project, an empty directory to put a project config in */
  project: string;
}

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

export async function tempHome(extra: NodeJS.ProcessEnv = {}): Promise<TempHome> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'supaops-config-'));
  made.push(root);
  const home = path.join(root, 'home');
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    ...extra,
  };
  const project = path.join(root, 'project');
  await mkdir(project, { recursive: true });
  return { root, env, userConfigDir: path.join(home, '.config', 'supaops'), project };
}
