import { describe, expect, it } from 'vitest';
import { isSecretKey, redactValue } from './redact.js';

describe('isSecretKey', () => {
  it.each([
    'password',
    'PGPASSWORD',
    'dbPassword',
    'db_password',
    'secret',
    'jwtSecret',
    'token',
    'accessToken',
    'key',
    'apiKey',
    'apikey',
    'APIKEY',
    'x-api-key',
    'serviceRoleKey',
    'service_role_key',
    'Authorization',
    'passphrase',
    'secretAccessKey',
  ])('%s is secret', (key) => expect(isSecretKey(key)).toBe(true));

  it.each(['sql', 'name', 'keyword', 'monkey', 'instance', 'url', 'tokenizer', 'description'])(
    '%s is not',
    (key) => expect(isSecretKey(key)).toBe(false),
  );
});

describe('redactValue', () => {
  it('masks secret keys deeply, passwords in URLs and given secrets, without mutating', () => {
    const input = {
      sql: "ALTER ROLE app PASSWORD 'given-secret-1'",
      nested: { list: [{ apiKey: 'k1' }, { Authorization: 'Bearer x' }], ok: 1 },
      url: 'postgres://u:url-pw@h:5432/db',
      headers: { 'x-api-key': 'k2' },
      encoded: 'postgres://u:p%40ss@h/db and p@ss',
      allowServiceKey: false,
      token: null,
      empty: '',
    };
    const out = redactValue(input, ['given-secret-1', 'p@ss', '']);
    expect(out).toEqual({
      sql: "ALTER ROLE app PASSWORD '***'",
      nested: { list: [{ apiKey: '***' }, { Authorization: '***' }], ok: 1 },
      url: 'postgres://u:***@h:5432/db',
      headers: { 'x-api-key': '***' },
      encoded: 'postgres://u:***@h/db and ***',
      allowServiceKey: false,
      token: null,
      empty: '',
    });
    expect(input.nested.list[0]?.apiKey).toBe('k1');
  });

  it('masks a secret key holding an object whole', () => {
    expect(redactValue({ keys: { anon: 'a', service: 's' } })).toEqual({ keys: '***' });
  });

  it('masks the longest secret first', () => {
    expect(redactValue('abc-abcdef', ['abc', 'abcdef'])).toBe('***-***');
  });

  it('handles cycles, depth, dates, errors, buffers, bigints and functions', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 40; i++) {
      deep.next = {};
      deep = deep.next as Record<string, unknown>;
    }
    const shared = { v: 1 };
    const out = redactValue(
      {
        cyclic,
        root,
        when: new Date('2026-01-02T03:04:05Z'),
        error: new Error('failed for s3cr3t'),
        bytes: Buffer.from('abc'),
        big: 10n,
        fn: () => 1,
        shared: [shared, shared],
      },
      ['s3cr3t'],
    ) as Record<string, unknown>;
    expect((out.cyclic as Record<string, unknown>).self).toBe('[Circular]');
    expect(JSON.stringify(out.root)).toContain('[Truncated]');
    expect(out.when).toBe('2026-01-02T03:04:05.000Z');
    expect(out.error).toEqual({ name: 'Error', message: 'failed for ***' });
    expect(out.bytes).toBe('[3 bytes]');
    expect(out.big).toBe('10');
    expect(out.fn).toBeUndefined();
    expect(out.shared).toEqual([{ v: 1 }, { v: 1 }]);
  });
});
