import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resetSandbox } from '@supaops/sandbox';
import { recordSandboxHome } from '@supaops/testkit';

export const CLI_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const REPO_ROOT = path.resolve(CLI_ROOT, '../..');
export const BIN = path.join(CLI_ROOT, 'dist/bin.js');
export const ENV_EXAMPLE = path.resolve(
  REPO_ROOT,
  '../shared/reference/supabase-selfhost/env.example',
);

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Written to stdin, which is then closed (stdin is always a pipe, never a TTY). */
  input?: string;
  timeoutMs?: number;
}

function assertBuilt(): void {
  if (!existsSync(BIN)) {
    throw new Error(
      `${BIN} is missing. Fix: pnpm --filter @supaops/cli build (the tests run the built binary).`,
    );
  }
}

/** Spawns `node dist/bin.js …`; the caller reads its output and decides when it ends. */
export function spawnCli(args: string[], options: RunOptions) {
  assertBuilt();
  return spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs the built CLI to completion (killed after timeoutMs) and captures everything. */
export function runCli(args: string[], options: RunOptions): Promise<CliResult> {
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface TempHome {
  root: string;
  home: string;
  project: string;
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

/** A temp HOME with its XDG dirs and an empty project dir; env for the CLI with nothing else set. */
export async function tempHome(extra: NodeJS.ProcessEnv = {}): Promise<TempHome> {
  const root = await mkdtemp(path.join(tmpdir(), 'supaops-cli-'));
  const home = path.join(root, 'home');
  const project = path.join(root, 'project');
  await mkdir(home, { recursive: true });
  await mkdir(project, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_STATE_HOME: path.join(home, '.local/state'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    LANG: 'C.UTF-8',
    ...(process.env.NODE_V8_COVERAGE ? { NODE_V8_COVERAGE: process.env.NODE_V8_COVERAGE } : {}),
    ...extra,
  };
  // a sandbox started under this HOME (an empty config, `supaops mcp`) has its cluster outside HOME
  // when we are root (under the postgres user's home): stop and delete it before removing HOME
  // the run's leak guard checks at its end that what was started here is gone
  recordSandboxHome(env);
  const cleanup = async () => {
    recordSandboxHome(env);
    await resetSandbox({ env }).catch(() => {});
    await rm(root, { recursive: true, force: true });
  };
  return { root, home, project, env, cleanup };
}

/** JSON of stdout; fails the test with the output when it is not one JSON document. */
export function json<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(
      `stdout is not JSON (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
}
