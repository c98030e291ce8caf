import type pg from 'pg';
import { quoteIdent } from './connection.js';

/**
 * `ALTER DATABASE … SET` (role `null`) and `ALTER ROLE … IN DATABASE … SET` values of one
 * database, as pg_db_role_setting holds them (`name=value`). Supabase keeps `app.settings.*`
 * (the JWT secret among them) here: they travel in the encrypted metadata part, never in the
 * manifest. pg_dump without `--create` leaves them out.
 */
export interface DatabaseSetting {
  role: string | null;
  config: string[];
}

export async function readDatabaseSettings(client: pg.Client): Promise<DatabaseSetting[]> {
  const { rows } = await client.query<DatabaseSetting>(
    `SELECT CASE WHEN s.setrole = 0 THEN NULL ELSE pg_get_userbyid(s.setrole) END AS role,
            s.setconfig AS config
       FROM pg_db_role_setting s
      WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY 1 NULLS FIRST`,
  );
  return rows.map((r) => ({ role: r.role, config: [...r.config].sort() }));
}

// settings whose value is a list of identifiers (pg_dump's variable_is_guc_list_quote)
const LIST_SETTINGS = new Set([
  'local_preload_libraries',
  'search_path',
  'session_preload_libraries',
  'shared_preload_libraries',
  'temp_tablespaces',
  'unix_socket_directories',
]);

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** `name=value` as the `SET name = …` clause pg_dump would write for it. */
export function setClause(entry: string): string {
  const eq = entry.indexOf('=');
  const name = entry.slice(0, eq);
  const value = entry.slice(eq + 1);
  if (!LIST_SETTINGS.has(name.toLowerCase())) return `SET ${quoteIdent(name)} = ${literal(value)}`;
  const items = value
    .split(',')
    .map((item) => item.trim().replace(/^"(.*)"$/, '$1'))
    .filter(Boolean);
  return `SET ${quoteIdent(name)} = ${items.length > 0 ? items.map(literal).join(', ') : "''"}`;
}

/**
 * Makes the target database's settings exactly the source's: what the source had is set, what
 * only the target had is reset. Returns what could not be applied (e.g. role settings the
 * restoring role lacks the privilege for); the caller diffs again.
 */
export async function applyDatabaseSettings(
  client: pg.Client,
  database: string,
  source: DatabaseSetting[],
): Promise<string[]> {
  const current = await readDatabaseSettings(client);
  const failed: string[] = [];
  const scopes = new Set([...current, ...source].map((s) => s.role));
  for (const role of scopes) {
    const want = source.find((s) => s.role === role)?.config ?? [];
    const have = current.find((s) => s.role === role)?.config ?? [];
    if (want.join('\n') === have.join('\n')) continue;
    const scope = role
      ? `ALTER ROLE ${quoteIdent(role)} IN DATABASE ${quoteIdent(database)}`
      : `ALTER DATABASE ${quoteIdent(database)}`;
    try {
      await client.query(`${scope} RESET ALL`);
      for (const entry of want) await client.query(`${scope} ${setClause(entry)}`);
    } catch (error) {
      failed.push(
        `${role ? `role ${role} in ` : ''}database ${database}: ${(error as Error).message}`,
      );
    }
  }
  return failed;
}

/** Scopes whose settings differ between the source and the target. */
export function diffSettings(source: DatabaseSetting[], target: DatabaseSetting[]): string[] {
  const roles = new Set([...source, ...target].map((s) => s.role));
  const out: string[] = [];
  for (const role of roles) {
    const want = source.find((s) => s.role === role)?.config ?? [];
    const have = target.find((s) => s.role === role)?.config ?? [];
    if (want.join('\n') !== have.join('\n')) {
      // names only: values may be secrets (app.settings.jwt_secret)
      const names = (list: string[]) => list.map((e) => e.slice(0, e.indexOf('='))).join(', ');
      out.push(
        `${role ? `role ${role}` : 'database'} settings: expected [${names(want)}], found [${names(have)}]`,
      );
    }
  }
  return out;
}

/**
 * Settings of `source` the connected role may not set (neither user-settable nor granted with
 * `GRANT SET ON PARAMETER`): PostgreSQL 15 refuses placeholders such as `app.settings.*` in
 * `ALTER DATABASE … SET` to non-superusers without that grant. Checked before a restore writes.
 */
export async function forbiddenSettings(
  client: pg.Client,
  source: DatabaseSetting[],
): Promise<string[]> {
  const names = [
    ...new Set(
      source.flatMap((s) => s.config.map((e) => e.slice(0, e.indexOf('=')).toLowerCase())),
    ),
  ];
  if (names.length === 0) return [];
  const { rows } = await client.query<{ name: string }>(
    `SELECT n AS name FROM unnest($1::text[]) n
      WHERE NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
        AND NOT coalesce((SELECT s.context = 'user' FROM pg_settings s WHERE s.name = n), false)
        AND NOT has_parameter_privilege(n, 'SET')
      ORDER BY 1`,
    [names],
  );
  return rows.map((r) => r.name);
}
