import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalStorage, listBackups } from '../src/index.js';
import { sql, tempDir } from './helpers.js';

const db = useTestDatabase('kill');

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String);
}

describe('a backup process killed with SIGKILL', () => {
  beforeAll(async () => {
    await sql(
      db.current.adminUrl,
      `CREATE TABLE public.big (id int PRIMARY KEY, body text);
       INSERT INTO public.big SELECT g, repeat(md5(g::text), 6) FROM generate_series(1, 100000) g;`,
    );
  });

  it('leaves no object with a final name in local storage; the temp file is swept', async () => {
    const dist = new URL('../dist/index.js', import.meta.url);
    expect(
      existsSync(dist),
      'build the package first (pnpm build): the child process runs dist/',
    ).toBe(true);
    const dir = await tempDir('kill');
    const child = spawn(
      process.execPath,
      [
        new URL('./fixtures/backup-child.mjs', import.meta.url).pathname,
        JSON.stringify({
          source: db.current.adminUrl,
          keyHex: randomBytes(32).toString('hex'),
          // the slowest zstd level keeps the child busy long enough to be killed mid-write
          compression: 'zstd',
          compressionLevel: 19,
          storage: { kind: 'local', dir },
        }),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_c, s) => resolve(s)),
    );
    let partial: string | undefined;
    for (let i = 0; i < 400 && !partial; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      for (const f of await files(dir)) {
        if (f.includes('.partial-') && (await stat(join(dir, f)).catch(() => undefined))?.size)
          partial = f;
      }
    }
    expect(partial, 'the child should have started writing').toBeDefined();
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const after = await files(dir);
    const finals = after.filter((f) => f.includes('.dump') && !f.includes('.partial-'));
    expect(finals).toEqual([]);
    expect(after.some((f) => f.endsWith('manifest.json'))).toBe(false);
    const storage = createLocalStorage(dir);
    expect(await storage.list()).toEqual([]);
    expect(await listBackups(storage)).toEqual([]);
    const { removed } = await storage.cleanupIncompleteUploads({ olderThanMs: 0 });
    expect(removed).toEqual([partial]);
    expect((await files(dir)).filter((f) => f.includes('.partial-'))).toEqual([]);
  });
});
