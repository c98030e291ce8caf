import { notYet } from './stub.js';
import type { LoadConfigOptions, LoadedConfig } from './types.js';
export async function loadConfig(_options?: LoadConfigOptions): Promise<LoadedConfig> {
  return notYet('loadConfig');
}
