import { describe, expect, it } from 'vitest';
import { parseConnectionTarget } from './parse.js';
import {
  maskSecret,
  quoteKeyValue,
  redactKeyValue,
  redactTarget,
  renderKeyValue,
  renderUrl,
} from './render.js';
import { quoteIdent, quoteLiteral, redactSqlSecrets } from './sql.js';

describe('rendering', () => {
  const t = parseConnectionTarget({
    PGHOST: 'h.example.org',
    PGUSER: "o'brien",
    PGPASSWORD: "p@ss w'o\\rd/?#%",
    PGDATABASE: 'my db',
    PGAPPNAME: 'a b',
  });

  it('percent-encodes every URL part', () => {
    expect(renderUrl(t)).toBe(
      'postgresql://o%27brien:p%40ss%20w%27o%5Crd%2F%3F%23%25@h.example.org:5432/my%20db?application_name=a%20b',
    );
  });

  it('quotes and escapes key=value values', () => {
    expect(renderKeyValue(t)).toBe(
      "host=h.example.org port=5432 user='o\\'brien' password='p@ss w\\'o\\\\rd/?#%' dbname='my db' application_name='a b'",
    );
    expect(quoteKeyValue('')).toBe("''");
    expect(quoteKeyValue('plain')).toBe('plain');
  });

  it('redacts the password in both forms', () => {
    expect(redactTarget(t)).toBe(
      'postgresql://o%27brien:***@h.example.org:5432/my%20db?application_name=a%20b',
    );
    expect(redactKeyValue(t)).toContain('password=***');
    expect(redactKeyValue(t)).not.toContain('p@ss');
  });

  it('renders IPv6 in brackets and sockets percent-encoded', () => {
    expect(renderUrl(parseConnectionTarget('postgresql://u@[fe80::1]:5433/d'))).toBe(
      'postgresql://u@[fe80::1]:5433/d',
    );
    // no dbname: libpq's default is the user name
    expect(renderUrl(parseConnectionTarget('host=/var/run/postgresql user=u'))).toBe(
      'postgresql://u@%2Fvar%2Frun%2Fpostgresql:5432/u',
    );
  });

  it('masks secrets to at most 4+4 characters', () => {
    expect(maskSecret('short')).toBe('***');
    expect(maskSecret('abcdefghijklmnopqrstuvwxyz')).toBe('abcd***wxyz');
  });

  it('quotes SQL identifiers and literals, hides PASSWORD literals', () => {
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteLiteral('a\\b')).toBe("E'a\\\\b'");
    expect(redactSqlSecrets("ALTER ROLE x PASSWORD 'hunter2'")).toBe('ALTER ROLE x PASSWORD ***');
  });
});
