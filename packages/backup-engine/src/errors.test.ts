import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

type ErrorsModule = typeof errors;
type Make = (m: ErrorsModule) => errors.BackupError;

// One constructor call per class, written against a module so that the same call builds an
// instance of this copy and of a duplicate copy of the module.
const kinds: [keyof ErrorsModule, Make, keyof ErrorsModule][] = [
  ['BackupValidationError', (m) => new m.BackupValidationError('x', ['a: b']), 'BackupKeyError'],
  [
    'BackupIntegrityError',
    (m) => new m.BackupIntegrityError('BACKUP_HASH_MISMATCH', 'm', { chunkIndex: 1 }),
    'RestoreError',
  ],
  ['BackupKeyError', (m) => new m.BackupKeyError('BACKUP_KEY_WRONG', 'm'), 'BackupIntegrityError'],
  [
    'PgToolVersionError',
    (m) => new m.PgToolVersionError('PG_TOOL_TOO_OLD', 'm', { tool: 'pg_dump', requiredMajor: 16 }),
    'PgToolError',
  ],
  [
    'PgToolError',
    (m) => new m.PgToolError('PG_TOOL_FAILED', 'm', { stderr: '', exitCode: 1 }),
    'PgToolVersionError',
  ],
  [
    'RestoreTargetNotEmptyError',
    (m) => new m.RestoreTargetNotEmptyError('db', ['public.t']),
    'RestoreError',
  ],
  [
    'RestoreError',
    (m) => new m.RestoreError('RESTORE_DISK_INSUFFICIENT', 'm'),
    'RestoreTargetNotEmptyError',
  ],
  [
    'BackupStorageError',
    (m) => new m.BackupStorageError('BACKUP_STORAGE_FAILED', 'm'),
    'BackupNotFoundError',
  ],
  ['BackupNotFoundError', (m) => new m.BackupNotFoundError('m'), 'BackupStorageError'],
  ['BackupAbortedError', (m) => new m.BackupAbortedError('m'), 'BackupStorageError'],
];

type Guard = { isInstance(value: unknown): boolean };

function guard(m: ErrorsModule, name: keyof ErrorsModule): Guard {
  return m[name] as unknown as Guard;
}

async function duplicateCopy(): Promise<ErrorsModule> {
  // A query string makes vite load the same file as a second module: classes of their own,
  // as a second installed copy of the package would have.
  const specifier = './errors.js?duplicate-copy';
  const copy = (await import(/* @vite-ignore */ specifier)) as ErrorsModule;
  expect(copy.BackupError).not.toBe(errors.BackupError);
  return copy;
}

describe('error kinds', () => {
  it.each(kinds)(
    '%s.isInstance is true for itself and false for a sibling',
    (name, make, sibling) => {
      const error = make(errors);
      expect(guard(errors, name).isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(guard(errors, name) as unknown as new () => unknown);
      expect(guard(errors, sibling).isInstance(error)).toBe(false);
      const makeSibling = kinds.find(([n]) => n === sibling)?.[1];
      expect(makeSibling && guard(errors, name).isInstance(makeSibling(errors))).toBe(false);
      // the base class still matches every kind
      expect(errors.BackupError.isInstance(error)).toBe(true);
    },
  );

  it.each(kinds)('%s.isInstance is true across a duplicate copy', async (name, make, sibling) => {
    const copy = await duplicateCopy();
    const foreign = make(copy);
    expect(foreign).not.toBeInstanceOf(guard(errors, name) as unknown as new () => unknown);
    expect(guard(errors, name).isInstance(foreign)).toBe(true);
    expect(guard(errors, sibling).isInstance(foreign)).toBe(false);
    expect(errors.BackupError.isInstance(foreign)).toBe(true);
    expect(guard(copy, name).isInstance(make(errors))).toBe(true);
  });

  it('matches no plain error, nothing else, and a base error is no subclass', () => {
    const base = new errors.BackupError('X', 'message');
    expect(errors.BackupError.isInstance(base)).toBe(true);
    for (const [name] of kinds) expect(guard(errors, name).isInstance(base)).toBe(false);
    for (const value of [new Error('x'), {}, null, undefined, 'BackupError']) {
      expect(errors.BackupError.isInstance(value)).toBe(false);
      expect(errors.RestoreError.isInstance(value)).toBe(false);
    }
    // an object carrying the kinds but not the package marker is not ours
    const lookalike = Object.assign(new Error('x'), {
      [Symbol.for('supaops.backup-engine.error.kinds')]: ['BackupError', 'RestoreError'],
    });
    expect(errors.RestoreError.isInstance(lookalike)).toBe(false);
  });
});
