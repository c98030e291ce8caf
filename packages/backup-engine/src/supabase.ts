/**
 * Schemas the Supabase CLI's `db dump` leaves out because the platform (the supabase/postgres
 * image, GoTrue, Storage, Realtime, extensions) creates and migrates them
 * (supabase/cli `pkg/migration/dump.go` InternalSchemas). pg_dump patterns.
 */
export const SUPABASE_MANAGED_SCHEMAS = [
  'information_schema',
  'pg_*',
  '_analytics',
  '_realtime',
  '_supavisor',
  'auth',
  'extensions',
  'pgbouncer',
  'realtime',
  'storage',
  'supabase_functions',
  'supabase_migrations',
  'cron',
  'dbdev',
  'graphql',
  'graphql_public',
  'net',
  'pgmq',
  'pgsodium',
  'pgsodium_masks',
  'pgtle',
  'repack',
  'tiger',
  'tiger_data',
  'timescaledb_*',
  '_timescaledb_*',
  'topology',
  'vault',
] as const;

/**
 * Managed schemas whose *data* is the users' own (accounts, sessions, storage object rows):
 * kept, data only, in the `supabase-data` part, as the CLI's `db dump --data-only` keeps them.
 */
export const SUPABASE_DATA_SCHEMAS = ['auth', 'storage'] as const;

/** Tables of those schemas owned by the platform's own migrators: never dumped (as in the CLI). */
export const SUPABASE_EXCLUDED_DATA_TABLES = [
  'auth.schema_migrations',
  'storage.migrations',
  'supabase_functions.migrations',
] as const;

/** Roles that exist on every Supabase instance: commented out of the roles part. */
export const SUPABASE_RESERVED_ROLES = [
  'anon',
  'authenticated',
  'authenticator',
  'dashboard_user',
  'pgbouncer',
  'postgres',
  'service_role',
  'supabase_admin',
  'supabase_auth_admin',
  'supabase_functions_admin',
  'supabase_read_only_user',
  'supabase_realtime_admin',
  'supabase_replication_admin',
  'supabase_storage_admin',
  'pgsodium_keyholder',
  'pgsodium_keyiduser',
  'pgsodium_keymaker',
  'pg_*',
] as const;

/** Converts a pg_dump-style pattern (`*`, `?`, no quoting) into an anchored RegExp. */
export function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

export function matchesAny(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => patternToRegExp(p).test(name));
}

/**
 * Matches a table against `schema.table` patterns; an unqualified pattern matches tables in
 * `public` (pg_dump matches unqualified names on the search_path, normally `public`).
 */
export function tableMatches(schema: string, table: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const dot = pattern.indexOf('.');
    const [s, t] = dot < 0 ? ['public', pattern] : [pattern.slice(0, dot), pattern.slice(dot + 1)];
    return patternToRegExp(s).test(schema) && patternToRegExp(t).test(table);
  });
}

/**
 * Comments out CREATE/ALTER ROLE lines of reserved roles in a `pg_dumpall --roles-only` script,
 * except their settings (`ALTER ROLE authenticator SET statement_timeout …`): those are the
 * instance's own configuration, which a restore onto another instance should carry over.
 */
export function commentReservedRoles(sql: string): string {
  return sql
    .split('\n')
    .map((line) => {
      const match = /^(CREATE|ALTER) ROLE ("(?:[^"]|"")+"|[^";\s]+)( SET | IN DATABASE )?/.exec(
        line,
      );
      if (!match || match[3]) return line;
      const name = match[2]!.replace(/^"(.*)"$/, '$1').replace(/""/g, '"');
      return matchesAny(name, SUPABASE_RESERVED_ROLES) ? `-- ${line}` : line;
    })
    .join('\n');
}
