import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxLockError, sandboxStatus, startSandbox, stopSandbox } from '../src/index.js';
import { freshHome, query } from './helpers.js';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./fixtures/start-child.mjs', import.meta.url));
const fresh = freshHome('sandbox-procs-');
const env = fresh.env;

afterAll(() => fresh.cleanup());

interface ChildReport {
  pid: number;
  port: number;
  reused: boolean;
  self: number;
}

async function startInChild(dataDir: string): Promise<ChildReport> {
  const { stdout } = await run(process.execPath, [child, dataDir], { timeout: 60_000 });
  return JSON.parse(stdout.trim());
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('one server per sandbox, across processes', () => {
  it('a second process reuses the running server, which outlives the process that started it', async () => {
    const { dataDir } = await sandboxStatus({ env });
    const first = await startInChild(dataDir);
    expect(first.reused).toBe(false);
    // the starting process has exited; its server runs on
    const second = await startInChild(dataDir);
    expect(second.reused).toBe(true);
    expect(second.pid).toBe(first.pid);
    expect(second.port).toBe(first.port);
    const here = await startSandbox({ env });
    expect(here.reused).toBe(true);
    expect(here.pid).toBe(first.pid);
  });

  it('two processes starting at once end with one server', async () => {
    const { dataDir } = await stopSandbox({ env });
    const reports = await Promise.all([startInChild(dataDir), startInChild(dataDir)]);
    expect(new Set(reports.map((r) => r.pid)).size).toBe(1);
    expect(reports.map((r) => r.reused).sort()).toEqual([false, true]);
    expect((await sandboxStatus({ env })).pid).toBe(reports[0]!.pid);
  });

  it('recovers a SIGKILLed server, even with a stuck child still holding its shared memory', async () => {
    const sandbox = await startSandbox({ env });
    await query(sandbox.url(), 'CREATE TABLE IF NOT EXISTS public.crash (n int)');
    await query(sandbox.url(), 'INSERT INTO public.crash VALUES (1)');
    const client = new pg.Client({ connectionString: sandbox.url() });
    client.on('error', () => undefined);
    await client.connect();
    const [{ pid: backend }] = (
      await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
    ).rows as [{ pid: number }];
    // a stopped backend cannot notice its postmaster died: it keeps the segment attached
    process.kill(backend, 'SIGSTOP');
    process.kill(sandbox.pid, 'SIGKILL');
    for (let i = 0; i < 100 && isAlive(sandbox.pid); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect((await sandboxStatus({ env })).state).toBe('stopped');

    const recovered = await startSandbox({ env });
    expect(recovered.reused).toBe(false);
    expect(recovered.pid).not.toBe(sandbox.pid);
    expect(isAlive(backend)).toBe(false);
    expect(await query(recovered.url(), 'SELECT n FROM public.crash')).toEqual([{ n: 1 }]);
    await client.end().catch(() => undefined);
  });

  it('breaks the lock of a dead process, and waits a bounded time for a live one', async () => {
    const { dataDir } = await stopSandbox({ env });
    const lockFile = join(dataDir, 'sandbox.lock');
    // 2^22 + 1 is above Linux's default pid_max, so no such process exists
    writeFileSync(lockFile, '4194305\n');
    const started = await startSandbox({ env });
    expect(started.reused).toBe(false);
    await stopSandbox({ env });
    writeFileSync(lockFile, `${process.pid}\n`);
    const error = await startSandbox({ env, lockTimeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxLockError);
    expect((error as SandboxLockError).holderPid).toBe(process.pid);
    expect((error as Error).message).toMatch(/Fix: /);
    rmSync(lockFile);
  });
});
