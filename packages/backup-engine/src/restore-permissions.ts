import type pg from 'pg';
import type { Connection } from './connection.js';
import { RestoreError } from './errors.js';
import type { TargetServer } from './restore-steps.js';

/**
 * What would make the restore fail at `CREATE DATABASE` or at the atomic swap, checked from the
 * catalogs: restoreBackup itself only finds out there (as `RESTORE_FAILED` from the server's
 * error), planRestore reports it up front. Codes: `RESTORE_TEMPLATE_MISSING`,
 * `RESTORE_NOT_PERMITTED`.
 */
export async function creationRefusals(
  admin: pg.Client,
  server: TargetServer,
  conn: Connection,
  template: string,
  options: { atomic?: boolean | undefined },
): Promise<RestoreError[]> {
  const out: RestoreError[] = [];
  const { rows } = await admin.query<{ name: string; istemplate: boolean; owned: boolean }>(
    `SELECT datname AS name, datistemplate AS istemplate,
            pg_has_role(current_user, datdba, 'USAGE') AS owned
       FROM pg_database WHERE datname = ANY($1)`,
    [[template, conn.database]],
  );
  const tpl = rows.find((r) => r.name === template);
  const existing = rows.find((r) => r.name === conn.database);
  const verb = `${server.role} may not create the database the restore writes into`;
  if (!server.superuser && !server.createdb) {
    out.push(
      new RestoreError(
        'RESTORE_NOT_PERMITTED',
        `${verb}: the role has no CREATEDB. Fix: ALTER ROLE ${server.role} CREATEDB (as a superuser), create the target database first and restore into it, or restore as a superuser.`,
      ),
    );
  }
  if (!tpl) {
    out.push(
      new RestoreError(
        'RESTORE_TEMPLATE_MISSING',
        `The template database "${template}" does not exist on the target server. Fix: pass an existing template (a Supabase backup needs a Supabase-initialised one), or omit it for template0.`,
      ),
    );
  } else if (!tpl.istemplate && !server.superuser && !tpl.owned) {
    out.push(
      new RestoreError(
        'RESTORE_NOT_PERMITTED',
        `${verb} from "${template}": it is not marked as a template and ${server.role} does not own it. Fix: ALTER DATABASE "${template}" IS_TEMPLATE true (as its owner), or restore as its owner or a superuser.`,
      ),
    );
  }
  if (options.atomic && existing) {
    if (conn.database === 'postgres') {
      out.push(
        new RestoreError(
          'RESTORE_NOT_PERMITTED',
          'An atomic restore cannot swap the database "postgres": the restore works from it, and PostgreSQL does not rename the database a session is connected to. Fix: restore without atomic (into an empty "postgres", or with clean), or into another database name.',
        ),
      );
    } else if (!server.superuser && !existing.owned) {
      out.push(
        new RestoreError(
          'RESTORE_NOT_PERMITTED',
          `An atomic restore renames "${conn.database}", which ${server.role} does not own. Fix: restore as its owner or a superuser, or without atomic.`,
        ),
      );
    }
  }
  return out;
}
