import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSpillFile, processSpillDir, sweepStaleSpillDirs } from './temp-files.js';

describe('temp files', () => {
  it('creates a private per-process directory and 0600 files', async () => {
    const base = mkdtempSync(join(tmpdir(), 'spill-tf-'));
    const dir = await processSpillDir(base);
    expect(await processSpillDir(base)).toBe(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(dir).toContain(`${process.pid}-`);
    const { path, handle } = await createSpillFile(base);
    await handle.close();
    expect(dirname(path)).toBe(dir);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('sweeps directories of dead processes and keeps its own', async () => {
    const base = mkdtempSync(join(tmpdir(), 'spill-sweep-'));
    const own = await processSpillDir(base);
    // pid 4194305 is above Linux's pid_max, so it cannot be alive
    const dead = join(base, 'supaops-spill', '4194305-deadbeef');
    const junk = join(base, 'supaops-spill', 'not-a-pid');
    mkdirSync(dead);
    mkdirSync(junk);
    expect(sweepStaleSpillDirs(base)).toEqual([dead]);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(own)).toBe(true);
    expect(existsSync(junk)).toBe(true);
    expect(sweepStaleSpillDirs(join(base, 'missing'))).toEqual([]);
  });
});
