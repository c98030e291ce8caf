import { readdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS } from '../src/index.js';
import { type Connected, ok, spawnStdio, unwrap } from './helpers/clients.js';
import { createFixture, type Fixture } from './helpers/fixture.js';

const db = useTestDatabase('mcp_stdio');
let fx: Fixture;
let server: Connected & { stderr(): string };

const start = (args: string[] = []) =>
  spawnStdio({ env: fx.env, cwd: fx.project, args, secrets: fx.secrets });

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

beforeAll(async () => {
  fx = await createFixture(db.current);
  server = await start();
});

afterAll(async () => {
  await server?.close();
  await fx?.cleanup();
});

describe('the built server over stdio', () => {
  it('lists every tool with its annotations and serves execute_sql', async () => {
    const { tools } = await server.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOLS.map((t) => t.name));
    for (const tool of tools) {
      expect(Object.keys(tool.annotations ?? {}).sort()).toEqual([
        'destructiveHint',
        'idempotentHint',
        'openWorldHint',
        'readOnlyHint',
      ]);
      expect(tool.outputSchema?.type).toBe('object');
    }
    const res = ok<{ data: string }>(await server.call('execute_sql', { sql: 'SELECT 1 AS one' }));
    expect(unwrap(res.data)).toEqual([{ one: 1 }]);
    expect(server.client.getInstructions()).toMatch(/untrusted-data/);
  });

  it('--read-only removes exactly the write tools', async () => {
    const ro = await start(['--read-only']);
    try {
      const names = (await ro.client.listTools()).tools.map((t) => t.name);
      const all = (await server.client.listTools()).tools.map((t) => t.name);
      const removed = all.filter((n) => !names.includes(n));
      expect(removed.sort()).toEqual(
        TOOLS.filter((t) => t.write)
          .map((t) => t.name)
          .sort(),
      );
      expect(removed.length).toBeGreaterThan(5);
      expect(ro.client.getInstructions()).toMatch(/read-only/);
    } finally {
      await ro.close();
    }
  });

  it('--instance removes the instance argument and scopes every call', async () => {
    const scoped = await start(['--instance', 'prod', '--features', 'database,instances']);
    try {
      const { tools } = await scoped.client.listTools();
      expect(new Set(tools.map((t) => TOOLS.find((d) => d.name === t.name)?.group))).toEqual(
        new Set(['database', 'instances']),
      );
      for (const tool of tools)
        expect(tool.inputSchema.properties ?? {}).not.toHaveProperty('instance');
      // an instance argument sent anyway is ignored: the scope wins
      const res = ok<{ instance: string; readOnly: boolean }>(
        await scoped.call('execute_sql', { instance: 'dev', sql: 'SELECT 1' }),
      );
      expect(res).toMatchObject({ instance: 'prod', readOnly: true });
      const list = ok<{ instances: { name: string }[] }>(await scoped.call('list_instances'));
      expect(list.instances.map((i) => i.name)).toEqual(['prod']);
    } finally {
      await scoped.close();
    }
  });

  it('cancelling a running backup leaves no partial file; progress arrives first', async () => {
    ok(
      await server.call('execute_sql', {
        sql: 'CREATE TABLE big AS SELECT g AS id, md5(g::text) || repeat(md5((g * 7)::text), 6) AS pad FROM generate_series(1, 300000) g',
      }),
    );
    const controller = new AbortController();
    const progress: number[] = [];
    let partialSeen: string[] = [];
    const call = server.client.callTool({ name: 'create_backup', arguments: {} }, undefined, {
      signal: controller.signal,
      onprogress: (p) => {
        progress.push(p.progress);
        if (p.progress > 0 && !controller.signal.aborted) {
          partialSeen = readdirSync(fx.backupsDir, { recursive: true }).map(String);
          controller.abort();
        }
      },
      timeout: 60_000,
    });
    await expect(call).rejects.toThrow(/abort/i);
    expect(progress.length).toBeGreaterThan(0);
    // the dump was under way: its part file existed when the client cancelled
    expect(partialSeen.some((f) => f.includes('.partial-'))).toBe(true);
    // the server aborts the dump and removes what it wrote; wait for it (bounded)
    let files = await filesUnder(fx.backupsDir);
    for (let i = 0; i < 100 && files.length > 0; i++) {
      await sleep(100);
      files = await filesUnder(fx.backupsDir);
    }
    expect(files).toEqual([]);
    const list = ok<{ backups: unknown[] }>(await server.call('list_backups'));
    expect(list.backups).toEqual([]);
    // the session still works after the cancellation
    ok(await server.call('execute_sql', { sql: 'SELECT 1' }));
  });

  it('logs only to stderr, redacted', () => {
    expect(server.stderr()).not.toContain(fx.env.T_DB_PASSWORD as string);
  });
});
