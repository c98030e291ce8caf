import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { openConfiguredSecretStore, resolveSecret } from '@supaops/config';
import type { Runtime } from '../context.js';

export interface HttpToken {
  token: string;
  /** Where it came from; `generated` means it was created now and must be shown once. */
  source: 'config' | 'env' | 'file' | 'generated';
  file?: string;
}

export const TOKEN_FILE = 'mcp-http-token';

/**
 * The bearer token of the HTTP transport: config `mcp.http.token` (a secret reference: `env:`,
 * `file:`, or `store:` in the config's secret store), env SUPAOPS_MCP_TOKEN, the token stored
 * under the state dir, or a new one stored there (0600).
 */
export async function httpToken(runtime: Runtime): Promise<HttpToken> {
  const { loaded, env } = runtime;
  const ref = loaded.config.mcp?.http?.token;
  if (ref) {
    const configFile = loaded.sources.project ?? loaded.sources.user;
    const token = await resolveSecret(ref, {
      env,
      ...(configFile ? { baseDir: dirname(configFile) } : {}),
      // the store the config points at, opened only for a `store:` reference
      ...(ref.startsWith('store:') ? { store: await openConfiguredSecretStore(loaded) } : {}),
    });
    return { token: token.trim(), source: 'config' };
  }
  const fromEnv = env.SUPAOPS_MCP_TOKEN?.trim();
  if (fromEnv) return { token: fromEnv, source: 'env' };
  const file = join(loaded.paths.state, TOKEN_FILE);
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (stored) return { token: stored, source: 'file', file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = `smcp_${randomBytes(32).toString('base64url')}`;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // another server created it at the same moment: use that one
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return { token: (await readFile(file, 'utf8')).trim(), source: 'file', file };
    }
    throw error;
  }
  return { token, source: 'generated', file };
}
