import { notYet } from './stub.js';
import type { LoadedConfig, ResolvedInstance, ResolveOptions } from './types.js';
export async function resolveInstance(
  _loaded: LoadedConfig,
  _name: string | undefined,
  _options?: ResolveOptions,
): Promise<ResolvedInstance> {
  return notYet('resolveInstance');
}
export function adHocInstance(
  _url: string,
  _options?: { name?: string; migrationsDir?: string; cwd?: string },
): ResolvedInstance {
  return notYet('adHocInstance');
}
