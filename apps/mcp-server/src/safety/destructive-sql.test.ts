import { describe, expect, it } from 'vitest';
import { classifyStatement, destructiveStatements } from './destructive-sql.js';

describe('classifyStatement', () => {
  it.each([
    ['DROP TABLE users', 'DROP'],
    ['  drop schema app cascade', 'DROP'],
    ['TRUNCATE orders', 'TRUNCATE'],
    ['DELETE FROM orders', 'DELETE_WITHOUT_WHERE'],
    ['update users set name = 1', 'UPDATE_WITHOUT_WHERE'],
    ['with x as (select 1) delete from t', 'DELETE_WITHOUT_WHERE'],
    ['ALTER TABLE t DROP COLUMN c', 'ALTER_DROP'],
    ['-- a comment\nDROP VIEW v', 'DROP'],
  ])('%s is %s', (sql, kind) => {
    expect(classifyStatement(sql)).toBe(kind);
  });

  it.each([
    'SELECT 1',
    'DELETE FROM orders WHERE id = 1',
    'UPDATE t SET a = 1 WHERE b = 2',
    "INSERT INTO notes(body) VALUES ('DROP TABLE x')",
    'SELECT "drop" FROM t',
    'SELECT $$DROP TABLE x$$',
    'ALTER TABLE t ADD COLUMN c int',
    'CREATE TABLE t (id int) /* DROP */',
  ])('%s is not destructive', (sql) => {
    expect(classifyStatement(sql)).toBeUndefined();
  });

  it('lists the destructive statements with their index, cutting long ones', () => {
    const long = `DROP TABLE ${'x'.repeat(400)}`;
    const list = destructiveStatements(['SELECT 1', 'TRUNCATE t', long]);
    expect(list.map((s) => [s.index, s.kind])).toEqual([
      [1, 'TRUNCATE'],
      [2, 'DROP'],
    ]);
    expect(list[1]?.sql.length).toBeLessThan(310);
  });
});
