import { useTestDatabase } from '@supaops/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { createMigrator, TransactionPoolerRefusedError } from '../src/index.js';
import { query, tempDir } from './helpers.js';

const db = useTestDatabase('migrator_pooler');

describe('transaction pooler targets', () => {
  it('refuses a Supavisor transaction-mode URL (port 6543) before connecting, with an explanation', async () => {
    const d = tempDir({ '20240101000000_a.sql': 'select 1;' });
    try {
      const m = createMigrator({
        connection:
          'postgres://postgres.abcdefghijklmnop:sup3r-s3cret-pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres',
        dir: d.dir,
      });
      const error = await m.up().catch((e: unknown) => e);
      expect(TransactionPoolerRefusedError.isInstance(error)).toBe(true);
      const message = (error as Error).message;
      expect(message).toContain('transaction pooler');
      expect(message).toContain('advisory lock');
      expect(message).toContain('Fix:');
      expect(message).not.toContain('sup3r-s3cret-pw');
      await expect(m.down({ last: 1 })).rejects.toSatisfy(TransactionPoolerRefusedError.isInstance);
      await expect(m.repair({ versions: ['20240101000000'], status: 'applied' })).rejects.toSatisfy(
        TransactionPoolerRefusedError.isInstance,
      );
    } finally {
      d.cleanup();
    }
  });

  it('refuses pgbouncer=true on a reachable server and leaves it untouched', async () => {
    const d = tempDir({ '20240101000000_a.sql': 'create table should_not_exist (id int);' });
    try {
      const url = `${db.current.url('postgres')}?pgbouncer=true`;
      const m = createMigrator({ connection: url, dir: d.dir });
      await expect(m.up()).rejects.toSatisfy(TransactionPoolerRefusedError.isInstance);
      const cfg = createMigrator({
        connection: { host: '127.0.0.1', port: 6543, user: 'postgres', password: 'x' },
        dir: d.dir,
      });
      await expect(cfg.up()).rejects.toSatisfy(TransactionPoolerRefusedError.isInstance);
      const rows = await query(
        db.current.adminUrl,
        "SELECT to_regclass('public.should_not_exist') AS t",
      );
      expect(rows).toEqual([{ t: null }]);
    } finally {
      d.cleanup();
    }
  });
});
