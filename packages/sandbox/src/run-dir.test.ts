import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultStop, OWNER_FILE, sharedRunRoot, sweepStaleClusters } from './run-dir.js';

describe('sweepStaleClusters', () => {
  it('removes directories whose owner process is gone and keeps live ones', () => {
    const root = mkdtempSync(join(tmpdir(), 'sweep-'));
    const stale = join(root, 'stale');
    const live = join(root, 'live');
    const orphan = join(root, 'orphan');
    mkdirSync(join(stale, 'data'), { recursive: true });
    mkdirSync(live);
    mkdirSync(orphan);
    // pid 2^22+1 is above Linux's pid_max default, so it cannot be alive
    writeFileSync(join(stale, OWNER_FILE), JSON.stringify({ pid: 4194305 }));
    writeFileSync(join(stale, 'data', 'postmaster.pid'), '4194306\n');
    writeFileSync(join(live, OWNER_FILE), JSON.stringify({ pid: process.pid }));
    const stopped: string[] = [];
    const result = sweepStaleClusters(root, (dataDir) => stopped.push(dataDir));
    expect(result.removed.sort()).toEqual([orphan, stale].sort());
    expect(stopped).toEqual([join(stale, 'data')]);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});

describe('sharedRunRoot and the default stop', () => {
  it('creates a 1777 root, whatever the umask', () => {
    const base = mkdtempSync(join(tmpdir(), 'runroot-'));
    const root = sharedRunRoot('kind', base);
    expect(root).toBe(join(base, 'kind'));
    expect(statSync(root).mode & 0o7777).toBe(0o1777);
    expect(sharedRunRoot('kind', base)).toBe(root);
  });

  it('stops the process named in postmaster.pid with SIGQUIT', () => {
    // not our child (like an orphaned postmaster), so it is reaped without us
    // (a shell's `&` would not do: background jobs of sh ignore SIGQUIT)
    const grandchild =
      "const c = require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { detached: true, stdio: 'ignore' }); c.unref(); console.log(c.pid)";
    const pid = Number(execFileSync(process.execPath, ['-e', grandchild], { encoding: 'utf8' }));
    const dataDir = mkdtempSync(join(tmpdir(), 'stopme-'));
    writeFileSync(join(dataDir, 'postmaster.pid'), `${pid}\n`);
    defaultStop(dataDir);
    expect(() => process.kill(pid, 0)).toThrow();
    // a pid file of a dead process is nothing to do
    defaultStop(dataDir);
  });
});
