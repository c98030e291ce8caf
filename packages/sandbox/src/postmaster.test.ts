import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { livePostmaster, processesIn, readPostmasterPid } from './postmaster.js';

function pidFile(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'pmpid-'));
  writeFileSync(join(dir, 'postmaster.pid'), `${lines.join('\n')}\n`);
  return dir;
}

describe('postmaster.pid', () => {
  it('reads pid, port and status as PostgreSQL writes them', () => {
    const dir = pidFile([
      '1234',
      '/data',
      '1700000000',
      '5432',
      '',
      '127.0.0.1',
      '0 0',
      'ready   ',
    ]);
    expect(readPostmasterPid(dir)).toEqual({ pid: 1234, port: 5432, status: 'ready' });
    expect(readPostmasterPid(pidFile(['1234']))).toEqual({
      pid: 1234,
      port: undefined,
      status: undefined,
    });
    expect(readPostmasterPid(pidFile(['garbage']))).toBeUndefined();
    expect(readPostmasterPid(join(tmpdir(), 'no-such-dir'))).toBeUndefined();
  });

  it('counts a live pid only when that process works in the data dir', () => {
    // this very process works in process.cwd(): a stand-in for a postmaster in its pgdata
    const here = process.cwd();
    const elsewhere = pidFile([String(process.pid)]);
    expect(livePostmaster(elsewhere)?.pid).toBeUndefined();
    expect(livePostmaster(pidFile(['4194305']))).toBeUndefined();
    // without /proc the signal probe is all there is
    expect(livePostmaster(elsewhere, join(tmpdir(), 'no-proc'))?.pid).toBe(process.pid);
    const cwdDir = mkdtempSync(join(tmpdir(), 'pmcwd-'));
    mkdirSync(join(cwdDir, 'x'));
    expect(processesIn(here)).toContain(process.pid);
    expect(processesIn(cwdDir)).toEqual([]);
    expect(processesIn(join(tmpdir(), 'no-such-dir'))).toEqual([]);
  });
});
