import { describe, expect, it } from 'vitest';
import { isSecretRef, parseSecretRef, SECRET_REF_PATTERN } from './secret-ref.js';

const cases: [string, ReturnType<typeof parseSecretRef>][] = [
  ['env:DATABASE_URL', { scheme: 'env', name: 'DATABASE_URL' }],
  ['env:_x1', { scheme: 'env', name: '_x1' }],
  ['file:secrets/db.pw', { scheme: 'file', path: 'secrets/db.pw' }],
  ['file:/etc/supaops/key', { scheme: 'file', path: '/etc/supaops/key' }],
  ['store:prod/db-password', { scheme: 'store', name: 'prod/db-password' }],
  ['env:', null],
  ['env:1ABC', null],
  ['env:A-B', null],
  ['file:', null],
  ['store:', null],
  ['store:-x', null],
  ['eyJhbGciOiJIUzI1NiJ9', null],
  ['postgres://u@h/db', null],
  ['ENV:X', null],
];

describe('secret references', () => {
  it.each(cases)('%s', (value, expected) => {
    expect(parseSecretRef(value)).toEqual(expected);
    expect(isSecretRef(value)).toBe(expected !== null);
    // the JSON Schema's pattern agrees with the parser
    expect(new RegExp(SECRET_REF_PATTERN).test(value)).toBe(expected !== null);
  });

  it('is false for non-strings', () => {
    expect(isSecretRef(42 as unknown as string)).toBe(false);
  });
});
