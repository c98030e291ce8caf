import { describe, expect, it } from 'vitest';
import {
  connectionStringForm,
  connectionStringPassword,
  redactConnectionString,
  redactEmbeddedPasswords,
  withPassword,
} from './connection-string.js';

describe('connection strings', () => {
  it('tells URL and key=value forms from anything else', () => {
    expect(connectionStringForm('postgres://h/db')).toBe('url');
    expect(connectionStringForm('postgresql://u@h:5432/db?sslmode=require')).toBe('url');
    expect(connectionStringForm('host=h user=u dbname=d')).toBe('keyvalue');
    expect(connectionStringForm('mysql://h/db')).toBeNull();
    expect(connectionStringForm('db.example.com')).toBeNull();
  });

  it('finds the password in the userinfo, the query or key=value (decoded)', () => {
    expect(connectionStringPassword('postgres://u:p%40ss@h/db')).toBe('p@ss');
    expect(connectionStringPassword('postgres://u:@h/db')).toBe('');
    expect(connectionStringPassword('postgres://u@h/db')).toBeUndefined();
    expect(connectionStringPassword('postgres://h/db?sslmode=require&password=x%2Fy')).toBe('x/y');
    expect(connectionStringPassword("host=h password='it\\'s' user=u")).toBe("it's");
    expect(connectionStringPassword('host=h password=plain')).toBe('plain');
    expect(connectionStringPassword('host=h user=u')).toBeUndefined();
    expect(connectionStringPassword('postgres://u:%E0%A4%A@h/db')).toBe('%E0%A4%A');
  });

  it('inserts a password URL-encoded into the userinfo, the query or key=value', () => {
    expect(withPassword('postgres://postgres.ref@h:6543/postgres', 'p@ss/w:rd')).toBe(
      'postgres://postgres.ref:p%40ss%2Fw%3Ard@h:6543/postgres',
    );
    expect(withPassword('postgres://h/db', 'x')).toBe('postgres://h/db?password=x');
    expect(withPassword('postgres://h/db?sslmode=require#f', 'x')).toBe(
      'postgres://h/db?sslmode=require&password=x#f',
    );
    const kv = withPassword('host=h user=u ', "it's");
    expect(kv).toBe("host=h user=u password='it\\'s'");
    expect(connectionStringPassword(kv)).toBe("it's");
  });

  it('round-trips: the inserted password is the one found', () => {
    for (const pw of ['simple', 'p@ss:/?#[]word', 'ünïcødé', "q'uote\\"]) {
      expect(connectionStringPassword(withPassword('postgres://u@h/db', pw))).toBe(pw);
    }
  });

  it('masks the password, keeping user, host and parameters', () => {
    expect(redactConnectionString('postgres://u:secret@h:5432/db?sslmode=require')).toBe(
      'postgres://u:***@h:5432/db?sslmode=require',
    );
    expect(redactConnectionString('postgres://h/db?a=1&password=s')).toBe(
      'postgres://h/db?a=1&password=***',
    );
    expect(redactConnectionString('postgres://u@h/db')).toBe('postgres://u@h/db');
    expect(redactConnectionString("host=h password='x y' user=u")).toBe(
      'host=h password=*** user=u',
    );
  });

  it('masks passwords embedded in free text', () => {
    expect(
      redactEmbeddedPasswords(
        'failed: postgres://u:pw1@h/db and https://a:b@c then password=zz&x=1',
      ),
    ).toBe('failed: postgres://u:***@h/db and https://a:***@c then password=***&x=1');
  });
});

describe('redaction of long text', () => {
  it('stays linear on long runs of scheme-like characters', () => {
    const long = `${'a'.repeat(200_000)}://x:pw@h ${'b'.repeat(200_000)}`;
    const out = redactEmbeddedPasswords(long);
    expect(out.endsWith(`://x:***@h ${'b'.repeat(200_000)}`)).toBe(true);
  });
});
