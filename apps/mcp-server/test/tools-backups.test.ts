import { readdir } from 'node:fs/promises';
import { type S3Server, startS3Server } from '@supaops/s3-server';
import { testServer, useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connected, failed, inProcess, ok, unwrap } from './helpers/clients.js';
import { createFixture, type Fixture } from './helpers/fixture.js';

const db = useTestDatabase('mcp_backups');
let fx: Fixture;
let s3: S3Server;
let server: Connected;

interface Backup {
  id: string;
  storedBytes: number;
  encrypted: boolean;
  parts: string[];
}
interface Confirmation {
  confirmation: { token: string; summary: string; dryRun: Record<string, unknown> };
}

beforeAll(async () => {
  s3 = await startS3Server({ buckets: ['backups'] });
  fx = await createFixture(db.current, s3);
  server = await inProcess({ cwd: fx.project, env: fx.env, secrets: fx.secrets });
  ok(
    await server.call('execute_sql', {
      sql: "CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders SELECT g, 'item ' || g FROM generate_series(1, 500) g",
    }),
  );
});

afterAll(async () => {
  await server?.close();
  await s3?.stop();
  await fx?.cleanup();
});

async function orderCount(): Promise<number> {
  const res = ok<{ data: string }>(
    await server.call('execute_sql', { sql: 'SELECT count(*)::int AS n FROM orders' }),
  );
  return unwrap<{ n: number }[]>(res.data)[0]!.n;
}

describe('backups (local storage, passphrase)', () => {
  let first: Backup;

  it('create_backup stores an encrypted backup and sends progress', async () => {
    const progress: number[] = [];
    first = ok<Backup>(
      await server.call(
        'create_backup',
        { tags: { purpose: 'test' } },
        { onprogress: (p) => progress.push(p.progress) },
      ),
    );
    expect(first.encrypted).toBe(true);
    expect(first.storedBytes).toBeGreaterThan(0);
    expect(first.parts).toContain('database');
    expect(progress.length).toBeGreaterThan(0);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(await readdir(fx.backupsDir)).toContain(first.id);
  });

  it('list_backups and verify_backup see it', async () => {
    const list = ok<{
      backups: { id: string; tags: Record<string, string>; verifiedAt: string | null }[];
    }>(await server.call('list_backups', {}));
    expect(list.backups).toEqual([
      expect.objectContaining({ id: first.id, tags: { purpose: 'test' } }),
    ]);
    const verified = ok<{ authentication: string; parts: { name: string }[]; verifiedAt: string }>(
      await server.call('verify_backup', { id: first.id }),
    );
    expect(verified.authentication).toBe('hmac');
    expect(verified.parts.map((p) => p.name)).toEqual(first.parts);
    const after = ok<{ backups: { verifiedAt: string | null }[] }>(
      await server.call('list_backups', {}),
    );
    expect(after.backups[0]?.verifiedAt).not.toBeNull();
  });

  it('restore_backup needs the confirmation; then restores the rows', async () => {
    ok(await server.call('execute_sql', { sql: 'DELETE FROM orders WHERE id > 100' }));
    expect(await orderCount()).toBe(100);
    const args = { id: first.id, clean: true };
    const dry = ok<Confirmation>(await server.call('restore_backup', args));
    expect(dry.confirmation.summary).toContain(first.id);
    expect(dry.confirmation.summary).toContain(db.current.name);
    expect(String(dry.confirmation.dryRun.target)).toMatch(/\*\*\*/);
    expect(await orderCount()).toBe(100);

    const skipped = failed(
      await server.call('restore_backup', { ...args, confirmationToken: 'forged.123.abc' }),
    );
    expect(skipped.code).toBe('MCP_CONFIRMATION_INVALID');

    const done = ok<{ database: string; data: string }>(
      await server.call('restore_backup', { ...args, confirmationToken: dry.confirmation.token }),
    );
    expect(done.database).toBe(db.current.name);
    expect(
      unwrap<{ rowCounts: { mismatches: unknown[] } }>(done.data).rowCounts.mismatches,
    ).toEqual([]);
    expect(await orderCount()).toBe(500);
  });

  it("restore_backup's dry run is backup-engine's plan: every part checked, the mode, refusals fail it", async () => {
    const dry = ok<Confirmation>(
      await server.call('restore_backup', { id: first.id, clean: true }),
    );
    const plan = dry.confirmation.dryRun as {
      mode: string;
      exists: boolean;
      parts: { name: string; restore: string; verified: boolean }[];
      rowCounts: { tables: number };
      reconcile: string;
    };
    expect(plan.mode).toBe('clean');
    expect(plan.exists).toBe(true);
    expect(plan.parts.map((p) => p.name)).toEqual(first.parts);
    // every part the restore applies was read in full and checked; manual parts (roles) are not
    const applied = plan.parts.filter((p) => p.restore !== 'manual');
    expect(applied.map((p) => p.name)).toContain('database');
    expect(applied.every((p) => p.verified)).toBe(true);
    expect(plan.rowCounts.tables).toBeGreaterThan(0);
    expect(unwrap<{ skippedEntries: unknown[] }>(plan.reconcile).skippedEntries).toBeInstanceOf(
      Array,
    );
    expect(dry.confirmation.summary).toMatch(/Every pre-check passed/);
    // the instance database holds the tables: without clean the pre-checks refuse, no token
    const refused = failed(await server.call('restore_backup', { id: first.id }));
    expect(refused.code).toBe('MCP_RESTORE_REFUSED');
    expect(refused.message).toMatch(/RESTORE_TARGET_NOT_EMPTY/);
    expect(refused.message).toMatch(/no confirmation was issued/);
    expect(await orderCount()).toBe(500);
  });

  it('verify_backup with restoreTest restores into a scratch database and compares row counts', async () => {
    const res = ok<{ restoreTest: string }>(
      await server.call('verify_backup', {
        id: first.id,
        restoreTest: true,
        template: testServer().template,
      }),
    );
    const check = unwrap<{ rowCounts: { checked: number; mismatches: unknown[] } }>(
      res.restoreTest,
    );
    expect(check.rowCounts.checked).toBeGreaterThan(0);
    expect(check.rowCounts.mismatches).toEqual([]);
  });

  it('restore_backup into another database of the instance', async () => {
    const target = `${db.current.name}_copy`.slice(0, 63);
    ok(
      await server.call('execute_sql', {
        sql: `CREATE DATABASE "${target}" TEMPLATE "${testServer().template}"`,
      }),
    );
    try {
      const dry = ok<Confirmation>(
        await server.call('restore_backup', { id: first.id, database: target }),
      );
      expect(dry.confirmation.summary).toContain(`database "${target}"`);
      const done = ok<{ database: string }>(
        await server.call('restore_backup', {
          id: first.id,
          database: target,
          confirmationToken: dry.confirmation.token,
        }),
      );
      expect(done.database).toBe(target);
    } finally {
      await server.call('execute_sql', { sql: `DROP DATABASE IF EXISTS "${target}" WITH (FORCE)` });
    }
  });

  it('restore_backup of an unknown id fails in the dry run', async () => {
    const error = failed(await server.call('restore_backup', { id: '20000101T000000Z-000000' }));
    expect(error.code).toBe('BACKUP_NOT_FOUND');
  });

  it('cleanup_backups takes the rules of the call', async () => {
    const dry = ok<Confirmation>(
      await server.call('cleanup_backups', {
        keepDaily: 1,
        keepWeekly: 1,
        keepMonthly: 1,
        keepDays: 30,
      }),
    );
    expect(dry.confirmation.summary).toMatch(/Would delete 0 backup/);
  });

  it('cleanup_backups deletes what retention does not keep, after confirmation', async () => {
    const second = ok<Backup>(await server.call('create_backup', {}));
    const third = ok<Backup>(await server.call('create_backup', {}));
    // keepLast 1 from the config; the newest verified backup (the first) is protected
    const dry = ok<Confirmation>(await server.call('cleanup_backups', {}));
    expect(dry.confirmation.summary).toMatch(/Would delete 1 backup/);
    expect(dry.confirmation.dryRun.deleted).toEqual([second.id]);
    expect(await readdir(fx.backupsDir)).toContain(second.id);
    const done = ok<{ deleted: string[]; kept: Record<string, string[]> }>(
      await server.call('cleanup_backups', { confirmationToken: dry.confirmation.token }),
    );
    expect(done.deleted).toEqual([second.id]);
    expect(done.kept[first.id]).toContain('newest-verified');
    expect(done.kept[third.id]).toContain('last');
    const list = ok<{ backups: { id: string }[] }>(await server.call('list_backups', {}));
    expect(list.backups.map((b) => b.id).sort()).toEqual([first.id, third.id].sort());
  });
});

describe('backups on S3', () => {
  it('create, list and verify against the S3 server', async () => {
    const backup = ok<Backup>(
      await server.call('create_backup', { instance: 'prod', schemaOnly: true }),
    );
    expect(backup.encrypted).toBe(true);
    const keys = [...(s3.buckets.get('backups')?.keys() ?? [])];
    expect(keys.some((k) => k.startsWith(`prod/${backup.id}/manifest.json`))).toBe(true);
    const list = ok<{ backups: { id: string }[] }>(
      await server.call('list_backups', { instance: 'prod' }),
    );
    expect(list.backups.map((b) => b.id)).toEqual([backup.id]);
    const verified = ok<{ id: string }>(
      await server.call('verify_backup', { instance: 'prod', id: backup.id }),
    );
    expect(verified.id).toBe(backup.id);
  });

  it('an instance without backup storage says how to add one', async () => {
    const error = failed(await server.call('list_backups', { instance: 'open' }));
    expect(error.code).toBe('MCP_INSTANCE_UNSUPPORTED');
    expect(error.message).toMatch(/Fix: add "backups"/);
  });
});
