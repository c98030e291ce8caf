import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  findPgBinaries,
  isRoot,
  resetSandbox,
  SandboxStartError,
  SandboxStateError,
  SandboxUnreachableError,
  SandboxValidationError,
  SandboxVersionMismatchError,
  sandboxStatus,
  startSandbox,
  stopSandbox,
} from '../src/index.js';
import { freshHome } from './helpers.js';

const fresh = freshHome('sandbox-errors-');
const env = fresh.env;
const scratch = mkdtempSync(join(tmpdir(), 'sandbox-errors-scratch-'));

// sandboxes on data dirs in the scratch dir: as root a failed start keeps its cluster dir (and
// log) outside them, under the postgres user's home, until they are reset
const scratchSandboxes = ['never', 'closed', 'closed-bin', 'nobin'].map((d) => join(scratch, d));

afterAll(async () => {
  await fresh.cleanup();
  for (const dataDir of scratchSandboxes) await resetSandbox({ dataDir, lockTimeoutMs: 30_000 });
  rmSync(scratch, { recursive: true, force: true });
});

function listen(port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** Binaries that say they are PostgreSQL `version` but cannot do anything. */
function fakeBinaries(version: string): string {
  const dir = join(scratch, `fake-${version}`);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(scratch, 0o755);
  writeFileSync(join(dir, 'postgres'), `#!/bin/sh\necho "postgres (PostgreSQL) ${version}"\n`, {
    mode: 0o755,
  });
  for (const bin of ['initdb', 'pg_ctl']) {
    writeFileSync(join(dir, bin), '#!/bin/sh\necho broken >&2\nexit 1\n', { mode: 0o755 });
  }
  return dir;
}

describe('sandbox failures are typed and say how to fix them', () => {
  it('rejects bad options', async () => {
    await expect(startSandbox({ port: 0 })).rejects.toBeInstanceOf(SandboxValidationError);
    await expect(sandboxStatus({ binaries: 'docker' } as never)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('reports absent, and stop/reset do nothing, where no sandbox ever was', async () => {
    const dataDir = join(scratch, 'never');
    expect((await stopSandbox({ dataDir })).state).toBe('absent');
    expect((await resetSandbox({ dataDir })).state).toBe('absent');
  });

  it('removes a failed first init, so the next start retries', async () => {
    const error = await startSandbox({ env, binDir: fakeBinaries('15.1') }).catch((e) => e);
    expect(error).toBeInstanceOf(SandboxStartError);
    expect((error as Error).message).toMatch(/Fix: /);
    expect((await sandboxStatus({ env })).state).toBe('absent');
  });

  it('moves off a kept port another program took, and records the new one', async () => {
    const first = await startSandbox({ env });
    const kept = first.port;
    await stopSandbox({ env });
    const squatter = await listen(kept);
    try {
      const moved = await startSandbox({ env });
      expect(moved.port).not.toBe(kept);
      const state = JSON.parse(readFileSync(join(moved.dataDir, 'state.json'), 'utf8'));
      expect(state.port).toBe(moved.port);
      await stopSandbox({ env });
      // an explicit port is not moved: it is an error with the fix
      const error = await startSandbox({ env, port: kept }).catch((e) => e);
      expect(error).toBeInstanceOf(SandboxStartError);
      expect((error as Error).message).toMatch(new RegExp(`Port ${kept}.+Fix: `));
    } finally {
      squatter.close();
    }
  });

  it('refuses binaries of another major than the cluster', async () => {
    await stopSandbox({ env });
    const error = await startSandbox({ env, binDir: fakeBinaries('14.9') }).catch((e) => e);
    expect(error).toBeInstanceOf(SandboxVersionMismatchError);
    expect(error).toMatchObject({ clusterMajor: '15', binariesMajor: '14' });
    expect((error as Error).message).toMatch(/resetSandbox/);
  });

  it('names a broken state file and the fix; reset clears it', async () => {
    const { dataDir } = await sandboxStatus({ env });
    const stateFile = join(dataDir, 'state.json');
    const good = readFileSync(stateFile, 'utf8');
    writeFileSync(stateFile, '{ not json');
    await expect(startSandbox({ env })).rejects.toBeInstanceOf(SandboxStateError);
    writeFileSync(stateFile, JSON.stringify({ ...JSON.parse(good), port: 'x' }));
    await expect(sandboxStatus({ env })).rejects.toThrowError(/port.+resetSandbox/s);
    // without its state the cluster cannot be used (the password is gone): say so
    rmSync(stateFile);
    await expect(startSandbox({ env })).rejects.toThrowError(/state file .+ is missing/);
    writeFileSync(stateFile, '{ not json');
    expect((await resetSandbox({ env })).state).toBe('absent');
    expect((await startSandbox({ env })).reused).toBe(false);
  });

  it('redoes an init that died half-way, even with its server still running', async () => {
    const before = await startSandbox({ env });
    const stateFile = join(before.dataDir, 'state.json');
    const half = { ...JSON.parse(readFileSync(stateFile, 'utf8')), initialised: false };
    writeFileSync(stateFile, JSON.stringify(half));
    expect((await sandboxStatus({ env })).state).toBe('absent');
    const redone = await startSandbox({ env });
    expect(redone.reused).toBe(false);
    expect(redone.pid).not.toBe(before.pid);
    expect(redone.password).not.toBe(before.password);
    expect((await sandboxStatus({ env })).state).toBe('running');
  });

  it.skipIf(!isRoot())('as root, names a cluster dir the postgres user cannot reach', async () => {
    const closed = mkdtempSync(join(tmpdir(), 'sandbox-closed-'));
    try {
      const error = await startSandbox({
        dataDir: join(scratch, 'closed'),
        clusterDir: join(closed, 'cluster'),
      }).catch((e) => e);
      expect(error).toBeInstanceOf(SandboxUnreachableError);
      expect(error).toMatchObject({ code: 'DATA_DIR_UNREACHABLE', blockedAt: closed });
      expect((error as Error).message).toMatch(/Fix: pass `clusterDir`/);
    } finally {
      rmSync(closed, { recursive: true, force: true });
    }
  });

  it.skipIf(!isRoot())('as root, names binaries the postgres user cannot run', async () => {
    const closed = mkdtempSync(join(tmpdir(), 'sandbox-closed-bin-'));
    try {
      const binDir = join(closed, 'bin');
      mkdirSync(binDir);
      for (const bin of ['initdb', 'pg_ctl', 'postgres']) {
        writeFileSync(join(binDir, bin), '#!/bin/sh\n', { mode: 0o755 });
      }
      const error = await startSandbox({ dataDir: join(scratch, 'closed-bin'), binDir }).catch(
        (e) => e,
      );
      expect(error).toMatchObject({ code: 'BINARIES_UNREACHABLE', blockedAt: closed });
    } finally {
      rmSync(closed, { recursive: true, force: true });
    }
  });

  it('names binaries that are not there', async () => {
    const error = await startSandbox({ dataDir: join(scratch, 'nobin'), binDir: '/nope' }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ code: 'BINARIES_NOT_FOUND' });
    expect(findPgBinaries().dir).toMatch(/bin$/);
  });
});
