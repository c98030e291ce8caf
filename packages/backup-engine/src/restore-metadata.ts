import type pg from 'pg';
import { type AclDifference, diffAcls, reconcileAcls } from './acl.js';
import {
  applyDatabaseSettings,
  diffSettings,
  forbiddenSettings,
  readDatabaseSettings,
} from './db-settings.js';
import { RestoreError } from './errors.js';
import type { BackupMetadata } from './metadata-part.js';

function describe(d: AclDifference): string {
  const list = (l: string[] | null) => (l === null ? 'missing' : `{${l.join(',')}}`);
  return `${d.kind} ${d.object}: source ${list(d.expected)}, target ${list(d.actual)}`;
}

/**
 * Makes the restored database's settings and ACLs the source's and checks that they are: a
 * privilege or setting that still differs afterwards fails the restore
 * (`RESTORE_PRIVILEGES_DIFFER`, `RESTORE_SETTINGS_DIFFER`) naming each object.
 */
export async function applyMetadata(
  client: pg.Client,
  database: string,
  metadata: BackupMetadata,
  options: { schemas: (schema: string) => boolean; privileges: boolean },
): Promise<{ checked: number; fixed: number; settings: number }> {
  const settingErrors = await applyDatabaseSettings(client, database, metadata.database_settings);
  const settingDiffs = diffSettings(metadata.database_settings, await readDatabaseSettings(client));
  if (settingDiffs.length > 0) {
    throw new RestoreError(
      'RESTORE_SETTINGS_DIFFER',
      `After the restore, the settings of database ${database} differ from the source's: ${settingDiffs.join('; ')}${settingErrors.length > 0 ? ` (${settingErrors.join('; ')})` : ''}. Fix: restore as the database owner or a superuser (ALTER ROLE … IN DATABASE needs CREATEROLE), or apply them yourself.`,
    );
  }
  if (!options.privileges || !metadata.acls) {
    return { checked: 0, fixed: 0, settings: metadata.database_settings.length };
  }
  const diffs = await diffAcls(client, metadata.acls, options.schemas);
  const { fixed, failed } = await reconcileAcls(client, diffs);
  const remaining = await diffAcls(client, metadata.acls, options.schemas);
  if (remaining.length > 0) {
    throw new RestoreError(
      'RESTORE_PRIVILEGES_DIFFER',
      `After the restore, ${remaining.length} privilege set(s) differ from the source's: ${remaining
        .slice(0, 8)
        .map(describe)
        .join('; ')}${
        failed.length > 0
          ? ` (could not set: ${failed
              .slice(0, 3)
              .map((f) => `${f.object}: ${f.error}`)
              .join('; ')})`
          : ''
      }. Fix: restore as a role that owns or may grant on these objects (the database owner or a superuser), or pass noPrivileges: true to keep the target's own privileges.`,
    );
  }
  return { checked: metadata.acls.length, fixed, settings: metadata.database_settings.length };
}

/** Refuses, before anything is written, a restore whose database settings the role may not set. */
export async function assertSettingsAllowed(
  client: pg.Client,
  metadata: BackupMetadata,
): Promise<void> {
  const forbidden = await forbiddenSettings(client, metadata.database_settings);
  if (forbidden.length === 0) return;
  const role = (await client.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u;
  throw new RestoreError(
    'RESTORE_SETTINGS_NOT_PERMITTED',
    `The source database has settings ${role} may not set on the target: ${forbidden.join(', ')}. Nothing was restored. Fix: as a superuser (supabase_admin) run ${forbidden.map((n) => `GRANT SET ON PARAMETER ${n} TO ${role}`).join('; ')}; or restore as a superuser.`,
  );
}
