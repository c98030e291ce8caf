import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isRoot, resetSandbox, startSandbox } from '../src/index.js';
import { freshHome, portOpen } from './helpers.js';

describe('resetSandbox after the data dir was deleted', () => {
  // only as root is the cluster outside the data dir (under the postgres user's home)
  it.skipIf(!isRoot())('still stops and deletes the cluster it had', async () => {
    const fresh = freshHome('sandbox-orphan-');
    try {
      const sandbox = await startSandbox({ env: fresh.env });
      expect(sandbox.clusterDir).not.toBe(sandbox.dataDir);
      // what a test helper did before resetting: HOME first
      rmSync(fresh.home, { recursive: true, force: true });
      expect((await resetSandbox({ env: fresh.env })).state).toBe('absent');
      expect(existsSync(sandbox.clusterDir!)).toBe(false);
      expect(await portOpen(sandbox.port)).toBe(false);
    } finally {
      await fresh.cleanup();
    }
  });
});
