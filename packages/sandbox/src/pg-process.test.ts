import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxStartError } from './errors.js';
import { launchPostmaster, logTail, pgCtlStop, processOptions } from './pg-process.js';

function fakePostgres(script: string): { binDir: string; dataDir: string; logFile: string } {
  const root = mkdtempSync(join(tmpdir(), 'pgproc-'));
  chmodSync(root, 0o755);
  const binDir = join(root, 'bin');
  mkdirSync(binDir);
  for (const bin of ['postgres', 'pg_ctl']) {
    writeFileSync(join(binDir, bin), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  }
  const dataDir = join(root, 'data');
  mkdirSync(dataDir);
  return { binDir, dataDir, logFile: join(root, 'server.log') };
}

const launch = (f: ReturnType<typeof fakePostgres>, timeoutMs?: number) =>
  launchPostmaster({
    ...f,
    port: 1,
    host: '127.0.0.1',
    socketDir: '',
    settings: { a: 1 },
    user: undefined,
    ...(timeoutMs ? { timeoutMs } : {}),
  });

describe('PostgreSQL processes', () => {
  it('hands a server only the harmless part of our environment', () => {
    process.env.SUPAOPS_TEST_SECRET = 'do-not-pass';
    try {
      const options = processOptions(undefined, '/tmp');
      expect(options.env.SUPAOPS_TEST_SECRET).toBeUndefined();
      expect(options.env.PATH).toBe(process.env.PATH);
      expect(options.cwd).toBe('/tmp');
      const asPg = processOptions({ uid: 101, gid: 104, home: '/var/lib/postgresql' }, '/');
      expect(asPg).toMatchObject({ uid: 101, gid: 104, env: { HOME: '/var/lib/postgresql' } });
    } finally {
      delete process.env.SUPAOPS_TEST_SECRET;
    }
  });

  it('reads what one start wrote to the log', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'log-')), 'log');
    expect(logTail(file)).toBeUndefined();
    writeFileSync(file, 'old run\nnew run\n');
    expect(logTail(file, 2000, 8)).toBe('new run\n');
    expect(logTail(file, 4)).toBe('run\n');
    // only the end is read, and a logged password is not repeated in an error
    writeFileSync(file, `${'x'.repeat(1_000_000)}\nSTATEMENT:  ALTER ROLE r PASSWORD 'p1'\n`);
    expect(logTail(file, 41)).toBe("x\nSTATEMENT:  ALTER ROLE r PASSWORD '***'\n");
    expect(logTail(file)?.length).toBe(2001); // 2000 chars read, 'p1' became '***'
  });

  it('reports a server that exits at once, with this start of the log', async () => {
    const f = fakePostgres('echo "FATAL:  could not bind IPv4 address" >&2; exit 1');
    writeFileSync(f.logFile, 'an earlier start\n');
    const error = await launch(f).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxStartError);
    expect((error as SandboxStartError).log).toMatch(/could not bind/);
    expect((error as SandboxStartError).log).not.toMatch(/earlier/);
    expect((error as Error).message).toMatch(/exited with code 1.+Fix: /s);
  });

  it('gives up on a server that never gets ready, within the bound', async () => {
    const f = fakePostgres('exec sleep 30');
    const error = await launch(f, 300).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/not ready after 300 ms/);
  });

  it('reports a pg_ctl stop that fails', async () => {
    const f = fakePostgres('exit 3');
    await expect(
      pgCtlStop({
        binDir: f.binDir,
        dataDir: f.dataDir,
        user: undefined,
        mode: 'fast',
        timeoutSec: 1,
      }),
    ).rejects.toThrow();
  });
});
