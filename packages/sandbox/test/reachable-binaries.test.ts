import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPgBinaries, startEphemeralCluster } from '../src/index.js';
import { isRoot, serverOsUser } from '../src/os-user.js';
import { blockedFor } from '../src/reachable.js';
import { reachableBinaries } from '../src/reachable-binaries.js';
import { query } from './helpers.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('reachableBinaries: binaries the postgres OS user cannot enter (as root)', () => {
  it.runIf(isRoot())('copies them once to its home and a cluster runs on the copy', async () => {
    const user = serverOsUser();
    if (!user) throw new Error('no postgres OS user');
    const embedded = findPgBinaries({ only: 'embedded' });
    // a root-only checkout, as `npx` under /root or a CI clone in a 0700 temp dir makes it
    const hidden = mkdtempSync(join(tmpdir(), 'supaops-hidden-'));
    made.push(hidden);
    chmodSync(hidden, 0o700);
    cpSync(dirname(embedded.dir), join(hidden, 'native'), {
      recursive: true,
      verbatimSymlinks: true,
    });
    const out = { ...embedded, dir: join(hidden, 'native', 'bin') };
    expect(blockedFor(user, out.dir)).toBe(hidden);

    const copy = reachableBinaries(user, out);
    made.push(dirname(copy.dir));
    expect(copy.copiedFrom).toBe(out.dir);
    expect(copy.dir.startsWith(join(user.home, 'supaops', 'binaries'))).toBe(true);
    expect(blockedFor(user, copy.dir)).toBeUndefined();
    // a second call reuses the copy instead of copying again
    const marker = statSync(join(dirname(copy.dir), '.supaops-copy-complete')).mtimeMs;
    expect(reachableBinaries(user, out).dir).toBe(copy.dir);
    expect(statSync(join(dirname(copy.dir), '.supaops-copy-complete')).mtimeMs).toBe(marker);

    const cluster = await startEphemeralCluster({ binDir: copy.dir });
    try {
      expect(await query(cluster.url(), 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await cluster.stop();
    }
  });

  it('leaves reachable binaries alone, and does nothing when not root', () => {
    const system = findPgBinaries();
    expect(reachableBinaries(serverOsUser(), system)).toEqual(system);
    expect(reachableBinaries(undefined, { ...system, dir: '/nowhere/bin' }).dir).toBe(
      '/nowhere/bin',
    );
    expect(existsSync('/nowhere')).toBe(false);
  });
});
