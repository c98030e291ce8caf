import { notYet } from './stub.js';
import type { SupaopsPaths } from './types.js';
export function supaopsPaths(
  _env?: NodeJS.ProcessEnv,
  _options?: { platform?: NodeJS.Platform; homedir?: string },
): SupaopsPaths {
  return notYet('supaopsPaths');
}
