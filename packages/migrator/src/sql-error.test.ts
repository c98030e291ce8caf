import { describe, expect, it } from 'vitest';
import { splitStatementsWithOffsets } from './split-statements.js';
import {
  caretExcerpt,
  describeStatementFailure,
  fileLineColumn,
  formatFailure,
} from './sql-error.js';

describe('caret excerpts', () => {
  it('puts a caret under the position, on the right line', () => {
    expect(caretExcerpt('select *\n  from nowhere', 17)).toBe('select *\n  from nowhere\n       ^');
    expect(caretExcerpt('select nope', 8)).toBe('select nope\n       ^');
  });

  it('returns the statement unchanged without a usable position', () => {
    expect(caretExcerpt('select 1', undefined)).toBe('select 1');
    expect(caretExcerpt('select 1', 0)).toBe('select 1');
    expect(caretExcerpt('select 1', 500)).toBe('select 1');
  });

  it('maps a statement position to the line and column of the file, counting characters', () => {
    const sql = '-- héllo\nselect 1;\nselect ünknown;';
    const parts = splitStatementsWithOffsets(sql);
    expect(fileLineColumn(sql, (parts[1] as { start: number }).start, 8)).toEqual({
      line: 3,
      column: 8,
    });
  });

  it('describes a failure with SQLSTATE, detail and hint', () => {
    const sql = 'select 1;\nselect bad;';
    const parts = splitStatementsWithOffsets(sql);
    const pgError = Object.assign(new Error('column "bad" does not exist'), {
      code: '42703',
      position: '8',
      detail: 'some detail',
      hint: 'some hint',
    });
    const d = describeStatementFailure(pgError, { version: '1', file: '1_x.sql', sql }, parts, 1);
    expect(d).toMatchObject({
      statementIndex: 1,
      statementCount: 2,
      sqlstate: '42703',
      position: 8,
      line: 2,
      column: 8,
    });
    const text = formatFailure(d);
    expect(text).toContain('statement 2 of 2 (line 2, column 8)');
    expect(text).toContain('Detail: some detail');
    expect(text).toContain('Hint: some hint');
    const bare = describeStatementFailure('boom', { version: '1', file: '1_x.sql', sql }, parts, 5);
    expect(bare).toMatchObject({ serverMessage: 'boom', excerpt: '' });
    expect(formatFailure(bare)).not.toContain('SQLSTATE');
  });
});
