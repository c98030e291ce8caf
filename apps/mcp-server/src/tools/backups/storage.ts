import type { BackupStorage, KeySource } from '@supaops/backup-engine';
import type { ResolvedInstance } from '@supaops/config';
import { InstanceCapabilityError } from '../../errors.js';
import { backupEngine } from '../../libs.js';
import type { ToolContext } from '../../registry/types.js';

export interface BackupSetup {
  storage: BackupStorage;
  /** Undefined: backups of this instance are not encrypted. */
  key: KeySource | undefined;
  retention: { keepLast?: number; keepDays?: number } | undefined;
}

/** The instance's backup storage and key, as its config describes them. */
export async function backupSetup(instance: ResolvedInstance): Promise<BackupSetup> {
  const backups = instance.backups;
  if (!backups) {
    throw new InstanceCapabilityError(
      instance.name,
      'backup storage',
      `add "backups": { "storage": { "type": "local", "dir": "./backups" } } (or an s3 storage) to instance "${instance.name}" in supaops.config.json.`,
    );
  }
  const engine = await backupEngine();
  const storage = engine.createStorage(backups.storage);
  // config's encryptionKey is "a passphrase or a raw key": backup-engine tells which
  const key =
    backups.encryptionKey === undefined
      ? undefined
      : engine.keySourceFromSecret(backups.encryptionKey);
  return { storage, key, retention: backups.retention };
}

/** The instance's session URL (backups need a direct or session connection). */
export function databaseUrl(instance: ResolvedInstance): string {
  const url = instance.database.session;
  if (!url) {
    throw new InstanceCapabilityError(
      instance.name,
      'session database connection (pg_dump cannot use the transaction pooler)',
      `add database.session (direct or Supavisor session mode, port 5432) to instance "${instance.name}".`,
    );
  }
  return url;
}

/**
 * Progress of a multi-part operation as one number that only grows (MCP requires it): the
 * bytes of every phase and part so far (each part restarts its own count).
 */
export function bytesProgress(
  ctx: ToolContext,
): (e: { part: string; bytes: number; totalBytes: number | undefined; phase: string }) => void {
  const seen = new Map<string, number>();
  return (e) => {
    const key = `${e.phase}:${e.part}`;
    seen.set(key, Math.max(seen.get(key) ?? 0, e.bytes));
    let sum = 0;
    for (const bytes of seen.values()) sum += bytes;
    const total = e.totalBytes !== undefined && e.totalBytes >= sum ? e.totalBytes : undefined;
    ctx.progress(sum, total, `${e.phase} ${e.part}`);
  };
}
