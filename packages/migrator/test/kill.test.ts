import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrator, DEFAULT_LOCK_KEY } from '../src/index.js';
import { eventually, grantCreateToPostgres, query, tempDir } from './helpers.js';

const db = useTestDatabase('migrator_kill');
const dir = tempDir({
  '20240101000000_schema.sql': 'create schema app;',
  '20240102000000_slow.sql':
    "create table app.half (id int);\ninsert into app.half values (1);\nselect pg_sleep(coalesce(nullif(current_setting('supaops.test_sleep', true), ''), '0')::float);\ncreate table app.after_sleep (id int);\n",
  '20240103000000_last.sql': 'create table app.last (id int);',
});
beforeAll(() => grantCreateToPostgres(db.current));
afterAll(() => dir.cleanup());

const child = fileURLToPath(new URL('./fixtures/run-up.mjs', import.meta.url));

describe('SIGKILL in the middle of a long migration', () => {
  it('leaves nothing half-applied, frees the lock and the backend, and a re-run succeeds', async () => {
    const proc = spawn(process.execPath, [child, db.current.url('postgres'), dir.dir, '60'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => {
      out += String(d);
    });
    proc.stderr.on('data', (d) => {
      err += String(d);
    });
    const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
    try {
      // the child is inside pg_sleep of file 2 once the server shows it
      const sleeping = await eventually(
        async () => {
          const rows = await query(
            db.current.adminUrl,
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'supaops-migrator' AND query LIKE 'select pg_sleep%' AND state = 'active'",
          );
          return rows.length === 1;
        },
        200,
        100,
      );
      expect(sleeping, `child never reached pg_sleep; stdout=${out} stderr=${err}`).toBe(true);
      expect(out).toContain('file-start 20240102000000');
      const locks = await query(
        db.current.adminUrl,
        "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND ((classid::bigint << 32) | objid::bigint) = $1::bigint",
        [DEFAULT_LOCK_KEY],
      );
      expect(locks).toHaveLength(1);
    } finally {
      proc.kill('SIGKILL');
      await exited;
    }

    // bounded wait: both server backends of the killed run go away, taking the lock with them
    const gone = await eventually(
      async () => {
        const backends = await query(
          db.current.adminUrl,
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'supaops-migrator%'",
        );
        const locks = await query(
          db.current.adminUrl,
          "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND ((classid::bigint << 32) | objid::bigint) = $1::bigint",
          [DEFAULT_LOCK_KEY],
        );
        return backends.length === 0 && locks.length === 0;
      },
      100,
      100,
    );
    expect(gone).toBe(true);

    // nothing of file 2 is applied: not the table created before the sleep, not its history row
    const tables = await query<{ t: string }>(
      db.current.adminUrl,
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'app'",
    );
    expect(tables).toEqual([]);
    const history = await query<{ version: string }>(
      db.current.adminUrl,
      'SELECT version FROM supabase_migrations.schema_migrations ORDER BY version',
    );
    expect(history.map((h) => h.version)).toEqual(['20240101000000']);

    // a re-run (fail mode: the lock must really be free) applies the rest
    const migrator = createMigrator({ connection: db.current.url('postgres'), dir: dir.dir });
    const report = await migrator.up();
    expect(report.files.map((f) => f.version)).toEqual(['20240102000000', '20240103000000']);
    const after = await query<{ t: string }>(
      db.current.adminUrl,
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'app' ORDER BY 1",
    );
    expect(after.map((r) => r.t)).toEqual(['after_sleep', 'half', 'last']);
  });
});
