import { describe, expect, it } from 'vitest';
import { diagnoseTarget } from './diagnose.js';
import { ConnectionStringError } from './errors.js';
import { parseConnectionTarget } from './parse.js';
import { toPgConfig } from './pg-config.js';
import { redactKeyValue, redactTarget, renderKeyValue, renderUrl } from './render.js';
import type { ConnectionTarget } from './target.js';

// Written from libpq's documented behaviour (libpq-connect.html, "Connection Strings",
// "Parameter Key Words", "Environment Variables"); test/libpq-verdicts.test.ts checks the
// accept/refuse verdicts against libpq itself.

function refusal(input: string | Record<string, string>): ConnectionStringError {
  try {
    parseConnectionTarget(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectionStringError);
    return error as ConnectionStringError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

const noteCodes = (t: ConnectionTarget) => t.notes.map((n) => n.code);

describe('libpq URL rules', () => {
  it('the credentials end at the first "@" before "/": raw ?, # and spaces stay in the password', () => {
    const t = parseConnectionTarget(
      'postgresql://u:p?a#s s\\w@h.example.org:5433/d?sslmode=disable',
    );
    expect(t).toMatchObject({ password: 'p?a#s s\\w', host: 'h.example.org', port: 5433 });
    expect(t.params).toEqual({ sslmode: 'disable' });
    expect(noteCodes(t)).toEqual(['PASSWORD_UNENCODED_CHARS']);
    expect(parseConnectionTarget(renderUrl(t)).password).toBe('p?a#s s\\w');
  });

  it('an "@" in the query does not end the credentials', () => {
    const t = parseConnectionTarget('postgresql://u:pw@h.example.org?application_name=me@x');
    expect(t).toMatchObject({ password: 'pw', host: 'h.example.org' });
    expect(t.params.application_name).toBe('me@x');
  });

  it('ports as libpq reads them: blanks and a sign allowed, empty means 5432', () => {
    expect(parseConnectionTarget('host=h user=u port=+6000').port).toBe(6000);
    expect(parseConnectionTarget("host=h user=u port=' 6000 '").port).toBe(6000);
    expect(parseConnectionTarget('postgresql://u@h:/d').port).toBe(5432);
    expect(refusal('host=h user=u port=0x10').part).toBe('port');
    expect(refusal('host=h user=u port=5432,5433').part).toBe('port');
    expect(refusal('host=h user=u port=99999999999').part).toBe('port');
  });

  it('query pairs: exactly one raw "=", no empty pairs, one trailing "&" allowed', () => {
    expect(refusal('postgresql://h/d?options=-c%20a=b').part).toBe('parameter options');
    expect(refusal('postgresql://h/d?&sslmode=disable').part).toBe('parameters');
    expect(refusal('postgresql://h/d?sslmode=disable&&connect_timeout=1').part).toBe('parameters');
    expect(refusal('postgresql://h/d?=x').part).toBe('parameter ');
    expect(parseConnectionTarget('postgresql://h/d?sslmode=disable&').params).toEqual({
      sslmode: 'disable',
    });
    expect(parseConnectionTarget('postgresql://h/d?').params).toEqual({});
  });

  it('IPv6: empty brackets and garbage after them are refused', () => {
    expect(refusal('postgresql://[]:5432/d').part).toBe('host');
    expect(refusal('postgresql://[::1]x/d').part).toBe('host');
    const zoned = parseConnectionTarget('postgresql://u@[fe80::1%25eth0]:5433/d');
    expect(zoned.host).toBe('fe80::1%eth0');
    expect(parseConnectionTarget(renderUrl(zoned)).host).toBe('fe80::1%eth0');
  });
});

describe('scheme, whitespace and %00 as libpq handles them', () => {
  it('an upper-case scheme is refused: libpq does not recognize it', () => {
    const e = refusal('Postgres://u:pw@h.example.org/d');
    expect(e.part).toBe('scheme');
    expect(e.message).toMatch(/lowercase/);
  });

  it('leading whitespace is refused; trailing whitespace stays in the last part, with a note', () => {
    expect(refusal(' postgresql://u@h.example.org/d').part).toBe('input');
    const t = parseConnectionTarget('postgresql://u@h.example.org/d\n');
    expect(t.database).toBe('d\n');
    expect(noteCodes(t)).toEqual(['TRAILING_WHITESPACE']);
    expect(refusal('postgresql://u@h.example.org/d?sslmode=disable ').part).toBe(
      'parameter sslmode',
    );
    expect(parseConnectionTarget('  host=h.example.org user=u  ').host).toBe('h.example.org');
  });

  it('%00 and raw NUL characters are refused', () => {
    expect(refusal('postgresql://u@h.example.org/d%00b').part).toBe('database');
    expect(refusal('postgresql://u:p%00w@h.example.org/d').part).toBe('password');
    expect(refusal('postgresql://u@h.example.org/d?application_name=a%00').part).toBe(
      'parameter application_name',
    );
    expect(refusal('host=h user=u\0').part).toBe('input');
    expect(refusal('postgresql://u@h\0/d').part).toBe('input');
  });

  it('percent-encoded bytes that are not UTF-8 are refused (libpq passes them on)', () => {
    const e = refusal('postgresql://u:p%ffx@h.example.org/d');
    expect(e.part).toBe('password');
    expect(e.message).toMatch(/not UTF-8/);
  });

  it('the scheme-less pooler form is refused without showing the password', () => {
    const e = refusal(
      'postgres.abcdefghijklmnopqrst:S3cr3t!pw@aws-0-eu-west-1.pooler.supabase.com:6543/postgres',
    );
    expect(e.part).toBe('scheme');
    expect(e.message).not.toContain('S3cr3t');
  });
});

describe('errors never quote any part of a password', () => {
  const cases: Array<[string, string, string[]]> = [
    // libpq: no credentials before the "/", so "u" is the host and "zq1" the port
    ['raw / in the password', 'postgresql://u:zq1/zq2@h.example.org/d', ['zq1', 'zq2']],
    ['raw / and : in the password', 'postgresql://u:zq1:zq2/zq3@h.example.org/d', ['zq1', 'zq3']],
    ['raw / and [ in the password', 'postgresql://u@[zq1/zq2@h/d', ['zq1', 'zq2']],
    ['bad escape in the password', 'postgresql://u:zq1%zzzq2@h/d', ['zq1', 'zq2']],
    ['%00 in the password', 'postgresql://u:zq1%00zq2@h/d', ['zq1', 'zq2']],
    ['bad escape in a password parameter', 'postgresql://h/d?password=zq1%zz', ['zq1']],
    ['sslpassword without a closing quote', "host=h sslpassword='zq1", ['zq1']],
    ['unquoted password with a space', 'host=h password=zq1 zq2', ['zq1', 'zq2']],
    ['unquoted password with a space and =', 'host=h password=zq1 zq2=zq3', ['zq2', 'zq3']],
    ['stray word after a password', 'host=h user=u password=zq1 zq2', ['zq2']],
  ];
  it.each(cases)('%s', (_name, input, secrets) => {
    const e = refusal(input);
    for (const secret of secrets) {
      expect(e.message).not.toContain(secret);
      expect(e.part).not.toContain(secret);
    }
    expect(e.message).toMatch(/Fix:/);
  });
  it('hints at an unencoded "/" in a password when the port is not a number', () => {
    expect(refusal('postgresql://u:zq1/zq2@h/d').message).toMatch(/%2F/);
  });
});

describe('target_session_attrs is validated', () => {
  it.each(['any', 'read-write', 'read-only', 'primary', 'standby', 'prefer-standby'])(
    'accepts %s',
    (value) => {
      const t = parseConnectionTarget(
        `postgresql://u@h.example.org/d?target_session_attrs=${value}`,
      );
      expect(renderKeyValue(t)).toContain(`target_session_attrs=${value}`);
    },
  );
  it.each(['master', 'Any', '', 'read_write'])('refuses "%s"', (value) => {
    expect(refusal(`host=h user=u target_session_attrs='${value}'`).part).toBe(
      'parameter target_session_attrs',
    );
  });
  it('refuses to render an invalid one from a hand-built target', () => {
    const t = parseConnectionTarget('postgresql://u@h.example.org/d');
    const bad = { ...t, params: { target_session_attrs: 'master' } };
    expect(() => renderUrl(bad)).toThrow(ConnectionStringError);
    expect(() => renderKeyValue(bad)).toThrow(/target_session_attrs/);
  });
});

describe('rendered strings are ones libpq accepts', () => {
  const t = parseConnectionTarget(
    'postgresql://u:pw@h.example.org:6432/d?pgbouncer=true&uselibpqcompat=true&sslmode=require',
  );
  it('client-only flags stay in the target, with notes, out of every rendered string', () => {
    expect(t.mode).toBe('transaction');
    expect(t.params).toMatchObject({ pgbouncer: 'true', uselibpqcompat: 'true' });
    expect(noteCodes(t)).toEqual(['CLIENT_ONLY_PARAMETER', 'CLIENT_ONLY_PARAMETER']);
    expect(diagnoseTarget(t).find((d) => d.code === 'CLIENT_ONLY_PARAMETER')?.severity).toBe(
      'info',
    );
    for (const s of [renderUrl(t), renderKeyValue(t), redactTarget(t), redactKeyValue(t)]) {
      expect(s).not.toMatch(/pgbouncer|uselibpqcompat|no-verify/);
      expect(s).toMatch(/sslmode=require/);
    }
  });

  it('fields never come back as parameters, and sslpassword is hidden when redacting', () => {
    const hand = { ...t, params: { password: 'leak1', host: 'evil', sslpassword: 'leak2' } };
    expect(renderUrl(hand)).not.toMatch(/leak1|evil/);
    expect(renderUrl(hand)).toContain('sslpassword=leak2');
    for (const s of [redactTarget(hand), redactKeyValue(hand)]) {
      expect(s).not.toMatch(/leak1|leak2|evil/);
      expect(s).toContain('sslpassword=***');
    }
  });

  it('refuses to render a NUL character', () => {
    expect(() => renderUrl({ ...t, password: 'a\0b' })).toThrow(/NUL/);
    expect(() => renderKeyValue({ ...t, database: 'a\0b' })).toThrow(/NUL/);
  });

  it('connect_timeout of zero or below means no limit of its own (libpq)', () => {
    const target = parseConnectionTarget('host=h user=u connect_timeout=-5');
    expect(toPgConfig(target).connectionTimeoutMillis).toBeUndefined();
    expect(toPgConfig(target, { connectionTimeoutMillis: 3000 }).connectionTimeoutMillis).toBe(
      3000,
    );
    expect(
      toPgConfig(parseConnectionTarget('host=h user=u connect_timeout=7')).connectionTimeoutMillis,
    ).toBe(7000);
  });
});
