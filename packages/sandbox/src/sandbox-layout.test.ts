import { chmodSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxUnreachableError } from './errors.js';
import { isRoot, lookupOsUser } from './os-user.js';
import {
  defaultClusterDir,
  defaultSandboxDataDir,
  prepareClusterDir,
  resolveDataDir,
  sandboxLayout,
} from './sandbox-layout.js';

describe('sandbox layout', () => {
  it('puts the data dir under the supaops data dir of the environment', () => {
    const env = { HOME: '/home/u', XDG_DATA_HOME: '/x/share' };
    expect(defaultSandboxDataDir(env)).toBe('/x/share/supaops/sandbox');
    expect(resolveDataDir('rel/dir', env)).toBe(join(process.cwd(), 'rel/dir'));
    expect(defaultSandboxDataDir({ SUPAOPS_DATA_DIR: '/d' })).toBe('/d/sandbox');
  });

  it('keeps the cluster with the metadata unless another OS user runs the server', () => {
    expect(defaultClusterDir('/data/sandbox', undefined)).toBe('/data/sandbox');
    const pg = { uid: 101, gid: 104, home: '/var/lib/postgresql' };
    const a = defaultClusterDir('/root/.local/share/supaops/sandbox', pg);
    expect(a).toMatch(/^\/var\/lib\/postgresql\/supaops\/sandbox-[0-9a-f]{12}$/);
    expect(defaultClusterDir('/root/.local/share/supaops/sandbox', pg)).toBe(a);
    expect(defaultClusterDir('/other', pg)).not.toBe(a);
    expect(sandboxLayout('/m', '/c', undefined)).toEqual({
      dataDir: '/m',
      stateFile: '/m/state.json',
      lockFile: '/m/sandbox.lock',
      clusterDir: '/c',
      pgdata: '/c/pgdata',
      logFile: '/c/postgres.log',
      osUser: undefined,
    });
  });

  it('creates the cluster dir 0700 for ourselves', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'layout-')), 'a', 'b');
    prepareClusterDir(sandboxLayout(dir, dir, undefined));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('refuses a cluster dir the server user cannot reach, naming where it is blocked', () => {
    const closed = mkdtempSync(join(tmpdir(), 'layout-closed-'));
    chmodSync(closed, 0o700);
    const stranger = { uid: 54321, gid: 54321, home: '/' };
    const target = join(closed, 'cluster');
    let caught: unknown;
    try {
      prepareClusterDir(sandboxLayout('/m', target, stranger));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SandboxUnreachableError);
    expect(caught).toMatchObject({ code: 'DATA_DIR_UNREACHABLE', blockedAt: closed, path: target });
    expect(existsSync(target)).toBe(false);
  });

  it.skipIf(!isRoot() || !lookupOsUser('postgres'))(
    'as root, creates the missing directories owned by the server user',
    () => {
      const pg = lookupOsUser('postgres')!;
      const open = mkdtempSync(join(tmpdir(), 'layout-open-'));
      chmodSync(open, 0o755);
      const target = join(open, 'x', 'cluster');
      prepareClusterDir(sandboxLayout('/m', target, pg));
      expect(statSync(join(open, 'x')).uid).toBe(pg.uid);
      expect(statSync(target).uid).toBe(pg.uid);
      expect(statSync(target).mode & 0o777).toBe(0o700);
    },
  );
});
