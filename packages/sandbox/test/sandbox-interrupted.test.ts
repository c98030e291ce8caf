import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxStartError, sandboxStatus, startSandbox } from '../src/index.js';
import { freshHome } from './helpers.js';

const childScript = fileURLToPath(new URL('./fixtures/init-child.mjs', import.meta.url));
const fresh = freshHome('sandbox-interrupted-');
const env = fresh.env;
afterAll(() => fresh.cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** PostgreSQL 15 binaries whose initdb runs `initdb` (a shell body); pg_ctl always fails. */
function fakeBinaries(name: string, initdb: string): string {
  const dir = join(fresh.home, 'bin', name);
  mkdirSync(dir, { recursive: true });
  // as root the server's OS user runs them: the path must be traversable for it
  for (let d = dir; d !== fresh.home; d = join(d, '..')) chmodSync(d, 0o755);
  chmodSync(fresh.home, 0o755);
  writeFileSync(join(dir, 'postgres'), '#!/bin/sh\necho "postgres (PostgreSQL) 15.1"\n', {
    mode: 0o755,
  });
  writeFileSync(join(dir, 'initdb'), `#!/bin/sh\n${initdb}\n`, { mode: 0o755 });
  writeFileSync(join(dir, 'pg_ctl'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  return dir;
}

const pwFiles = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('pwfile-'));

/** Spawns a process starting the sandbox; resolves once its initdb runs (its pwfile exists). */
async function childInInitdb(
  dataDir: string,
  binDir: string,
): Promise<{ child: ChildProcess; clusterDir: string; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [childScript, dataDir, binDir], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stateFile = join(dataDir, 'state.json');
  // bounded: 20 s at 20 ms
  for (let i = 0; i < 1000; i++) {
    if (existsSync(stateFile)) {
      const { clusterDir } = JSON.parse(readFileSync(stateFile, 'utf8')) as { clusterDir: string };
      if (existsSync(join(clusterDir, `pwfile-${child.pid}`))) return { child, clusterDir, exited };
    }
    if (child.exitCode !== null) break;
    await sleep(20);
  }
  child.kill('SIGKILL');
  throw new Error(`the child never reached initdb (exit ${child.exitCode})`);
}

describe('a start ended while initdb runs leaves no password file behind', () => {
  const slow = fakeBinaries('slow', 'sleep 3\nexit 1');
  const broken = fakeBinaries('broken', 'echo broken >&2\nexit 1');

  it('SIGTERM: the ended process removes its own file', async () => {
    const { dataDir } = await sandboxStatus({ env });
    const { child, clusterDir, exited } = await childInInitdb(dataDir, slow);
    child.kill('SIGTERM');
    await exited;
    expect(child.signalCode).toBe('SIGTERM');
    expect(pwFiles(clusterDir)).toEqual([]);
  });

  it('SIGKILL: the next start removes the dead start file', async () => {
    const { dataDir } = await sandboxStatus({ env });
    const { child, clusterDir, exited } = await childInInitdb(dataDir, slow);
    child.kill('SIGKILL');
    await exited;
    expect(pwFiles(clusterDir)).toEqual([`pwfile-${child.pid}`]);
    const error = await startSandbox({ env, binDir: broken }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxStartError);
    expect(pwFiles(clusterDir)).toEqual([]);
  });
});
