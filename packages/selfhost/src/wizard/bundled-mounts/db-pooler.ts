// pooler.sql for the bundled template, written by supaops. Mounted as
// /docker-entrypoint-initdb.d/migrations/99-pooler.sql (first boot, psql as supabase_admin).

/** `/volumes/db/pooler.sql`: supavisor's metadata schema in _supabase. */
export const POOLER_SQL = `-- Supavisor schema of the supaops bundled Supabase template (written by supaops).
-- supavisor's DATABASE_URL is _supabase as supabase_admin; its migrations create their tables
-- in _supavisor.
\\c _supabase
CREATE SCHEMA IF NOT EXISTS _supavisor;
ALTER SCHEMA _supavisor OWNER TO supabase_admin;
`;
