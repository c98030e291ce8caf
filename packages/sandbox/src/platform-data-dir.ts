import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

// TEMPORARY local fallback until @supaops/config is built; replaced by its supaopsPaths().data
export function supaopsDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SUPAOPS_DATA_DIR) return resolve(env.SUPAOPS_DATA_DIR);
  const home = env.HOME || homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'supaops');
  if (process.platform === 'win32') {
    return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'supaops', 'Data');
  }
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'supaops');
}
