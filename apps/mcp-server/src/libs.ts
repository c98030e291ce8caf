// The libraries the tools call, loaded on first use: a cold start (initialize + tools/list) then
// evaluates only the MCP SDK, zod and @supaops/config.
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load();
    return loaded;
  };
}

export const pgConnect = once(() => import('@supaops/pg-connect'));
export const migrator = once(() => import('@supaops/migrator'));
export const backupEngine = once(() => import('@supaops/backup-engine'));
export const supabaseJwt = once(() => import('@supaops/supabase-jwt'));
export const sandbox = once(() => import('@supaops/sandbox'));
export const selfhost = once(() => import('@supaops/selfhost'));
// The env contract alone (parse, edit, diff, the secret names): about a third of the root's import
// time, for the tools that only read, diff or edit env text.
export const selfhostEnv = once(() => import('@supaops/selfhost/env'));
export const dokployClient = once(() => import('@supaops/dokploy-client'));
