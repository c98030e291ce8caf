import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxStateError } from './errors.js';
import { readState, removeState, type SandboxState, writeState } from './state-file.js';

const state: SandboxState = {
  format: 1,
  initialised: true,
  port: 54321,
  password: 'p'.repeat(32),
  superuser: 'supabase_admin',
  clusterDir: '/somewhere',
  binaries: { dir: '/usr/lib/postgresql/15/bin', source: 'debian', version: '15.18' },
  major: '15',
  createdAt: new Date(0).toISOString(),
};

describe('the state file', () => {
  it('round-trips, 0600, and is absent when there is none', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'state-')), 'state.json');
    expect(readState(file)).toBeUndefined();
    writeState(file, state);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readState(file)).toEqual(state);
    removeState(file);
    removeState(file);
    expect(readState(file)).toBeUndefined();
  });

  it('names a file that is not JSON, does not fit, or cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const file = join(dir, 'state.json');
    writeFileSync(file, '{');
    expect(() => readState(file)).toThrowError(SandboxStateError);
    writeFileSync(file, JSON.stringify({ ...state, port: 0 }));
    expect(() => readState(file)).toThrowError(/port: .+resetSandbox/s);
    const asDir = join(dir, 'dir.json');
    mkdirSync(asDir);
    expect(() => readState(asDir)).toThrowError(/cannot be read/);
    // the error does not carry the password
    writeFileSync(file, JSON.stringify({ ...state, format: 2 }));
    let message = '';
    try {
      readState(file);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain(state.password);
    expect(readFileSync(file, 'utf8')).toContain(state.password);
  });
});
