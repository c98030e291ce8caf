import { notYet } from './stub.js';
import type { InstanceSummary, LoadedConfig } from './types.js';
export function listInstances(_loaded: LoadedConfig): InstanceSummary[] {
  return notYet('listInstances');
}
