import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SandboxLogError,
  SandboxNotInitialisedError,
  SandboxStateError,
  SandboxValidationError,
} from './errors.js';
import { readSandboxLog } from './read-sandbox-log.js';
import { type SandboxState, writeState } from './state-file.js';

// A sandbox's files without a server: the state and a log written here.
const root = mkdtempSync(join(tmpdir(), 'read-log-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const PASSWORD = 'Sandbox-Password-0123456789';
let n = 0;

function sandboxWithLog(log: string | undefined, initialised = true) {
  const dataDir = join(root, `s${n++}`);
  mkdirSync(dataDir, { recursive: true });
  const state: SandboxState = {
    format: 1,
    initialised,
    port: 5432,
    password: PASSWORD,
    superuser: 'supabase_admin',
    clusterDir: dataDir,
    binaries: { dir: '/nonexistent', source: 'PATH' },
    major: '15',
    createdAt: '2026-12-01T00:00:00Z',
  };
  writeState(join(dataDir, 'state.json'), state);
  if (log !== undefined) writeFileSync(join(dataDir, 'postgres.log'), log);
  return { dataDir, env: { HOME: root } };
}

const LOG = [
  '2026-12-01 10:00:00.000 UTC [10] LOG:  starting PostgreSQL 15',
  '2026-12-01 10:00:01.000 UTC [10] LOG:  database system is ready to accept connections',
  '2026-12-01 11:00:00.000 UTC [20] ERROR:  syntax error at or near "SELEC"',
  '2026-12-01 11:00:00.000 UTC [20] STATEMENT:  SELEC 1,',
  '\t  2 -- a continuation line',
  `2026-12-01 12:00:00.000 UTC [30] STATEMENT:  ALTER ROLE x PASSWORD 'hunter2' -- ${PASSWORD}`,
  '2026-12-01 12:30:00.000 UTC [31] FATAL:  password authentication failed for user "anon"',
  '',
].join('\r\n');

describe('readSandboxLog (files only)', () => {
  it('returns the lines oldest first with UTC timestamps, passwords hidden', async () => {
    const s = sandboxWithLog(LOG);
    const log = await readSandboxLog(s);
    expect(log.path).toBe(join(s.dataDir, 'postgres.log'));
    expect(log.truncated).toBe(false);
    expect(log.lines).toHaveLength(7);
    expect(log.lines[0]).toEqual({
      timestamp: '2026-12-01T10:00:00.000Z',
      text: '[10] LOG:  starting PostgreSQL 15',
    });
    expect(log.lines[4]).toEqual({ text: '\t  2 -- a continuation line' });
    expect(log.lines[5]?.text).toBe("[30] STATEMENT:  ALTER ROLE x PASSWORD '***' -- ***");
    expect(JSON.stringify(log)).not.toContain('hunter2');
    expect(JSON.stringify(log)).not.toContain(PASSWORD);
  });

  it('takes the last `tail` lines and says older ones were left', async () => {
    const log = await readSandboxLog({ ...sandboxWithLog(LOG), tail: 2 });
    expect(log.lines.map((l) => l.text)).toEqual([
      "[30] STATEMENT:  ALTER ROLE x PASSWORD '***' -- ***",
      '[31] FATAL:  password authentication failed for user "anon"',
    ]);
    expect(log.truncated).toBe(true);
  });

  it('filters by since (continuation lines go with their stamped line) and search', async () => {
    const s = sandboxWithLog(LOG);
    const since = await readSandboxLog({ ...s, since: '2026-12-01T11:00:00Z' });
    expect(since.lines.map((l) => l.text.slice(0, 14))).toEqual([
      '[20] ERROR:  s',
      '[20] STATEMENT',
      '\t  2 -- a cont',
      '[30] STATEMENT',
      '[31] FATAL:  p',
    ]);
    expect(since.truncated).toBe(false);
    const later = await readSandboxLog({ ...s, since: new Date(Date.UTC(2026, 11, 1, 11, 0, 1)) });
    expect(later.lines.map((l) => l.text.slice(0, 4))).toEqual(['[30]', '[31]']);
    const search = await readSandboxLog({ ...s, search: 'PASSWORD AUTH' });
    expect(search.lines.map((l) => l.timestamp)).toEqual(['2026-12-01T12:30:00.000Z']);
    // what is redacted cannot be searched for
    expect((await readSandboxLog({ ...s, search: 'hunter2' })).lines).toEqual([]);
    expect(
      (await readSandboxLog({ ...s, search: 'continuation', since: '2026-12-01T10:59:00Z' })).lines,
    ).toEqual([{ text: '\t  2 -- a continuation line' }]);
    expect((await readSandboxLog({ ...s, since: '2999-01-01T00:00:00Z' })).lines).toEqual([]);
  });

  it('keeps lines whose time cannot be told, and bounds the bytes read', async () => {
    const s = sandboxWithLog('2026-12-01 10:00:00.000 CET [1] LOG:  a\nplain line\n');
    const log = await readSandboxLog({ ...s, since: '2026-12-01T00:00:00Z' });
    expect(log.lines).toEqual([
      { text: '2026-12-01 10:00:00.000 CET [1] LOG:  a' },
      { text: 'plain line' },
    ]);
    const big = sandboxWithLog(`${'x'.repeat(100)}\n`.repeat(1000));
    const bounded = await readSandboxLog({ ...big, maxBytes: 1010, tail: 10_000 });
    expect(bounded.lines).toHaveLength(9);
    expect(bounded.truncated).toBe(true);
  });

  it('gives no lines before the log is written', async () => {
    const s = sandboxWithLog(undefined);
    expect(await readSandboxLog(s)).toEqual({
      path: join(s.dataDir, 'postgres.log'),
      lines: [],
      truncated: false,
    });
  });

  it('fails typed on a sandbox never initialised, a broken state and an unreadable log', async () => {
    const never = await readSandboxLog({ dataDir: join(root, 'nothing'), env: {} }).catch((e) => e);
    expect(SandboxNotInitialisedError.isInstance(never)).toBe(true);
    expect(never.message).toMatch(/was never initialised .* Fix: start it first/);
    const half = await readSandboxLog(sandboxWithLog(LOG, false)).catch((e) => e);
    expect(half.code).toBe('NOT_INITIALISED');
    const broken = sandboxWithLog(LOG);
    writeFileSync(join(broken.dataDir, 'state.json'), '{');
    expect(await readSandboxLog(broken).catch((e) => e)).toBeInstanceOf(SandboxStateError);
    const dirAsLog = sandboxWithLog(undefined);
    mkdirSync(join(dirAsLog.dataDir, 'postgres.log'));
    const unreadable = await readSandboxLog(dirAsLog).catch((e) => e);
    expect(SandboxLogError.isInstance(unreadable)).toBe(true);
    expect(unreadable.logFile).toBe(join(dirAsLog.dataDir, 'postgres.log'));
  });

  it('validates its options', async () => {
    const s = sandboxWithLog(LOG);
    for (const bad of [
      { tail: 0 },
      { tail: 10_001 },
      { tail: 1.5 },
      { search: '' },
      { since: 'last tuesday' },
      { maxBytes: 0 },
      { bogus: 1 },
    ]) {
      const error = await readSandboxLog({ ...s, ...bad } as never).catch((e) => e);
      expect(SandboxValidationError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(/^Invalid readSandboxLog options: /);
    }
  });
});
