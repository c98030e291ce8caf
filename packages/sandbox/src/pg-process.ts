import { execFile, spawn } from 'node:child_process';
import { chownSync, closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { SandboxStartError } from './errors.js';
import { redactLogText } from './log-redact.js';
import type { OsUser } from './os-user.js';
import { readPostmasterPid } from './postmaster.js';

const run = promisify(execFile);

// A long-lived server gets only what it needs from our environment, never our secrets
const KEPT_ENV = ['PATH', 'TZ', 'LANG', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'TMPDIR'];

/** uid/gid/env for a PostgreSQL program, run as `user` when we are root. */
// The working directory is one the server's user can enter: initdb and pg_ctl complain when
// they cannot resolve their current directory (root's home is closed to `postgres`)
export function processOptions(
  user: OsUser | undefined,
  cwd: string,
): { uid?: number; gid?: number; env: NodeJS.ProcessEnv; cwd: string } {
  const env: NodeJS.ProcessEnv = {};
  for (const key of KEPT_ENV) if (process.env[key] !== undefined) env[key] = process.env[key];
  if (!user) return { env: { ...env, HOME: process.env.HOME }, cwd };
  return { uid: user.uid, gid: user.gid, env: { ...env, HOME: user.home }, cwd };
}

/**
 * The end of a log, from byte `from` on (what one start wrote), password values as `***`. Only
 * the last bytes are read: a long-lived sandbox's log can be large.
 */
export function logTail(logFile: string, chars = 2000, from = 0): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(logFile, 'r');
    const { size } = fstatSync(fd);
    // a UTF-8 character is at most 4 bytes
    const start = Math.max(from, size - chars * 4);
    const buf = Buffer.alloc(Math.max(0, size - start));
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, start + got);
      if (n === 0) break;
      got += n;
    }
    return redactLogText(buf.subarray(0, got).toString('utf8').slice(-chars)) || undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export interface InitdbOptions {
  binDir: string;
  dataDir: string;
  superuser: string;
  /** File holding the superuser's password, readable by `user`. */
  pwFile: string;
  user: OsUser | undefined;
  /** Whether initdb syncs its files to disk; ephemeral clusters skip it. */
  sync: boolean;
}

export async function runInitdb(options: InitdbOptions): Promise<void> {
  await run(
    join(options.binDir, 'initdb'),
    [
      '-D',
      options.dataDir,
      '-U',
      options.superuser,
      `--pwfile=${options.pwFile}`,
      '--auth-host=scram-sha-256',
      '--auth-local=scram-sha-256',
      '-E',
      'UTF8',
      '--locale=C',
      ...(options.sync ? [] : ['--no-sync']),
    ],
    { ...processOptions(options.user, dirname(options.dataDir)), timeout: 300_000 },
  );
}

export interface LaunchOptions {
  binDir: string;
  dataDir: string;
  port: number;
  host: string;
  /** Unix socket directory; '' turns unix sockets off. */
  socketDir: string;
  settings: Record<string, string | number>;
  logFile: string;
  user: OsUser | undefined;
  /** Bound on the wait for "ready" (crash recovery can take a while). Default 60 s. */
  timeoutMs?: number;
}

const POLL_MS = 10;

/**
 * Starts `postgres` detached (its own session, it outlives us) and resolves once its
 * postmaster.pid says `ready`, which is what `pg_ctl start -w` waits for, polled finer
 * than pg_ctl's 100 ms so a start costs what the server costs.
 */
export async function launchPostmaster(options: LaunchOptions): Promise<{ pid: number }> {
  const logStart = fileSize(options.logFile);
  const logFd = openSync(options.logFile, 'a', 0o600);
  if (options.user) chownSync(options.logFile, options.user.uid, options.user.gid);
  const args = [
    '-D',
    options.dataDir,
    '-p',
    String(options.port),
    '-h',
    options.host,
    '-k',
    options.socketDir,
    ...Object.entries(options.settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
  ];
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(join(options.binDir, 'postgres'), args, {
      ...processOptions(options.user, dirname(options.dataDir)),
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
  } finally {
    closeSync(logFd);
  }
  let exit: string | undefined;
  child.once('error', (error) => {
    exit = error.message;
  });
  child.once('exit', (code, signal) => {
    exit = `postgres exited with ${signal ?? `code ${code}`}`;
  });
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  try {
    while (Date.now() < deadline) {
      if (exit) break;
      const pidFile = readPostmasterPid(options.dataDir);
      if (pidFile && pidFile.pid === child.pid && pidFile.status === 'ready') {
        return { pid: pidFile.pid };
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    if (!exit) {
      child.kill('SIGQUIT');
      exit = `postgres was not ready after ${options.timeoutMs ?? 60_000} ms`;
    }
    throw new SandboxStartError(
      `Could not start PostgreSQL (${join(options.binDir, 'postgres')}) on ${options.host}:${options.port}: ${exit}. ` +
        `Fix: read the server log ${options.logFile}; a port in use or an unusable data directory are the usual causes.`,
      logTail(options.logFile, 2000, logStart),
    );
  } finally {
    child.removeAllListeners();
    child.unref();
  }
}

export interface StopOptions {
  binDir: string;
  dataDir: string;
  user: OsUser | undefined;
  mode: 'smart' | 'fast' | 'immediate';
  timeoutSec?: number;
}

/** `pg_ctl stop -m <mode> -w`, as the server's OS user. */
export async function pgCtlStop(options: StopOptions): Promise<void> {
  await run(
    join(options.binDir, 'pg_ctl'),
    [
      '-D',
      options.dataDir,
      '-m',
      options.mode,
      '-w',
      '-t',
      String(options.timeoutSec ?? 60),
      'stop',
    ],
    {
      ...processOptions(options.user, dirname(options.dataDir)),
      timeout: ((options.timeoutSec ?? 60) + 10) * 1000,
    },
  );
}
