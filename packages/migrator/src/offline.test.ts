import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MigratorConnectionRequiredError, MigratorError } from './errors.js';
import type { MigratorEvent, RunReport } from './events.js';
import { createMigrator, MIGRATOR_OPERATIONS } from './migrator.js';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'migrator-offline-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('a migrator without a connection', () => {
  it('writes new migrations (and down files) without one', async () => {
    const dir = temp();
    const migrator = createMigrator({ dir, now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) });
    const created = await migrator.newMigration('create_todos', {
      down: true,
      sql: 'create table todos (id int);\n',
    });
    expect(created.version).toBe('20260102030405');
    expect(readdirSync(dir).sort()).toEqual(['20260102030405_create_todos.sql', 'down']);
    expect(readFileSync(join(dir, '20260102030405_create_todos.sql'), 'utf8')).toBe(
      'create table todos (id int);\n',
    );
    expect(existsSync(join(dir, 'down', '20260102030405_create_todos.down.sql'))).toBe(true);
    // an explicit undefined is the same as leaving it out
    const again = createMigrator({ connection: undefined, dir, now: () => new Date(0) });
    expect((await again.newMigration('second')).version).toBe('19700101000000');
  });

  it('fails every database operation with MigratorConnectionRequiredError, before any SQL', async () => {
    const dir = temp();
    const reportDir = join(dir, 'reports');
    const events: MigratorEvent[] = [];
    const migrator = createMigrator({ dir, reportDir, onEvent: (e) => events.push(e) });
    const calls = {
      status: () => migrator.status(),
      verify: () => migrator.verify(),
      up: () => migrator.up(),
      down: () => migrator.down({ last: 1 }),
      repair: () => migrator.repair({ all: true, status: 'reverted' }),
      fetch: () => migrator.fetch(),
    } as const;
    for (const [operation, call] of Object.entries(calls)) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(MigratorConnectionRequiredError.isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(MigratorConnectionRequiredError);
      expect(MigratorError.isInstance(error)).toBe(true);
      const typed = error as MigratorConnectionRequiredError & { report?: RunReport };
      expect(typed.code).toBe('MIGRATION_CONNECTION_REQUIRED');
      expect(typed.operation).toBe(operation);
      expect(typed.message).toMatch(
        new RegExp(`^${operation}\\(\\) needs the database.+Fix: pass \`connection\``),
      );
      expect(MIGRATOR_OPERATIONS[operation as keyof typeof calls].needsConnection).toBe(true);
      if (operation === 'status' || operation === 'verify') continue;
      // runs still produce their report, saying why
      expect(typed.report).toMatchObject({
        operation,
        ok: false,
        target: '(no connection)',
        files: [],
        error: { code: 'MIGRATION_CONNECTION_REQUIRED' },
      });
    }
    expect(MIGRATOR_OPERATIONS.newMigration.needsConnection).toBe(false);
    // it failed before the lock was asked for
    expect(events.some((e) => e.type === 'lock-wait')).toBe(false);
    expect(readdirSync(reportDir)).toHaveLength(4);
  });

  it('still validates operation options first, and a given connection still must not be empty', async () => {
    const migrator = createMigrator({ dir: temp() });
    await expect(migrator.up({ to: 'latest' })).rejects.toThrow(/must be a migration version/);
    expect(() => createMigrator({ connection: '', dir: temp() })).toThrow(/connection/);
    const aborted = await migrator.up({ signal: AbortSignal.abort() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    // an aborted signal starts nothing, the same as with a connection
    expect((aborted as MigratorError).code).toBe('MIGRATION_ABORTED');
  });
});
