import { describe, expect, it } from 'vitest';
import { parseConnectionTarget } from './parse.js';
import { redactConnectionString } from './redact.js';

// Every password form libpq accepts, with the characters that used to slip through.
const cases: Array<[name: string, input: string, secret: string]> = [
  ['raw ? in a URL password', 'postgresql://u:zq?1@h:5432/db', 'zq?1'],
  ['raw # in a URL password', 'postgresql://u:zq#1@h:5432/db', 'zq#1'],
  ['space in a URL password', 'postgresql://u:zq 1@h:5432/db', 'zq 1'],
  ['backslash in a URL password', 'postgresql://u:zq\\1@h:5432/db', 'zq\\1'],
  ['all of them', 'postgres://u:z?q# \\1@h/db?sslmode=require', 'z?q# \\1'],
  ['raw @ and ?', 'postgresql://u:zq@?1@h:6543/postgres', 'zq@?1'],
  ['raw / (libpq refuses it, still hidden)', 'postgresql://u:zq/1@h/db', 'zq/1'],
  ['upper-case scheme', 'POSTGRESQL://u:zq1@h/db', 'zq1'],
  ['several URLs on a line', 'from postgres://a:zq1@h/db to postgres://b:zq2@h/db', 'zq1'],
  ['several URLs on a line, second', 'from postgres://a:zq1@h/db to postgres://b:zq2@h/db', 'zq2'],
  ['in JSON', '{"url":"postgresql://u:zq 1#x@h/db","n":1}', 'zq 1#x'],
  [
    'pooler form without scheme',
    'postgres.abcdefghijklmnopqrst:zq1@aws-0-eu-west-1.pooler.supabase.com:6543/postgres',
    'zq1',
  ],
  ['pooler form with raw ? and #', 'psql postgres.tenant:zq?#1@203.0.113.7:6543/postgres', 'zq?#1'],
  ['pooler form with raw @', 'postgres.tenant:zq@1@203.0.113.7:6543', 'zq@1'],
  [
    'query password with # and space',
    'postgresql://u@h/db?password=zq# 1&sslmode=require',
    'zq# 1',
  ],
  ['query sslpassword', 'postgresql://u@h/db?sslpassword=zq1', 'zq1'],
  ['key=value escaped space', 'host=h password=zq\\ 1 dbname=d', 'zq\\ 1'],
  ['key=value bare with spaces', 'host=h password=zq1 zq2 dbname=d', 'zq2'],
  ['key=value quoted with backslashes', "host=h password='zq\\\\1\\'x' user=u", "zq\\\\1\\'x"],
  ['key=value unclosed quote', "host=h password='zq 1", 'zq 1'],
  ['key=value sslpassword', 'host=h sslpassword=zq1', 'zq1'],
  ['key=value spaces around =', 'host=h password = zq1', 'zq1'],
  ['.env line', 'PGPASSWORD=zq 1#x', 'zq 1#x'],
];

describe('redactConnectionString removes every password', () => {
  it.each(cases)('%s', (_name, input, secret) => {
    const out = redactConnectionString(input);
    expect(out).not.toContain(secret);
    expect(out).toContain('***');
  });

  it('keeps the rest readable', () => {
    expect(redactConnectionString('postgresql://u:zq?1@h:5432/db?sslmode=require')).toBe(
      'postgresql://u:***@h:5432/db?sslmode=require',
    );
    expect(redactConnectionString('postgres.tenant:zq1@203.0.113.7:6543/postgres failed')).toBe(
      'postgres.tenant:***@203.0.113.7:6543/postgres failed',
    );
    expect(redactConnectionString('connect postgresql://u:pw@db:5432/app as me@example.com')).toBe(
      'connect postgresql://u:***@db:5432/app as me@example.com',
    );
    expect(redactConnectionString('host=h password=zq1 zq2 dbname=d')).toBe(
      'host=h password=*** dbname=d',
    );
    expect(redactConnectionString('db.example.com:5432 and user me@example.com')).toBe(
      'db.example.com:5432 and user me@example.com',
    );
    expect(redactConnectionString('postgresql://u@h/db?application_name=a@b')).toBe(
      'postgresql://u@h/db?application_name=a@b',
    );
  });

  it('hides what the parser reads as the password, whatever it holds', () => {
    for (const password of ['a?b', 'c#d', 'e f', 'g\\h', 'i@j', 'k:l', 'm&n']) {
      const url = `postgresql://u:${password}@h.example.org:5432/db`;
      expect(parseConnectionTarget(url).password).toBe(password);
      expect(redactConnectionString(url)).toBe('postgresql://u:***@h.example.org:5432/db');
    }
  });
});
