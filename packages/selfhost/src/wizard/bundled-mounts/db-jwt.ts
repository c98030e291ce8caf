// jwt.sql for the bundled template, written by supaops. Mounted as
// /docker-entrypoint-initdb.d/init-scripts/99-jwt.sql (first boot, psql as the superuser
// `postgres`, the db service's env: JWT_SECRET and JWT_EXP).

/** `/volumes/db/jwt.sql`: the JWT secret and expiry as settings of the database. */
export const JWT_SQL = `-- JWT settings of the supaops bundled Supabase template (written by supaops).
-- SQL that signs or checks tokens in the database reads them as
-- current_setting('app.settings.jwt_secret') and current_setting('app.settings.jwt_exp').
-- They are set on the database psql is connected to (PGDATABASE, that is POSTGRES_DB).
\\getenv jwt_secret JWT_SECRET
\\getenv jwt_exp JWT_EXP
\\if :{?jwt_secret}
\\else
  \\set jwt_secret ''
\\endif
\\if :{?jwt_exp}
\\else
  \\set jwt_exp ''
\\endif
SELECT :'jwt_secret' = '' AS jwt_secret_missing, :'jwt_exp' = '' AS jwt_exp_default \\gset
\\if :jwt_secret_missing
  DO $$ BEGIN RAISE EXCEPTION 'jwt.sql: JWT_SECRET is empty or not set in the db service env'; END $$;
\\endif
\\if :jwt_exp_default
  \\set jwt_exp 3600
\\endif

ALTER DATABASE :"DBNAME" SET "app.settings.jwt_secret" TO :'jwt_secret';
ALTER DATABASE :"DBNAME" SET "app.settings.jwt_exp" TO :'jwt_exp';
`;
