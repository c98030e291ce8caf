import { describe, expect, it } from 'vitest';
import { MigratorValidationError } from './errors.js';
import { createMigrator, MIGRATOR_OPERATIONS } from './migrator.js';

// Nothing here reaches a database: validation happens before any connection.
const url = 'postgres://postgres:pw@127.0.0.1:1/postgres';

describe('input validation', () => {
  it('rejects bad createMigrator options with every issue listed', () => {
    try {
      createMigrator({
        connection: '',
        dir: '',
        lock: { mode: 'sometimes' as 'fail', timeoutMs: -1 },
      });
      expect.unreachable();
    } catch (error) {
      expect(MigratorValidationError.isInstance(error)).toBe(true);
      const issues = (error as MigratorValidationError).issues.join('\n');
      expect(issues).toContain('connection');
      expect(issues).toContain('dir');
      expect(issues).toContain('lock.mode');
      expect(issues).toContain('lock.timeoutMs');
    }
    expect(() => createMigrator(undefined as never)).toThrow(MigratorValidationError);
    expect(() => createMigrator({ connection: url, onEvent: 'x' as never })).toThrow(/onEvent/);
  });

  it('rejects bad operation options before connecting', async () => {
    const m = createMigrator({ connection: url, dir: '/nonexistent' });
    await expect(m.up({ to: 'latest' })).rejects.toThrow(/to: must be a migration version/);
    await expect(m.up({ bogus: true } as never)).rejects.toThrow(MigratorValidationError);
    await expect(m.down({})).rejects.toThrow(/exactly one of/);
    await expect(m.down({ to: '1', last: 1 })).rejects.toThrow(/exactly one of/);
    await expect(m.repair({ versions: [], status: 'applied' })).rejects.toThrow(
      /at least one version/,
    );
    await expect(m.repair({ versions: ['1'], status: 'maybe' as never })).rejects.toThrow(
      MigratorValidationError,
    );
    await expect(m.fetch({ overwrite: 'yes' as never })).rejects.toThrow(MigratorValidationError);
    await expect(m.newMigration('../escape')).rejects.toThrow(/letters, digits/);
    expect(() => m.on('progress', 'nope' as never)).toThrow(MigratorValidationError);
  });

  it('accepts only an AbortSignal as signal, and a bounded cancelGraceMs', async () => {
    const m = createMigrator({ connection: url, dir: '/nonexistent' });
    const notASignal = { aborted: true } as never;
    await expect(m.up({ signal: notASignal })).rejects.toThrow(/signal: must be an AbortSignal/);
    await expect(m.down({ last: 1, signal: notASignal })).rejects.toThrow(MigratorValidationError);
    await expect(m.repair({ all: true, status: 'applied', signal: notASignal })).rejects.toThrow(
      MigratorValidationError,
    );
    await expect(m.fetch({ signal: notASignal })).rejects.toThrow(MigratorValidationError);
    await expect(m.status({ signal: notASignal })).rejects.toThrow(/status options/);
    await expect(m.verify({ bogus: 1 } as never)).rejects.toThrow(/verify options/);
    expect(() => createMigrator({ connection: url, cancelGraceMs: -1 })).toThrow(/cancelGraceMs/);
  });

  it('marks down as destructive in the operation metadata', () => {
    expect(MIGRATOR_OPERATIONS.down.destructive).toBe(true);
    expect(MIGRATOR_OPERATIONS.up.destructive).toBe(false);
    expect(Object.keys(MIGRATOR_OPERATIONS).sort()).toEqual(
      ['down', 'fetch', 'newMigration', 'repair', 'status', 'up', 'verify'].sort(),
    );
  });

  it('reports a connection failure as a typed error without the password', async () => {
    const m = createMigrator({
      connection: 'postgres://postgres:hunter2-secret@127.0.0.1:1/postgres',
      dir: '/x',
    });
    const error = await m.status().catch((e: unknown) => e);
    expect((error as { code: string }).code).toBe('MIGRATION_CONNECT_FAILED');
    expect((error as Error).message).not.toContain('hunter2-secret');
    const up = await m.up().catch((e: unknown) => e);
    expect((up as { code: string }).code).toBe('MIGRATION_CONNECT_FAILED');
    expect((up as { report?: { ok: boolean } }).report?.ok).toBe(false);
  });
});
