// logs.sql for the bundled template, written by supaops. Mounted as
// /docker-entrypoint-initdb.d/migrations/99-logs.sql (first boot, psql as supabase_admin).

/** `/volumes/db/logs.sql`: analytics' schema in _supabase. */
export const LOGS_SQL = `-- Analytics (Logflare) schema of the supaops bundled Supabase template (written by supaops).
-- The analytics service connects to _supabase as supabase_admin with DB_SCHEMA=_analytics.
\\c _supabase
CREATE SCHEMA IF NOT EXISTS _analytics;
ALTER SCHEMA _analytics OWNER TO supabase_admin;
`;
