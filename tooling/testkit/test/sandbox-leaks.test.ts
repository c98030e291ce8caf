import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resetSandbox, startSandbox } from '@supaops/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import {
  recordSandboxHome,
  SANDBOX_LEDGER_ENV,
  sandboxClusterDir,
  startSandboxLeakGuard,
} from '../src/index.js';

const home = mkdtempSync(join(tmpdir(), 'testkit-leaks-'));
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: home,
  XDG_DATA_HOME: join(home, 'data'),
  XDG_CONFIG_HOME: join(home, 'config'),
  XDG_STATE_HOME: join(home, 'state'),
  XDG_CACHE_HOME: join(home, 'cache'),
};

afterAll(async () => {
  await resetSandbox({ env });
  rmSync(home, { recursive: true, force: true });
});

describe('the sandbox leak guard', () => {
  it('fails the run while a recorded sandbox is on disk, and passes once it is reset', async () => {
    const outer = process.env[SANDBOX_LEDGER_ENV];
    const check = startSandboxLeakGuard();
    expect(process.env[SANDBOX_LEDGER_ENV]).not.toBe(outer);
    recordSandboxHome(env);
    const sandbox = await startSandbox({ env });
    // the guard's idea of where the cluster goes is the sandbox's own
    expect(sandbox.clusterDir).toBe(sandboxClusterDir(sandbox.dataDir));
    expect(check).toThrowError(
      new RegExp(`left 1 sandbox\\(es\\) behind:\\n {2}${sandbox.dataDir}: .*Fix: `, 's'),
    );
    expect(process.env[SANDBOX_LEDGER_ENV]).toBe(outer);

    const again = startSandboxLeakGuard();
    recordSandboxHome(env);
    await resetSandbox({ env });
    rmSync(home, { recursive: true, force: true });
    expect(again).not.toThrow();
  });

  it('records nothing outside a guarded run', () => {
    const outer = process.env[SANDBOX_LEDGER_ENV];
    delete process.env[SANDBOX_LEDGER_ENV];
    try {
      expect(() => recordSandboxHome(env)).not.toThrow();
    } finally {
      if (outer !== undefined) process.env[SANDBOX_LEDGER_ENV] = outer;
    }
  });
});
