import { describe, expect, it } from 'vitest';
import { createRunAbort, describeAbortReason, RunInterrupted } from './abort.js';
import { abortedError } from './abort-error.js';
import { MigrationAbortedError, MigratorError } from './errors.js';
import type { FileReport } from './events.js';

const file = (name: string, status: FileReport['status']): FileReport => ({
  version: name.slice(0, 14),
  name,
  file: name,
  direction: 'up',
  status,
  noTransaction: false,
  statements: 1,
  durationMs: 1,
});

function interrupted(
  phase: RunInterrupted['phase'],
  set: Partial<
    Pick<RunInterrupted, 'file' | 'statementIndex' | 'statementCount' | 'partial' | 'notStarted'>
  > = {},
  info: ConstructorParameters<typeof RunInterrupted>[1] = {},
): RunInterrupted {
  return Object.assign(new RunInterrupted(phase, info), set);
}

describe('MigrationAbortedError messages', () => {
  it('is a MigratorError with a stable code, told apart by isInstance', () => {
    const e = abortedError('up', false, [], interrupted('before-start'), 'x');
    expect(MigrationAbortedError.isInstance(e)).toBe(true);
    expect(MigratorError.isInstance(e)).toBe(true);
    expect(e.code).toBe('MIGRATION_ABORTED');
    expect(MigrationAbortedError.isInstance(new Error('x'))).toBe(false);
    expect(e.message).toContain('Fix:');
  });

  it('lists at most five files per list and counts the rest', () => {
    const done = Array.from({ length: 8 }, (_, i) => file(`2024010100000${i}_f.sql`, 'applied'));
    const e = abortedError(
      'up',
      false,
      [...done, file('x', 'failed')],
      interrupted('files', { notStarted: ['a', 'b'] }),
      'r',
    );
    expect(e.details.completed).toHaveLength(8);
    expect(e.message).toContain('and 3 more');
    expect(e.message).toContain('Not started: a, b.');
    expect(e.message).toContain('Fix: run up again to continue with a;');
  });

  it('says what each phase and operation left behind', () => {
    expect(abortedError('up', false, [], interrupted('lock'), 'r').message).toContain(
      'nothing ran and the lock is not held',
    );
    expect(abortedError('verify', false, [], interrupted('files'), 'r').message).toContain(
      'verify() was aborted (r); it only reads',
    );
    expect(abortedError('repair', false, [], interrupted('files'), 'r').message).toContain(
      'no history row changed',
    );
    const dry = abortedError(
      'down',
      true,
      [file('a', 'would-revert')],
      interrupted('files', { file: 'b' }),
      'r',
    );
    expect(dry.details.completed).toEqual([]);
    expect(dry.message).toContain('The down dry run was aborted (r) at b');
    const fetch = abortedError(
      'fetch',
      false,
      [file('a', 'written'), file('b', 'unchanged')],
      interrupted('files', { notStarted: ['c'] }),
      'r',
    );
    expect(fetch.details.completed).toEqual(['a']);
    expect(fetch.message).toContain('Written by this run and kept');
    expect(fetch.message).toContain('Fix: run fetch again');
    const none = abortedError(
      'down',
      false,
      [],
      interrupted('files', { file: 'd' }, { connectionClosed: true }),
      'r',
    );
    expect(none.message).toContain('No file was reverted by this run.');
    expect(none.message).toContain('its connection was closed');
    expect(none.details.connectionClosed).toBe(true);
  });

  it('reports a partial no-transaction file with its statement and how to make it re-runnable', () => {
    const e = abortedError(
      'up',
      false,
      [],
      interrupted(
        'files',
        { file: 'n.sql', statementIndex: 2, statementCount: 4, partial: true },
        {
          statementCancelled: true,
          cause: Object.assign(new Error('canceling statement'), { code: '57014' }),
        },
      ),
      'r',
    );
    expect(e.details.partiallyApplied).toEqual({
      file: 'n.sql',
      statementIndex: 2,
      statementCount: 4,
    });
    expect(e.message).toContain('stopped at statement 3 of 4: statements 1..2 stayed applied');
    expect(e.message).toContain('cancelled on the server');
    expect(e.message).toContain('INVALID index');
    expect((e.cause as { code: string }).code).toBe('57014');
  });
});

describe('abort reasons and a run without a signal', () => {
  it('describes reasons briefly, masking connection passwords', () => {
    expect(describeAbortReason(new DOMException('This operation was aborted', 'AbortError'))).toBe(
      'the signal was aborted',
    );
    expect(describeAbortReason(undefined)).toBe('the signal was aborted');
    expect(describeAbortReason(new Error('timed out'))).toBe('timed out');
    expect(describeAbortReason(42)).toBe('42');
    expect(describeAbortReason('postgres://u:hunter2@h/db gone')).not.toContain('hunter2');
    expect(describeAbortReason('x'.repeat(500))).toHaveLength(200);
  });

  it('never interrupts without a signal', () => {
    const abort = createRunAbort(undefined, 1000);
    expect(abort.aborted).toBe(false);
    expect(() => abort.check('files')).not.toThrow();
    const fired = createRunAbort(AbortSignal.abort(), 1000);
    expect(() => fired.check('lock')).toThrow(RunInterrupted);
  });
});
