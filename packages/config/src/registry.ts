import { notYet } from './stub.js';
import type { DokployServerConfig, InstanceConfig, SupaopsConfig } from './types.js';
export async function addInstance(
  _path: string,
  _name: string,
  _instance: InstanceConfig,
  _opts?: { replace?: boolean },
): Promise<SupaopsConfig> {
  return notYet('addInstance');
}
export async function removeInstance(_path: string, _name: string): Promise<SupaopsConfig> {
  return notYet('removeInstance');
}
export async function addDokployServer(
  _path: string,
  _name: string,
  _server: DokployServerConfig,
  _opts?: { replace?: boolean },
): Promise<SupaopsConfig> {
  return notYet('addDokployServer');
}
export async function removeDokployServer(_path: string, _name: string): Promise<SupaopsConfig> {
  return notYet('removeDokployServer');
}
