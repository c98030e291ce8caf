import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, openAuditLog } from '@supaops/config';
import { executeSql } from '@supaops/pg-connect';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoSecrets, type Connected, inProcess, ok } from './helpers/clients.js';
import { createFixture, type Fixture } from './helpers/fixture.js';

/**
 * Cancelling apply_pending_migrations through the SDK client (request cancellation, i.e.
 * notifications/cancelled) while a migration runs `select pg_sleep(30)`: the server cancels the
 * statement, the open file rolls back, the file before it stays applied.
 */
const db = useTestDatabase('mcp_migrate_cancel');
let fx: Fixture;
let server: Connected;

const SLEEP = 'select pg_sleep(30)';

beforeAll(async () => {
  fx = await createFixture(db.current);
  await writeFile(join(fx.migrationsDir, '20240101000000_one.sql'), 'CREATE TABLE one (id int);\n');
  await writeFile(
    join(fx.migrationsDir, '20240102000000_sleepy.sql'),
    `CREATE TABLE sleepy (id int);\n${SLEEP};\n`,
  );
  await writeFile(
    join(fx.migrationsDir, '20240103000000_three.sql'),
    'CREATE TABLE three (id int);\n',
  );
  server = await inProcess({ cwd: fx.project, env: fx.env, secrets: fx.secrets });
});

afterAll(async () => {
  await server?.close();
  await fx?.cleanup();
});

/** Backends (other than this query's) running or holding a transaction of the sleep migration. */
async function sleepers(): Promise<{ pid: number; state: string }[]> {
  const res = await executeSql<{ pid: number; state: string }>(
    db.current.adminUrl,
    `SELECT pid, state FROM pg_stat_activity
      WHERE pid <> pg_backend_pid() AND datname = current_database()
        AND query ILIKE '%pg_sleep(30)%' AND state IN ('active', 'idle in transaction')`,
  );
  return res.rows;
}

/** Polls (bounded) until `check` holds; returns whether it did. */
async function eventually(check: () => Promise<boolean>, tries = 150): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

interface AuditLine {
  action: string;
  outcome: string;
  error?: { code?: string; message: string };
}

async function auditEntries(): Promise<AuditLine[]> {
  const loaded = await loadConfig({ cwd: fx.project, env: fx.env });
  const text = await readFile(openAuditLog(loaded).path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditLine);
}

describe('cancelling apply_pending_migrations', () => {
  it('rolls back the running file, keeps the one before it and leaves no backend behind', async () => {
    const controller = new AbortController();
    const call = server.call('apply_pending_migrations', {}, { signal: controller.signal });
    call.catch(() => {}); // observed below
    expect(await eventually(async () => (await sleepers()).some((s) => s.state === 'active'))).toBe(
      true,
    );
    controller.abort();
    await expect(call).rejects.toThrow(/abort/i);

    // the server finishes its side: the audit entry is written after the migrator returned
    expect(
      await eventually(async () =>
        (await auditEntries()).some((e) => e.action === 'apply_pending_migrations'),
      ),
    ).toBe(true);
    const entry = (await auditEntries()).find((e) => e.action === 'apply_pending_migrations');
    expect(entry?.outcome).toBe('error');
    expect(entry?.error?.code).toBe('MCP_TOOL_CANCELLED');
    expect(entry?.error?.message).toMatch(
      /apply_pending_migrations was cancelled by the client\. .*20240102000000_sleepy\.sql was rolled back/,
    );
    expect(entry?.error?.message).toMatch(/20240101000000_one\.sql/);
    expect(entry?.error?.message).toMatch(/call apply_pending_migrations again to continue/);
    assertNoSecrets(entry, fx.secrets, 'audit entry');

    expect(await sleepers()).toEqual([]);
    const history = await executeSql<{ version: string }>(
      db.current.adminUrl,
      'SELECT version FROM supabase_migrations.schema_migrations ORDER BY version',
    );
    expect(history.rows.map((r) => r.version)).toEqual(['20240101000000']);
    const tables = await executeSql<{ name: string }>(
      db.current.adminUrl,
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    expect(tables.rows.map((r) => r.name)).toEqual(['one']);
    // the lock was released: the session goes on, the rolled-back file is pending again
    const list = ok<{ pending: string[] }>(await server.call('list_migrations', {}));
    expect(list.pending).toEqual(['20240102000000', '20240103000000']);
  });
});
