import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWNER_FILE, sweepStaleClusters } from './run-dir.js';

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
