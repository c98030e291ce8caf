// realtime.sql for the bundled template, written by supaops. Mounted as
// /docker-entrypoint-initdb.d/migrations/99-realtime.sql (first boot, psql as supabase_admin).

/** `/volumes/db/realtime.sql`: realtime's own schema in the application database. */
export const REALTIME_SQL = `-- Realtime schema of the supaops bundled Supabase template (written by supaops).
-- realtime connects to POSTGRES_DB as supabase_admin and runs SET search_path TO _realtime
-- after connecting (DB_AFTER_CONNECT_QUERY): its tenants and migrations live here.
CREATE SCHEMA IF NOT EXISTS _realtime;
ALTER SCHEMA _realtime OWNER TO supabase_admin;
`;
