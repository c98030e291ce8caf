import path from 'node:path';
import { parseSecretRef } from './secret-ref.js';
import type { InstanceConfig, SupaopsConfig } from './types.js';

export const DEFAULT_MIGRATIONS_DIR = 'supabase/migrations';

/**
 * Makes the relative paths of one file absolute against the file's directory (file: references,
 * migrationsDir, local backup dir, audit and secret-store paths), so merged files keep meaning.
 */
export function absolutizeConfig(config: SupaopsConfig, baseDir: string): SupaopsConfig {
  const instances: Record<string, InstanceConfig> = {};
  for (const [name, instance] of Object.entries(config.instances)) {
    instances[name] = absolutizeInstance(instance, baseDir);
  }
  const dokployServers = Object.fromEntries(
    Object.entries(config.dokployServers).map(([name, server]) => [
      name,
      { ...server, apiKey: absRef(server.apiKey, baseDir) },
    ]),
  );
  const out: SupaopsConfig = { ...config, instances, dokployServers };
  if (config.audit?.path)
    out.audit = { ...config.audit, path: path.resolve(baseDir, config.audit.path) };
  if (config.secretStore?.path) {
    out.secretStore = {
      ...config.secretStore,
      path: path.resolve(baseDir, config.secretStore.path),
    };
  }
  const token = config.mcp?.http?.token;
  if (config.mcp?.http && token) {
    out.mcp = { ...config.mcp, http: { ...config.mcp.http, token: absRef(token, baseDir) } };
  }
  return out;
}

function absolutizeInstance(instance: InstanceConfig, baseDir: string): InstanceConfig {
  const out: InstanceConfig = { ...instance };
  if (instance.database) {
    out.database = mapDefined(instance.database, (v) => absRef(v, baseDir));
  }
  if (instance.api) {
    const { url, ...keys } = instance.api;
    out.api = { url, ...mapDefined(keys, (v) => absRef(v, baseDir)) };
  }
  if (instance.migrationsDir) out.migrationsDir = path.resolve(baseDir, instance.migrationsDir);
  if (instance.backups) {
    const { storage } = instance.backups;
    out.backups = {
      ...instance.backups,
      storage:
        storage.type === 'local'
          ? { ...storage, dir: path.resolve(baseDir, storage.dir) }
          : {
              ...storage,
              ...mapDefined(
                { accessKeyId: storage.accessKeyId, secretAccessKey: storage.secretAccessKey },
                (v) => absRef(v, baseDir),
              ),
            },
    };
    if (instance.backups.encryptionKey) {
      out.backups.encryptionKey = absRef(instance.backups.encryptionKey, baseDir);
    }
  }
  return out;
}

function absRef(value: string, baseDir: string): string {
  const ref = parseSecretRef(value);
  return ref?.scheme === 'file' ? `file:${path.resolve(baseDir, ref.path)}` : value;
}

function mapDefined<T extends { [K in keyof T]?: string }>(
  record: T,
  fn: (value: string) => string,
): T {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record) as [string, string | undefined][]) {
    if (value !== undefined) out[key] = fn(value);
  }
  return out as T;
}

/** User file below, project file on top; records merge by name, sections field by field. */
export function mergeConfigs(lower: SupaopsConfig, upper: SupaopsConfig): SupaopsConfig {
  const merged: SupaopsConfig = {
    version: 1,
    instances: { ...lower.instances, ...upper.instances },
    dokployServers: { ...lower.dokployServers, ...upper.dokployServers },
  };
  const $schema = upper.$schema ?? lower.$schema;
  if ($schema !== undefined) merged.$schema = $schema;
  const defaultInstance = upper.defaultInstance ?? lower.defaultInstance;
  if (defaultInstance !== undefined) merged.defaultInstance = defaultInstance;
  if (lower.secretStore || upper.secretStore) {
    merged.secretStore = { ...lower.secretStore, ...upper.secretStore };
  }
  if (lower.audit || upper.audit) merged.audit = { ...lower.audit, ...upper.audit };
  if (lower.mcp || upper.mcp) {
    merged.mcp = { ...lower.mcp, ...upper.mcp };
    if (lower.mcp?.http || upper.mcp?.http) {
      merged.mcp.http = { ...lower.mcp?.http, ...upper.mcp?.http };
    }
  }
  return merged;
}
