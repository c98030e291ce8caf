import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  compareVersions,
  createMigrationFile,
  hasNoTransactionMarker,
  scanMigrations,
  sha256,
  timestampVersion,
} from './files.js';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'migrator-files-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration files', () => {
  it('formats 14-digit UTC versions and orders versions by file name, as the CLI does', () => {
    expect(timestampVersion(new Date(Date.UTC(2024, 11, 31, 23, 59, 58)))).toBe('20241231235958');
    // issue 13: text order of the file names, not numeric (`10_…` is listed before `9_…`)
    expect(compareVersions('9', '10')).toBe(1);
    expect(compareVersions('20240102000000', '20240101000000')).toBe(1);
    expect(compareVersions('010', '10')).toBe(-1);
    expect(compareVersions('5', '5')).toBe(0);
    expect(compareVersions('20240130', '20240101000000')).toBe(1);
    expect(compareVersions('20240130', '20240201000000')).toBe(-1);
    // `20240130120000_a.sql` < `20240130_x.sql`: a digit sorts before `_`
    expect(compareVersions('20240130120000', '20240130')).toBe(-1);
    expect(compareVersions('20240130', '20240130120000')).toBe(1);
  });

  it('lists migrations in the order of their file names, like the CLI directory listing', async () => {
    const d = temp();
    const names = [
      '20240201000000_b.sql',
      '20240130_x.sql',
      '20240101000000_a.sql',
      '20240130120000_noon.sql',
      '9_nine.sql',
      '10_ten.sql',
    ];
    for (const name of names) writeFileSync(join(d, name), 'select 1;');
    const scan = await scanMigrations(d);
    const byName = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(scan.migrations.map((m) => m.file)).toEqual(byName);
    expect(byName).toEqual([
      '10_ten.sql',
      '20240101000000_a.sql',
      '20240130120000_noon.sql',
      '20240130_x.sql',
      '20240201000000_b.sql',
      '9_nine.sql',
    ]);
  });

  it('finds the no-transaction marker only on a line of its own', () => {
    expect(
      hasNoTransactionMarker('-- supaops:no-transaction\ncreate index concurrently x on t (a);'),
    ).toBe(true);
    expect(hasNoTransactionMarker('select 1;\r\n  -- SUPAOPS:NO-TRANSACTION  \r\n')).toBe(true);
    expect(hasNoTransactionMarker("select '-- supaops:no-transaction';")).toBe(false);
  });

  it('scans up files, pairs down files, skips others and reports orphans', async () => {
    const d = temp();
    writeFileSync(join(d, '20240102000000_b.sql'), 'select 2;');
    writeFileSync(join(d, '20240101000000_a.sql'), 'select 1;');
    writeFileSync(join(d, '20240101000000_a.down.sql'), '-- supaops:no-transaction\nselect 0;');
    writeFileSync(join(d, '20240109000000_gone.down.sql'), 'select 9;');
    writeFileSync(join(d, 'notes.txt'), '');
    const scan = await scanMigrations(d);
    expect(scan.migrations.map((m) => m.file)).toEqual([
      '20240101000000_a.sql',
      '20240102000000_b.sql',
    ]);
    expect(scan.migrations[0]?.down).toMatchObject({
      file: '20240101000000_a.down.sql',
      noTransaction: true,
    });
    expect(scan.migrations[1]?.down).toBeUndefined();
    expect(scan.skipped).toEqual(['notes.txt']);
    expect(scan.orphanDownFiles).toEqual(['20240109000000_gone.down.sql']);
    expect(scan.cliVisibleDownFiles).toEqual([
      '20240101000000_a.down.sql',
      '20240109000000_gone.down.sql',
    ]);
    expect(await scanMigrations(join(d, 'missing'))).toMatchObject({
      exists: false,
      migrations: [],
    });
  });

  it('hashes the file bytes, not their decoded text', async () => {
    const d = temp();
    const bytes = Buffer.from([0x73, 0x65, 0x6c, 0x65, 0x63, 0x74, 0x20, 0x31, 0x3b, 0xff]);
    writeFileSync(join(d, '1_bin.sql'), bytes);
    const [m] = (await scanMigrations(d)).migrations;
    expect(m?.sha256).toBe(sha256(bytes));
    expect(m?.sha256).not.toBe(sha256(bytes.toString('utf8')));
  });

  it('reads down files from the down directory, which the CLI does not see', async () => {
    const d = temp();
    writeFileSync(join(d, '20240101000000_a.sql'), 'create table a (id int);');
    const created = await createMigrationFile(d, 'b', {
      now: new Date(Date.UTC(2024, 0, 2)),
      down: true,
    });
    expect(created.downPath).toBe(join(d, 'down', '20240102000000_b.down.sql'));
    writeFileSync(join(d, 'down', '20240101000000_a.down.sql'), 'drop table a;');
    const scan = await scanMigrations(d);
    expect(scan.migrations.map((m) => m.down?.file)).toEqual([
      join('down', '20240101000000_a.down.sql'),
      join('down', '20240102000000_b.down.sql'),
    ]);
    expect(scan.skipped).toEqual([]);
    expect(scan.cliVisibleDownFiles).toEqual([]);
    writeFileSync(join(d, '20240101000000_a.down.sql'), 'drop table a;');
    await expect(scanMigrations(d)).rejects.toMatchObject({ code: 'MIGRATION_DUPLICATE_VERSION' });
    const elsewhere = temp();
    writeFileSync(join(elsewhere, '20240101000000_a.down.sql'), 'drop table a;');
    const other = await scanMigrations(d, elsewhere).catch((e: unknown) => e);
    expect(other).toMatchObject({ code: 'MIGRATION_DUPLICATE_VERSION' });
  });

  it('skips a legacy first <timestamp>_init.sql like the CLI', async () => {
    const d = temp();
    writeFileSync(join(d, '20211001000000_init.sql'), 'select 1;');
    writeFileSync(join(d, '20220101000000_init.sql'), 'select 2;');
    const scan = await scanMigrations(d);
    expect(scan.skipped).toEqual(['20211001000000_init.sql']);
    expect(scan.migrations.map((m) => m.file)).toEqual(['20220101000000_init.sql']);
  });

  it('refuses duplicate versions and unreadable directories', async () => {
    const d = temp();
    writeFileSync(join(d, '1_a.sql'), '');
    writeFileSync(join(d, '1_b.sql'), '');
    await expect(scanMigrations(d)).rejects.toMatchObject({ code: 'MIGRATION_DUPLICATE_VERSION' });
    const f = join(d, 'file');
    writeFileSync(f, '');
    await expect(scanMigrations(f)).rejects.toMatchObject({ code: 'MIGRATION_DIR_UNREADABLE' });
    await expect(
      createMigrationFile(join(f, 'sub'), 'x', { now: new Date(), down: false }),
    ).rejects.toMatchObject({
      code: 'MIGRATION_DIR_UNWRITABLE',
    });
  });

  it('creates files at the next free second when the timestamp is taken', async () => {
    const d = temp();
    const now = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));
    const a = await createMigrationFile(d, 'first', { now, down: true });
    const b = await createMigrationFile(d, 'second', { now, down: false, sql: 'select 1;' });
    expect([a.version, b.version]).toEqual(['20250601120000', '20250601120001']);
    const scan = await scanMigrations(d);
    expect(scan.migrations.map((m) => [m.name, Boolean(m.down), m.sql])).toEqual([
      ['first', true, ''],
      ['second', false, 'select 1;'],
    ]);
  });
});
