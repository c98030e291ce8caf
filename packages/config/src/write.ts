import { notYet } from './stub.js';
import type { SupaopsConfig } from './types.js';
export async function writeConfigFile(_path: string, _config: SupaopsConfig): Promise<void> {
  return notYet('writeConfigFile');
}
