import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startPostgres, sweepStaleClusters, testkitRoot } from '../src/index.js';

const child = fileURLToPath(new URL('./fixtures/child-cluster.mjs', import.meta.url));

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function startChild(mode: 'exit' | 'wait') {
  const proc = spawn(process.execPath, [child, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
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

describe('startPostgres lifecycle', () => {
  it('starts a real server that answers, and stop() removes it', async () => {
    const cluster = await startPostgres({ maxConnections: 20 });
    const client = new pg.Client({ connectionString: cluster.url() });
    await client.connect();
    const { rows } = await client.query<{ v: string; mc: string; fsync: string }>(
      "SELECT current_setting('server_version_num') AS v, current_setting('max_connections') AS mc, current_setting('fsync') AS fsync",
    );
    await client.end();
    expect(Number(rows[0]!.v)).toBeGreaterThanOrEqual(140000);
    expect(rows[0]!.mc).toBe('20');
    expect(rows[0]!.fsync).toBe('off');
    await cluster.stop();
    expect(existsSync(dirname(cluster.dataDir))).toBe(false);
    expect(await portOpen(cluster.port)).toBe(false);
  });

  it('leaves no server behind when the process exits without stop()', async () => {
    const { info, exited } = startChild('exit');
    const { dataDir, port } = await info;
    await exited;
    expect(existsSync(dataDir)).toBe(false);
    expect(await portOpen(port)).toBe(false);
  });

  it('cleans up on SIGINT', async () => {
    const { proc, info, exited } = startChild('wait');
    const { dataDir, port } = await info;
    proc.kill('SIGINT');
    await exited;
    expect(existsSync(dataDir)).toBe(false);
    expect(await portOpen(port)).toBe(false);
  });

  it('sweeps the cluster of a SIGKILLed run on the next start', async () => {
    const { proc, info, exited } = startChild('wait');
    const { dataDir, port } = await info;
    proc.kill('SIGKILL');
    await exited;
    expect(existsSync(dataDir)).toBe(true);
    const { removed } = sweepStaleClusters(testkitRoot());
    expect(removed).toContain(dirname(dataDir));
    expect(existsSync(dataDir)).toBe(false);
    // the orphaned postmaster was shut down too; give it a moment to release the port
    let open = true;
    for (let i = 0; i < 50 && open; i++) {
      open = await portOpen(port);
      if (open) await new Promise((r) => setTimeout(r, 100));
    }
    expect(open).toBe(false);
  });
});
