import { describe, expect, it } from 'vitest';
import {
  MigrationDriftError,
  MigrationFailedError,
  MigrationFileError,
  MigrationHistoryMismatchError,
  MigrationLockHeldError,
  MigratorDatabaseError,
  MigratorError,
  MigratorValidationError,
  MissingDownFileError,
  TransactionPoolerRefusedError,
} from './errors.js';

describe('error classes', () => {
  const all = [
    new MigratorValidationError('x', ['a: bad']),
    new MigrationLockHeldError('held', { waitedMs: 0 }),
    new MigrationFailedError('failed', {
      version: '1',
      file: 'f',
      statementIndex: 0,
      statementCount: 1,
      excerpt: '',
      serverMessage: 'm',
    }),
    new MigrationDriftError('drift', ['1']),
    new MigrationHistoryMismatchError('MIGRATION_OUT_OF_ORDER', 'ooo', ['1']),
    new TransactionPoolerRefusedError('pooler'),
    new MissingDownFileError(['/x/1_a.down.sql']),
    new MigrationFileError('MIGRATION_FILE_UNREADABLE', 'file'),
    new MigratorDatabaseError('MIGRATION_CONNECT_FAILED', 'db'),
  ];

  it('are MigratorErrors with stable codes, told apart by isInstance', () => {
    for (const e of all) {
      expect(MigratorError.isInstance(e)).toBe(true);
      expect(e.code).toMatch(/^MIGRAT/);
    }
    const checks = [
      MigratorValidationError,
      MigrationLockHeldError,
      MigrationFailedError,
      MigrationDriftError,
      MigrationHistoryMismatchError,
      TransactionPoolerRefusedError,
      MissingDownFileError,
      MigrationFileError,
      MigratorDatabaseError,
    ];
    checks.forEach((cls, i) => {
      expect(all.filter((e) => cls.isInstance(e))).toEqual([all[i]]);
    });
    expect(MigratorError.isInstance(new Error('x'))).toBe(false);
    expect(MigratorError.isInstance(null)).toBe(false);
  });

  it('are recognised across duplicate copies of the package (symbol marker)', () => {
    const foreign = { [Symbol.for('supaops.migrator.error')]: true, code: 'MIGRATION_LOCK_HELD' };
    expect(MigrationLockHeldError.isInstance(foreign)).toBe(true);
    expect(MigrationDriftError.isInstance(foreign)).toBe(false);
  });

  it('name the missing down file and say how to fix it', () => {
    const e = new MissingDownFileError(['/m/2_x.down.sql']);
    expect(e.message).toContain('"/m/2_x.down.sql"');
    expect(e.message).toContain('Fix:');
  });
});
