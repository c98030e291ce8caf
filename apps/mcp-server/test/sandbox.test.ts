import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, spawnStdio, unwrap } from './helpers/clients.js';
import { removeHome, tempHome } from './helpers/fixture.js';

// A fresh machine: no config anywhere, an empty HOME. The server starts the sandbox itself.
let root: string;
let env: NodeJS.ProcessEnv;
let project: string;

beforeAll(async () => {
  ({ root, env } = await tempHome());
  env.SUPAOPS_DATA_DIR = join(root, 'supaops-data');
  project = join(root, 'empty-project');
  await mkdir(project, { recursive: true });
});

afterAll(async () => {
  await removeHome(root);
});

describe('with nothing configured', () => {
  it('starts the sandbox, says so, and serves execute_sql on it; a second server reuses it', async () => {
    const first = await spawnStdio({ env, cwd: project, secrets: [] });
    try {
      expect(first.client.getInstructions()).toMatch(/local sandbox .* instance "sandbox"/);
      const list = ok<{ instances: { name: string; kind: string }[] }>(
        await first.call('list_instances'),
      );
      expect(list.instances).toEqual([
        expect.objectContaining({ name: 'sandbox', kind: 'sandbox' }),
      ]);
      const res = ok<{ instance: string; data: string }>(
        await first.call('execute_sql', { sql: 'SELECT 40 + 2 AS answer' }, { timeout: 120_000 }),
      );
      expect(res.instance).toBe('sandbox');
      expect(unwrap(res.data)).toEqual([{ answer: 42 }]);
      expect(first.stderr()).toMatch(/started the local sandbox/);

      const second = await spawnStdio({ env, cwd: project, secrets: [] });
      try {
        const again = ok<{ data: string }>(
          await second.call('execute_sql', { sql: 'SELECT 1 AS one' }, { timeout: 60_000 }),
        );
        expect(unwrap(again.data)).toEqual([{ one: 1 }]);
        expect(second.stderr()).toMatch(/reusing the running local sandbox/);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
    }
  });
});
