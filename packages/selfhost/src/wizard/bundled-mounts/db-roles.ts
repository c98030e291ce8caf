// roles.sql for the bundled template, written by supaops. Mounted as
// /docker-entrypoint-initdb.d/init-scripts/99-roles.sql: the image runs init-scripts once, on
// the first boot, with psql -v ON_ERROR_STOP=1 as `postgres` (then still a superuser) and the
// db service's env (POSTGRES_PASSWORD among it).

/** The login roles of the stack's services that roles.sql gives POSTGRES_PASSWORD. */
export const SERVICE_ROLES = [
  'authenticator',
  'pgbouncer',
  'supabase_auth_admin',
  'supabase_functions_admin',
  'supabase_storage_admin',
] as const;

/** `/volumes/db/roles.sql`: the services' roles get the password their URLs carry. */
export const ROLES_SQL = `-- Service role passwords of the supaops bundled Supabase template (written by supaops).
-- rest logs in as authenticator, auth as supabase_auth_admin, storage as supabase_storage_admin,
-- supavisor's auth_query as pgbouncer and database webhooks as supabase_functions_admin, each
-- with POSTGRES_PASSWORD (see their URLs in docker-compose.yml). Runs on the first boot only:
-- changing POSTGRES_PASSWORD later needs ALTER USER for these roles too.
\\getenv pgpass POSTGRES_PASSWORD
\\if :{?pgpass}
\\else
  \\set pgpass ''
\\endif
SELECT :'pgpass' = '' AS pgpass_missing \\gset
\\if :pgpass_missing
  DO $$ BEGIN RAISE EXCEPTION 'roles.sql: POSTGRES_PASSWORD is empty or not set in the db service env'; END $$;
\\endif

${SERVICE_ROLES.map((r) => `ALTER USER ${r} WITH PASSWORD :'pgpass';`).join('\n')}
`;
