import { describe, expect, it } from 'vitest';
import { SelfhostError } from '../errors.js';
import {
  ComposeFileError,
  PROMOTE_ERROR_CODES,
  ProductionConfirmationRequiredError,
  PromoteReadError,
  SchemaBackupFailedError,
  SchemaDivergenceError,
  SchemaHistoryMismatchError,
  SchemaSyncFailedError,
  SyncAbortedError,
  SyncStrategyNotYetError,
} from '../promote/promote-errors.js';
import {
  CLONE_ERROR_CODES,
  CloneAbortedError,
  CloneSettingsError,
  CloneSourceError,
  DatabaseUnresolvedError,
  DataCopyError,
  RowCountMismatchError,
} from './clone-errors.js';

const divergence = {
  kind: 'target-only' as const,
  version: '1',
  name: 'a',
  detail: 'd',
  fix: 'f',
};

describe('clone, sync and promote errors', () => {
  const all = [
    [CloneSourceError, new CloneSourceError('c', 'why. Fix: x.')],
    [CloneSettingsError, new CloneSettingsError(['SMTP_PASS'], 'pass smtp.')],
    [CloneAbortedError, new CloneAbortedError('wizard')],
    [DatabaseUnresolvedError, new DatabaseUnresolvedError('clone database', 'none.')],
    [DataCopyError, new DataCopyError('restore', 'boom.')],
    [RowCountMismatchError, new RowCountMismatchError([{ table: 't', source: 1, clone: 0 }])],
    [SchemaDivergenceError, new SchemaDivergenceError([divergence])],
    [SchemaBackupFailedError, new SchemaBackupFailedError('disk full.')],
    [SchemaSyncFailedError, new SchemaSyncFailedError('apply', 'bad SQL.', 'b1')],
    [SchemaHistoryMismatchError, new SchemaHistoryMismatchError(['1'], 'b1')],
    [SyncStrategyNotYetError, new SyncStrategyNotYetError('diff')],
    [SyncAbortedError, new SyncAbortedError('apply')],
    [ProductionConfirmationRequiredError, new ProductionConfirmationRequiredError('c')],
    [ComposeFileError, new ComposeFileError('c', 'bad')],
    [PromoteReadError, new PromoteReadError('source', 'c', 'gone')],
  ] as const;

  it('carry their own stable codes, are recognised only by their own class, and say how to fix it', () => {
    expect(all.map(([, e]) => e.code)).toEqual([
      ...Object.values(CLONE_ERROR_CODES),
      ...Object.values(PROMOTE_ERROR_CODES),
    ]);
    for (const [cls, e] of all) {
      expect(SelfhostError.isInstance(e)).toBe(true);
      expect(cls.isInstance(e)).toBe(true);
      expect(e.message).toMatch(/Fix:/);
      for (const [other, o] of all) if (other !== cls) expect(cls.isInstance(o)).toBe(false);
    }
    expect(CloneSourceError.isInstance(new Error('x'))).toBe(false);
  });

  it('keep their details and shorten long lists', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ table: `t${i}`, source: i, clone: null }));
    expect(new RowCountMismatchError(many).message).toMatch(/clone unreadable\).* and 2 more/);
    const div = Array.from({ length: 6 }, (_, i) => ({ ...divergence, version: String(i) }));
    expect(new SchemaDivergenceError(div).message).toMatch(/and 1 more/);
    expect(new SchemaSyncFailedError('read', 'no route.', undefined).message).toMatch(
      /Nothing was written/,
    );
    expect(new SchemaSyncFailedError('apply', 'x.', undefined).message).toMatch(/\(none\)/);
    expect(new SchemaHistoryMismatchError(['1'], undefined).versions).toEqual(['1']);
    expect(new CloneSettingsError(['A', 'B'], 'f').missing).toEqual(['A', 'B']);
    expect(new CloneAbortedError('data').phase).toBe('data');
    expect(new DataCopyError('backup', 'x').step).toBe('backup');
  });
});
