import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { MigrationFileError } from './errors.js';
import { type SplitStatement, splitStatementsWithOffsets } from './split-statements.js';

/** Marker comment (on a line of its own) for files that must run outside a transaction. */
export const NO_TRANSACTION_MARKER = '-- supaops:no-transaction';

const upPattern = /^([0-9]+)_(.*)\.sql$/;
const downPattern = /^([0-9]+)_(.*)\.down\.sql$/;

/** A down file found next to an up file. */
export interface LocalDownFile {
  file: string;
  path: string;
  sha256: string;
  sql: string;
  noTransaction: boolean;
}

/** A migration file on disk. */
export interface LocalMigration {
  version: string;
  name: string;
  /** File name, e.g. `20240101120000_create_todos.sql`. */
  file: string;
  path: string;
  sql: string;
  sha256: string;
  statements: SplitStatement[];
  noTransaction: boolean;
  down?: LocalDownFile;
}

export interface LocalScan {
  migrations: LocalMigration[];
  /** Files in the directory that are not migrations (skipped, as the CLI does). */
  skipped: string[];
  /** Down files with no matching up file. */
  orphanDownFiles: string[];
  /**
   * Down files next to the up files. The Supabase CLI reads them as migrations (version
   * `<version>`, name `<name>.down`), so `supabase db push` would run them: keep them in the
   * down directory instead.
   */
  cliVisibleDownFiles: string[];
  /** False when the directory does not exist (treated as empty). */
  exists: boolean;
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export function hasNoTransactionMarker(sql: string): boolean {
  return sql.split(/\r?\n/).some((line) => line.trim().toLowerCase() === NO_TRANSACTION_MARKER);
}

/**
 * Orders versions as the Supabase CLI orders its files: by file name as text. The CLI reads
 * `fs.ReadDir` (sorted by name, byte order) and merges with the history by string comparison
 * (pkg/migration/list.go ListLocalMigrations, apply.go FindPendingMigrations), so
 * `20240130_x.sql` runs between `20240101000000_a.sql` and `20240201000000_b.sql`, not first.
 * Two names with different versions differ inside `<version>_`, so comparing `version + '_'`
 * is comparing the names; it also puts `20240130120000` before its prefix `20240130`, as the
 * directory listing does (digits sort before `_`).
 */
export function compareVersions(a: string, b: string): number {
  const ka = `${a}_`;
  const kb = `${b}_`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

async function listDir(dir: string): Promise<string[] | undefined> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MigrationFileError(
      'MIGRATION_DIR_UNREADABLE',
      `Cannot read the migrations directory "${dir}": ${(error as Error).message}. Fix: check the path and its permissions.`,
      { cause: error },
    );
  }
}

/**
 * Reads the migrations directory: up files, skipped names, and the optional `.down.sql`
 * partners from `downDir` (default `<dir>/down`) or, CLI-unsafe, next to the up files.
 */
export async function scanMigrations(dir: string, downDir = join(dir, 'down')): Promise<LocalScan> {
  const names = await listDir(dir);
  if (!names) {
    return {
      migrations: [],
      skipped: [],
      orphanDownFiles: [],
      cliVisibleDownFiles: [],
      exists: false,
    };
  }
  names.sort();
  const ups: { version: string; name: string; file: string }[] = [];
  const downs = new Map<string, string>();
  const cliVisibleDownFiles: string[] = [];
  const skipped: string[] = [];
  const addDown = (version: string, rel: string) => {
    const other = downs.get(version);
    if (other) {
      throw new MigrationFileError(
        'MIGRATION_DUPLICATE_VERSION',
        `Two down files share version ${version}: "${other}" and "${rel}". Fix: keep one of them.`,
      );
    }
    downs.set(version, rel);
  };
  const downDirName = resolve(dirname(downDir)) === resolve(dir) ? basename(downDir) : undefined;
  for (const file of (await listDir(downDir)) ?? []) {
    const down = downPattern.exec(file);
    if (down) addDown(down[1] as string, relative(dir, join(downDir, file)));
  }
  for (const [index, file] of names.entries()) {
    if (file === downDirName) continue;
    // like the CLI: a first file `<timestamp>_init.sql` older than 20211209000000 is skipped
    const init = index === 0 ? /^([0-9]{14})_init\.sql$/.exec(file) : null;
    if (init && BigInt(init[1] as string) < 20211209000000n) {
      skipped.push(file);
      continue;
    }
    const down = downPattern.exec(file);
    if (down) {
      addDown(down[1] as string, file);
      cliVisibleDownFiles.push(file);
      continue;
    }
    const up = upPattern.exec(file);
    if (up) ups.push({ version: up[1] as string, name: up[2] as string, file });
    else skipped.push(file);
  }
  const seen = new Map<string, string>();
  for (const u of ups) {
    const other = seen.get(u.version);
    if (other) {
      throw new MigrationFileError(
        'MIGRATION_DUPLICATE_VERSION',
        `Two migration files share version ${u.version}: "${other}" and "${u.file}". Fix: rename one of them to a unique timestamp.`,
      );
    }
    seen.set(u.version, u.file);
  }
  const read = async (file: string) => {
    try {
      const bytes = await readFile(join(dir, file));
      return { bytes, text: bytes.toString('utf8') };
    } catch (error) {
      throw new MigrationFileError(
        'MIGRATION_FILE_UNREADABLE',
        `Cannot read migration file "${file}": ${(error as Error).message}. Fix: check its permissions.`,
        { cause: error },
      );
    }
  };
  const load = async (u: (typeof ups)[number]): Promise<LocalMigration> => {
    const { bytes, text: sql } = await read(u.file);
    const m: LocalMigration = {
      ...u,
      path: join(dir, u.file),
      sql,
      sha256: sha256(bytes),
      statements: splitStatementsWithOffsets(sql),
      noTransaction: hasNoTransactionMarker(sql),
    };
    const downFile = downs.get(u.version);
    if (downFile) {
      const { bytes: downBytes, text: downSql } = await read(downFile);
      m.down = {
        file: downFile,
        path: join(dir, downFile),
        sha256: sha256(downBytes),
        sql: downSql,
        noTransaction: hasNoTransactionMarker(downSql),
      };
      downs.delete(u.version);
    }
    return m;
  };
  // bounded parallelism: fast on big directories without running out of file descriptors
  const migrations: LocalMigration[] = [];
  for (let i = 0; i < ups.length; i += 64) {
    migrations.push(...(await Promise.all(ups.slice(i, i + 64).map(load))));
  }
  migrations.sort((a, b) => compareVersions(a.version, b.version));
  return {
    migrations,
    skipped,
    orphanDownFiles: [...downs.values()],
    cliVisibleDownFiles,
    exists: true,
  };
}

/** `YYYYMMDDHHMMSS` in UTC, the layout `supabase migration new` uses. */
export function timestampVersion(date: Date): string {
  const p = (v: number, w = 2) => String(v).padStart(w, '0');
  return (
    p(date.getUTCFullYear(), 4) +
    p(date.getUTCMonth() + 1) +
    p(date.getUTCDate()) +
    p(date.getUTCHours()) +
    p(date.getUTCMinutes()) +
    p(date.getUTCSeconds())
  );
}

export interface NewMigrationResult {
  version: string;
  name: string;
  path: string;
  downPath?: string;
}

/**
 * Creates `<14-digit UTC timestamp>_<name>.sql` (and optionally its `.down.sql`). When the
 * timestamp is taken, the next free second is used so two quick calls never collide.
 */
export async function createMigrationFile(
  dir: string,
  name: string,
  options: { now: Date; down: boolean; sql?: string; downDir?: string },
): Promise<NewMigrationResult> {
  const downDir = options.downDir ?? join(dir, 'down');
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new MigrationFileError(
      'MIGRATION_DIR_UNWRITABLE',
      `Cannot create the migrations directory "${dir}": ${(error as Error).message}. Fix: check the path and its permissions.`,
      { cause: error },
    );
  }
  const scan = await scanMigrations(dir, downDir);
  const taken = new Set(scan.migrations.map((m) => m.version));
  let at = options.now.getTime();
  let version = timestampVersion(new Date(at));
  for (let i = 0; i < 3600 && taken.has(version); i++) {
    at += 1000;
    version = timestampVersion(new Date(at));
  }
  const path = join(dir, `${version}_${name}.sql`);
  const result: NewMigrationResult = { version, name, path };
  try {
    await writeFile(path, options.sql ?? '', { flag: 'wx' });
    if (options.down) {
      result.downPath = join(downDir, `${version}_${name}.down.sql`);
      await mkdir(downDir, { recursive: true });
      await writeFile(result.downPath, '', { flag: 'wx' });
    }
  } catch (error) {
    throw new MigrationFileError(
      'MIGRATION_FILE_UNWRITABLE',
      `Cannot create migration file "${path}": ${(error as Error).message}. Fix: check the directory permissions.`,
      { cause: error },
    );
  }
  return result;
}
