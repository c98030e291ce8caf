import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator } from '../src/index.js';
import { grantCreateToPostgres, query, tempDir } from './helpers.js';

const db = useTestDatabase('migrator_offline');
const dirs: { cleanup(): void }[] = [];
beforeAll(() => grantCreateToPostgres(db.current));
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

describe('newMigration without a connection', () => {
  it('writes a file that a connected migrator then applies', async () => {
    const d = tempDir();
    dirs.push(d);
    const offline = createMigrator({ dir: d.dir, now: () => new Date(Date.UTC(2026, 5, 1)) });
    const { version } = await offline.newMigration('offline_table', {
      down: true,
      sql: 'create schema offline_app;\ncreate table offline_app.t (id int primary key);\n',
    });
    const online = createMigrator({ connection: db.current.url('postgres'), dir: d.dir });
    expect((await online.status()).pending).toEqual([version]);
    const report = await online.up();
    expect(report.files.map((f) => [f.version, f.status])).toEqual([[version, 'applied']]);
    const rows = await query<{ n: string }>(
      db.current.adminUrl,
      "select count(*) as n from pg_tables where schemaname = 'offline_app' and tablename = 't'",
    );
    expect(rows[0]?.n).toBe('1');
    // the offline migrator still cannot read the history
    await expect(offline.status()).rejects.toMatchObject({ code: 'MIGRATION_CONNECTION_REQUIRED' });
  });
});
