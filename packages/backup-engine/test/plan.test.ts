import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testServer, useTestDatabase } from '@supaops/testkit/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BackupIntegrityError,
  BackupNotFoundError,
  createBackup,
  createLocalStorage,
  planRestore,
  RestoreTargetNotEmptyError,
  restoreBackup,
} from '../src/index.js';
import {
  checksums,
  createDatabase,
  databaseUrl,
  dropDatabase,
  seed,
  sql,
  tempDir,
} from './helpers.js';

const db = useTestDatabase('plan');
const key = { key: randomBytes(32) };

/** Every database of the server with every relation in it: what "nothing created" compares. */
async function serverState(adminUrl: string): Promise<string[]> {
  const names = await sql<{ datname: string }>(
    databaseUrl(adminUrl, 'postgres'),
    'SELECT datname FROM pg_database ORDER BY 1',
  );
  return names.map((r) => r.datname);
}

describe('planRestore: the restore pre-checks without writing', () => {
  let dir: string;
  let id: string;
  const storage = () => createLocalStorage(dir);

  beforeAll(async () => {
    await seed(db.current.adminUrl, 200);
    dir = await tempDir('plan');
    ({ id } = await createBackup({
      source: db.current.adminUrl,
      storage: storage(),
      encryption: key,
      supabase: false,
    }));
  });

  it('plans a good backup into a new database: parts, sizes, reconcile, nothing created', async () => {
    const name = `bk_plan_new_${randomBytes(3).toString('hex')}`;
    const target = databaseUrl(db.current.adminUrl, name);
    const before = await serverState(db.current.adminUrl);
    const phases: string[] = [];
    const plan = await planRestore({
      storage: storage(),
      id,
      key,
      target,
      onProgress: (e) => phases.push(e.phase),
    });
    expect(await serverState(db.current.adminUrl)).toEqual(before);
    expect(plan).toMatchObject({
      id,
      ok: true,
      refusals: [],
      target: { database: name, exists: false, mode: 'create', template: 'template0' },
      rowCounts: { mode: 'exact', verify: true },
    });
    expect(plan.target.server).toMatchObject({ major: 15, superuser: true });
    expect(plan.parts).toEqual([
      expect.objectContaining({ name: 'database', restore: 'full', verified: true }),
    ]);
    expect(plan.parts[0]!.rawSize).toBeGreaterThan(plan.parts[0]!.storedSize);
    expect(plan.sizes).toMatchObject({ raw: plan.parts[0]!.rawSize, tempBytes: 0 });
    expect(plan.rowCounts.tables).toBeGreaterThanOrEqual(4);
    expect(plan.reconcile.acls).toBeGreaterThan(0);
    expect(phases).toContain('verify');

    // the plan's view of a database created from template0 is what the restore then finds
    const restored = await restoreBackup({ storage: storage(), id, key, target });
    try {
      expect(restored.reconciled).toEqual(plan.reconcile.reconciled);
      expect(restored.skippedEntries).toEqual(plan.reconcile.skippedEntries);
      expect(restored.privileges.settings).toBe(plan.reconcile.settings);
    } finally {
      await dropDatabase(db.current.adminUrl, name);
    }
  });

  it('asks a template that accepts connections directly (the test kit template)', async () => {
    const name = `bk_plan_tpl_${randomBytes(3).toString('hex')}`;
    const plan = await planRestore({
      storage: storage(),
      id,
      key,
      target: databaseUrl(db.current.adminUrl, name),
      template: testServer().template,
      jobs: 2,
    });
    expect(plan.ok).toBe(true);
    expect(plan.target.template).toBe(testServer().template);
    // the source is a copy of that template: its extensions are already there
    expect(plan.reconcile.reconciled.some((r) => r.startsWith('extension '))).toBe(true);
    expect(plan.sizes.tempBytes).toBe(plan.parts[0]!.rawSize);
    expect(await serverState(db.current.adminUrl)).not.toContain(name);
  });

  it('reports a non-empty target as a refusal, typed, and leaves it as it was', async () => {
    const before = await checksums(db.current.adminUrl);
    const databases = await serverState(db.current.adminUrl);
    const plan = await planRestore({ storage: storage(), id, key, target: db.current.adminUrl });
    expect(plan.ok).toBe(false);
    expect(plan.target).toMatchObject({ exists: true, mode: 'existing', template: undefined });
    expect(plan.refusals.map((r) => r.code)).toEqual(['RESTORE_TARGET_NOT_EMPTY']);
    const refusal = plan.refusals[0]!;
    expect(RestoreTargetNotEmptyError.isInstance(refusal.error)).toBe(true);
    expect((refusal.error as RestoreTargetNotEmptyError).objects).toContain('public.customers');
    expect(refusal.message).toBe(refusal.error.message);
    // the other checks still ran: the parts verified and the archive was read
    expect(plan.parts[0]!.verified).toBe(true);
    expect(await checksums(db.current.adminUrl)).toEqual(before);
    expect(await serverState(db.current.adminUrl)).toEqual(databases);
    // the restore itself refuses with the same error
    await expect(
      restoreBackup({ storage: storage(), id, key, target: db.current.adminUrl }),
    ).rejects.toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY' });

    const clean = await planRestore({
      storage: storage(),
      id,
      key,
      target: db.current.adminUrl,
      clean: true,
    });
    expect(clean).toMatchObject({ ok: true, target: { mode: 'clean' } });
  });

  it('plans into an existing empty database and an atomic swap', async () => {
    const empty = await createDatabase(db.current.adminUrl, 'plan_empty');
    try {
      const plan = await planRestore({ storage: storage(), id, key, target: empty.url });
      expect(plan).toMatchObject({ ok: true, target: { exists: true, mode: 'existing' } });
      const atomic = await planRestore({
        storage: storage(),
        id,
        key,
        target: empty.url,
        atomic: true,
        dropPrevious: true,
      });
      expect(atomic).toMatchObject({
        ok: true,
        target: { mode: 'atomic', template: 'template0', previousDatabase: 'dropped' },
      });
      expect(await sql(empty.url, "SELECT 1 FROM pg_tables WHERE schemaname = 'public'")).toEqual(
        [],
      );
    } finally {
      await dropDatabase(db.current.adminUrl, empty.name);
    }
  });

  it('refuses what would fail at CREATE DATABASE or at the swap, before writing', async () => {
    const missing = await planRestore({
      storage: storage(),
      id,
      key,
      target: databaseUrl(db.current.adminUrl, `bk_plan_${randomBytes(3).toString('hex')}`),
      template: 'no_such_template',
    });
    expect(missing.refusals.map((r) => r.code)).toEqual(['RESTORE_TEMPLATE_MISSING']);
    expect(missing.warnings.join(' ')).toMatch(/not checked against the target/);

    const postgres = await planRestore({
      storage: storage(),
      id,
      key,
      target: databaseUrl(db.current.adminUrl, 'postgres'),
      atomic: true,
    });
    expect(postgres.refusals.map((r) => r.code)).toContain('RESTORE_NOT_PERMITTED');
    expect(postgres.refusals.find((r) => r.code === 'RESTORE_NOT_PERMITTED')!.message).toMatch(
      /cannot swap the database "postgres"/,
    );

    // a role without CREATEDB, and a template it neither owns nor may copy (not IS_TEMPLATE)
    const role = `bk_plan_role_${randomBytes(3).toString('hex')}`;
    const foreign = await createDatabase(db.current.adminUrl, 'plan_foreign');
    await sql(db.current.adminUrl, `CREATE ROLE ${role} LOGIN PASSWORD '${db.current.password}'`);
    try {
      const asRole = await planRestore({
        storage: storage(),
        id,
        key,
        target: databaseUrl(db.current.url(role), `bk_plan_${randomBytes(3).toString('hex')}`),
        template: foreign.name,
      });
      expect(asRole.target.server).toMatchObject({ role, superuser: false, createdb: false });
      const messages = asRole.refusals.map((r) => `${r.code}: ${r.message}`);
      expect(messages).toEqual([
        expect.stringMatching(/^RESTORE_NOT_PERMITTED: .* has no CREATEDB/),
        expect.stringMatching(/^RESTORE_NOT_PERMITTED: .* is not marked as a template/),
      ]);
    } finally {
      await sql(db.current.adminUrl, `DROP ROLE ${role}`);
      await dropDatabase(db.current.adminUrl, foreign.name);
    }
  });

  it('reports a part that fails verification, and a missing backup is thrown', async () => {
    const copy = await tempDir('plan-tamper');
    const manifest = await readFile(join(dir, id, 'manifest.json'));
    await mkdir(join(copy, id));
    await writeFile(join(copy, id, 'manifest.json'), manifest);
    const part = await readFile(join(dir, id, 'database.dump.zst.enc'));
    part[part.length - 100]! ^= 0x01;
    await writeFile(join(copy, id, 'database.dump.zst.enc'), part);
    const plan = await planRestore({
      storage: createLocalStorage(copy),
      id,
      key,
      target: databaseUrl(db.current.adminUrl, `bk_plan_${randomBytes(3).toString('hex')}`),
    });
    expect(plan.ok).toBe(false);
    // local storage: one read hashes and opens every chunk; the flipped chunk fails first
    expect(plan.refusals.map((r) => r.code)).toEqual(['BACKUP_CHUNK_AUTH_FAILED']);
    expect(BackupIntegrityError.isInstance(plan.refusals[0]!.error)).toBe(true);
    expect(plan.parts[0]!.verified).toBe(false);
    expect(plan.warnings.join(' ')).toMatch(/parts did not verify/);

    await expect(
      planRestore({ storage: storage(), id: 'no-such-backup', key, target: db.current.adminUrl }),
    ).rejects.toBeInstanceOf(BackupNotFoundError);
    await expect(
      planRestore({ storage: storage(), id, key, target: 'mysql://x' }),
    ).rejects.toMatchObject({ code: 'BACKUP_VALIDATION_FAILED' });
  });
});
