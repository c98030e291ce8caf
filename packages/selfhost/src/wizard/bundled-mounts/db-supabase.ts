// _supabase.sql for the bundled template, written by supaops. Mounted as
// /docker-entrypoint-initdb.d/migrations/97-_supabase.sql: migrations run after the init
// scripts, as supabase_admin, so it comes before logs.sql and pooler.sql (99-).

/** `/volumes/db/_supabase.sql`: the internal database of analytics and supavisor. */
export const SUPABASE_DB_SQL = `-- The _supabase database of the supaops bundled Supabase template (written by supaops).
-- analytics (Logflare, schema _analytics) and supavisor (schema _supavisor) keep their own
-- tables there, apart from the application's database. CREATE DATABASE cannot run in a
-- transaction or a DO block, so psql decides whether it is needed.
SELECT NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '_supabase') AS create_supabase_db \\gset
\\if :create_supabase_db
  CREATE DATABASE _supabase WITH OWNER supabase_admin;
\\endif
`;
