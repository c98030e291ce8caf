// data.sql for the bundled template, written by supaops: a seed file with no statements.

/** `/volumes/db/init/data.sql`: where an operator may put seed data; empty by default. */
export const DATA_SQL = `-- Seed data of the supaops bundled Supabase template (written by supaops).
-- Empty on purpose: put INSERTs for a new database here. The template's compose does not mount
-- this file into the db service, so it only runs where you mount it yourself
-- (for example as /docker-entrypoint-initdb.d/seed.sql).
`;
