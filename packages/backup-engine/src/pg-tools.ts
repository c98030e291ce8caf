import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { PgToolError, PgToolVersionError } from './errors.js';
import { redactText } from './redact.js';
import { parseInput } from './validation.js';

const run = promisify(execFile);

export type PgToolName = 'pg_dump' | 'pg_restore' | 'pg_dumpall' | 'psql';

export interface PgTool {
  name: PgToolName;
  path: string;
  /** e.g. `15.18` */
  version: string;
  major: number;
}

export interface FindPgToolOptions {
  /** Directory searched first (overrides PG_BIN). */
  pgBin?: string;
  /** The tool must have at least this major (pg_dump/pg_dumpall: the server's major). */
  minMajor?: number;
  env?: NodeJS.ProcessEnv;
  /** Roots searched for `<major>/bin`; default `/usr/lib/postgresql`. */
  versionedRoots?: string[];
}

const optionsSchema = z
  .object({
    pgBin: z.string().min(1).optional(),
    minMajor: z.number().int().min(9).max(99).optional(),
    env: z.record(z.string(), z.string().optional()).optional(),
    versionedRoots: z.array(z.string()).optional(),
  })
  .strict();

/** Parses `pg_dump (PostgreSQL) 15.18 (Debian …)` into `{ version, major }`. */
export function parsePgVersion(output: string): { version: string; major: number } | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return undefined;
  const major = Number(match[1]);
  return { version: match[2] === undefined ? match[1]! : `${match[1]}.${match[2]}`, major };
}

function candidateDirs(options: FindPgToolOptions, env: NodeJS.ProcessEnv): string[] {
  // an explicit directory is the only place looked at; PG_BIN is a preference with fallbacks
  if (options.pgBin) return [options.pgBin];
  const dirs: string[] = [];
  if (env.PG_BIN) dirs.push(env.PG_BIN);
  dirs.push(...(env.PATH ?? '').split(delimiter).filter(Boolean));
  for (const root of options.versionedRoots ?? ['/usr/lib/postgresql']) {
    if (!existsSync(root)) continue;
    const majors = readdirSync(root)
      .map((entry) => Number.parseInt(entry, 10))
      .filter((n) => Number.isFinite(n))
      .sort((a, b) => b - a);
    for (const major of majors) dirs.push(join(root, String(major), 'bin'));
  }
  return [...new Set(dirs)];
}

/**
 * Finds a PostgreSQL client tool: only in `pgBin` when given; otherwise PG_BIN, then PATH, then
 * `/usr/lib/postgresql/<major>/bin` (newest first). With `minMajor`, the first tool whose major
 * is at least that wins; if none is, PgToolVersionError names the major needed.
 */
export async function findPgTool(
  name: PgToolName,
  options: FindPgToolOptions = {},
): Promise<PgTool> {
  const opts = parseInput(optionsSchema, options, 'findPgTool options');
  parseInput(z.enum(['pg_dump', 'pg_restore', 'pg_dumpall', 'psql']), name, 'tool name');
  const env = (opts.env ?? process.env) as NodeJS.ProcessEnv;
  const found: PgTool[] = [];
  for (const dir of candidateDirs(opts, env)) {
    const path = join(dir, name);
    if (!existsSync(path) || found.some((t) => t.path === path)) continue;
    try {
      const { stdout } = await run(path, ['--version'], { timeout: 10_000 });
      const parsed = parsePgVersion(stdout);
      if (!parsed) continue;
      const tool: PgTool = { name, path, ...parsed };
      if (opts.minMajor === undefined || tool.major >= opts.minMajor) return tool;
      found.push(tool);
    } catch {
      // not runnable: try the next one
    }
  }
  if (opts.minMajor !== undefined && found.length > 0) {
    throw new PgToolVersionError(
      'PG_TOOL_TOO_OLD',
      `${name} ${opts.minMajor} or newer is needed (the server is PostgreSQL ${opts.minMajor}), but only ${found.map((t) => `${t.version} at ${t.path}`).join(', ')} was found. ` +
        `Fix: install the PostgreSQL ${opts.minMajor} client tools (Debian: apt-get install postgresql-client-${opts.minMajor}) and point PG_BIN or pgBin at their bin directory.`,
      { tool: name, requiredMajor: opts.minMajor },
    );
  }
  throw new PgToolVersionError(
    'PG_TOOL_NOT_FOUND',
    `${name} was not found on PG_BIN, PATH or /usr/lib/postgresql/<major>/bin. Fix: install the PostgreSQL client tools${opts.minMajor ? ` (major ${opts.minMajor} or newer)` : ''} or set PG_BIN.`,
    { tool: name, ...(opts.minMajor ? { requiredMajor: opts.minMajor } : {}) },
  );
}

export interface RunningTool {
  child: ChildProcess;
  /** Resolves on exit code 0, rejects with PgToolError (redacted stderr) otherwise. */
  exited: Promise<void>;
  stderr(): string;
}

/** Spawns a tool with its stderr captured (last 16 KiB) and redacted. */
export function spawnTool(
  tool: PgTool,
  args: string[],
  options: {
    env: NodeJS.ProcessEnv;
    stdin: 'pipe' | 'ignore';
    stdout: 'pipe' | 'ignore';
    secrets: (string | undefined)[];
  },
): RunningTool {
  const child = spawn(tool.path, args, {
    env: options.env,
    stdio: [options.stdin, options.stdout, 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-16_384);
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', (error) =>
      reject(
        new PgToolError(
          'PG_TOOL_SPAWN_FAILED',
          `Could not start ${tool.path}: ${error.message}. Fix: check the PostgreSQL client installation.`,
          { cause: error, stderr: '', exitCode: null },
        ),
      ),
    );
    child.once('close', (code, signal) => {
      if (code === 0) return resolve();
      const clean = redactText(stderr.trim(), options.secrets);
      reject(
        new PgToolError(
          `${tool.name.toUpperCase()}_FAILED`,
          `${tool.name} ${tool.version} exited with ${code ?? signal}: ${clean.slice(-2000) || '(no output)'}. Fix: read the message above; permission errors need a role that can read the objects.`,
          { stderr: clean, exitCode: code },
        ),
      );
    });
  });
  exited.catch(() => {});
  return { child, exited, stderr: () => redactText(stderr, options.secrets) };
}
