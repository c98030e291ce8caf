import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DeployLockTimeoutError,
  deployLockKey,
  lockFilePath,
  withDeployLock,
} from '../src/index.js';

const CHILD = fileURLToPath(new URL('./deploy-lock-child.mjs', import.meta.url));
const KEY = deployLockKey('https://dokploy.acme.dev/api', 'srv-1');

interface Child {
  proc: ChildProcess;
  /** Resolves with the first stdout line starting with `prefix` (rejects if the child exits first). */
  next(prefix: string): Promise<string>;
  lines: string[];
  exited: Promise<number | null>;
}

const children: Child[] = [];
let dir: string | undefined;
afterEach(async () => {
  for (const c of children.splice(0)) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function start(lockDir: string, timeoutMs = 30_000): Child {
  const proc = spawn(process.execPath, [CHILD, lockDir, KEY, String(timeoutMs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, HOME: lockDir, XDG_STATE_HOME: lockDir, NODE_NO_WARNINGS: '1' },
  });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (l: string) => void }[] = [];
  createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    lines.push(line);
    for (const w of waiters.filter((x) => line.startsWith(x.prefix))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const child: Child = {
    proc,
    lines,
    exited,
    next: (prefix) => {
      const seen = lines.find((l) => l.startsWith(prefix));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ prefix, resolve });
        void exited.then((code) =>
          reject(new Error(`child exited (${code}) before "${prefix}": ${lines.join(' | ')}`)),
        );
      });
    },
  };
  children.push(child);
  return child;
}

const release = (c: Child) => c.proc.stdin?.write('release\n');

describe('the deploy lock across processes (two real child processes, one server key)', () => {
  it('the second process waits for the first, naming it, then deploys after it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploy-lock-'));
    const a = start(dir);
    await a.next('holding');
    const lockFile = lockFilePath(dir, KEY);
    const held = JSON.parse(await readFile(lockFile, 'utf8'));
    expect(held).toMatchObject({ pid: a.proc.pid, host: hostname(), key: KEY });
    expect(held.purpose).toBe(`child ${a.proc.pid}`);

    const b = start(dir);
    expect(await b.next('waiting')).toBe(`waiting ${a.proc.pid}`);
    expect(b.lines.some((l) => l.startsWith('holding'))).toBe(false);
    release(a);
    expect(await b.next('holding')).toBe(`holding ${b.proc.pid}`);
    expect(await a.exited).toBe(0);
    expect(JSON.parse(await readFile(lockFile, 'utf8')).pid).toBe(b.proc.pid);
    release(b);
    expect(await b.exited).toBe(0);
    expect(a.lines).toEqual([`holding ${a.proc.pid}`, 'released']);
    expect(b.lines).toEqual([`waiting ${a.proc.pid}`, `holding ${b.proc.pid}`, 'released']);
    expect(existsSync(lockFile)).toBe(false);
  });

  it('a holder that was killed leaves a stale file the next process takes over at once', async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploy-lock-'));
    const a = start(dir);
    await a.next('holding');
    a.proc.kill('SIGKILL');
    await a.exited;
    const lockFile = lockFilePath(dir, KEY);
    expect(JSON.parse(await readFile(lockFile, 'utf8')).pid).toBe(a.proc.pid); // left behind
    const b = start(dir);
    expect(await b.next('holding')).toBe(`holding ${b.proc.pid}`);
    expect(b.lines.some((l) => l.startsWith('waiting'))).toBe(false);
    release(b);
    expect(await b.exited).toBe(0);
  });

  it('the wait is bounded: DeployLockTimeoutError names the live holder (and this process waits too)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploy-lock-'));
    const lockDir = dir;
    const a = start(lockDir);
    await a.next('holding');
    const b = start(lockDir, 200);
    const failed = await b.next('error');
    expect(failed).toContain('SELFHOST_DEPLOY_LOCK_TIMEOUT');
    expect(failed).toContain(`process ${a.proc.pid} on ${hostname()} (child ${a.proc.pid})`);
    expect(await b.exited).toBe(3);
    // the in-process caller (another face in this test's process) meets the same lock file
    const error = await withDeployLock(KEY, async () => 'deployed', {
      lockDir,
      timeoutMs: 100,
      pollMs: 10,
    }).catch((e: unknown) => e);
    expect(DeployLockTimeoutError.isInstance(error)).toBe(true);
    expect((error as DeployLockTimeoutError).holder?.pid).toBe(a.proc.pid);
    release(a);
    expect(await a.exited).toBe(0);
    expect(await withDeployLock(KEY, async () => 'deployed', { lockDir })).toBe('deployed');
  });
});
