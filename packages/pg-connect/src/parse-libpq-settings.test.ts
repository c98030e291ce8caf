import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { diagnoseTarget } from './diagnose.js';
import { ConnectionStringError } from './errors.js';
import { tunnelTarget } from './network.js';
import { parseConnectionTarget } from './parse.js';
import { tlsOptions, toPgConfig } from './pg-config.js';
import { redactTarget, renderKeyValue, renderUrl } from './render.js';
import type { ConnectionTarget } from './target.js';

// Written from libpq's documented behaviour (libpq-connect.html, "Connection Strings",
// "Parameter Key Words", "Environment Variables"); test/libpq-verdicts.test.ts checks the
// accept/refuse verdicts against libpq itself.

const OS_USER = userInfo().username;

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

describe('TLS is never silently dropped', () => {
  it('ssl=true in a URL is sslmode=require (libpq JDBC compatibility); other ssl values are refused', () => {
    const t = parseConnectionTarget('postgresql://u@h.example.org/d?ssl=true');
    expect(t.params).toEqual({ sslmode: 'require' });
    expect(tlsOptions(t)).toMatchObject({ rejectUnauthorized: false });
    for (const value of ['1', 'false', 'yes']) {
      const e = refusal(`postgresql://u@h.example.org/d?ssl=${value}`);
      expect(e.part).toBe('parameter ssl');
      expect(e.message).toMatch(/sslmode=require/);
    }
    expect(refusal('host=h.example.org user=u ssl=true').part).toBe('key ssl');
  });

  it('requiressl=1 means require, any other value prefer; the later keyword wins', () => {
    const url = (q: string) => parseConnectionTarget(`postgresql://u@h.example.org/d?${q}`).params;
    expect(url('requiressl=1')).toEqual({ sslmode: 'require' });
    expect(url('requiressl=0')).toEqual({ sslmode: 'prefer' });
    expect(url('requiressl=1&sslmode=disable')).toEqual({ sslmode: 'disable' });
    expect(url('sslmode=disable&requiressl=1')).toEqual({ sslmode: 'require' });
    const kv = parseConnectionTarget('host=h.example.org user=u requiressl=1');
    expect(kv.params).toEqual({ sslmode: 'require' });
    expect(tlsOptions(kv)).not.toBe(false);
  });

  it('PGREQUIRESSL=1 means require unless PGSSLMODE is set', () => {
    const env = { PGHOST: 'h.example.org', PGUSER: 'u' };
    expect(parseConnectionTarget({ ...env, PGREQUIRESSL: '1' }).params.sslmode).toBe('require');
    expect(parseConnectionTarget({ ...env, PGREQUIRESSL: '0' }).params.sslmode).toBeUndefined();
    expect(
      parseConnectionTarget({ ...env, PGREQUIRESSL: '1', PGSSLMODE: 'disable' }).params.sslmode,
    ).toBe('disable');
    expect(parseConnectionTarget({ PGREQUIRESSL: '1' }).source).toBe('env');
  });

  it('manually built targets with requiressl or ssl=true still get TLS', () => {
    const t = parseConnectionTarget('postgresql://u@h.example.org/d');
    expect(tlsOptions({ ...t, params: { requiressl: '1' } })).not.toBe(false);
    expect(tlsOptions({ ...t, params: { ssl: 'true' } })).not.toBe(false);
  });

  it('an unknown parameter is a typed error naming it (a typo gets a suggestion)', () => {
    const url = refusal('postgresql://u@h.example.org/d?sslmod=require');
    expect(url.part).toBe('parameter sslmod');
    expect(url.message).toMatch(/"sslmod" is not a libpq connection parameter/);
    expect(url.message).toMatch(/did you mean sslmode\?/);
    const kv = refusal('host=h.example.org user=u sslmod=require');
    expect(kv.part).toBe('key sslmod');
    expect(kv.message).toMatch(/did you mean sslmode\?/);
    // keywords are case-sensitive in libpq
    expect(refusal('postgresql://u@h.example.org/d?SSLMODE=require').part).toBe(
      'parameter SSLMODE',
    );
  });

  it('sslmode=no-verify (node-postgres) is read as require with a note, and never rendered', () => {
    const t = parseConnectionTarget('postgresql://u@h.example.org/d?sslmode=no-verify');
    expect(t.params.sslmode).toBe('require');
    expect(noteCodes(t)).toEqual(['SSLMODE_NO_VERIFY']);
    expect(tlsOptions(t)).toMatchObject({ rejectUnauthorized: false });
    const env = parseConnectionTarget({ PGHOST: 'h.example.org', PGSSLMODE: 'no-verify' });
    expect(env.params.sslmode).toBe('require');
    // libpq's own format stays strict
    expect(refusal('host=h user=u sslmode=no-verify').part).toBe('parameter sslmode');
    const manual = { ...t, params: { sslmode: 'no-verify' } };
    expect(renderUrl(manual)).toMatch(/sslmode=require$/);
    expect(renderKeyValue(manual)).toMatch(/sslmode=require$/);
    expect(redactTarget(manual)).not.toContain('no-verify');
  });

  it('validates the TLS enumerations and the protocol range as libpq does', () => {
    const kv = (s: string) => refusal(`host=h.example.org user=u ${s}`).part;
    expect(kv('gssencmode=banana')).toBe('parameter gssencmode');
    expect(kv('channel_binding=banana')).toBe('parameter channel_binding');
    expect(kv('ssl_min_protocol_version=TLSv9')).toBe('parameter ssl_min_protocol_version');
    expect(kv('ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2')).toBe(
      'parameter ssl_max_protocol_version',
    );
    expect(kv('sslnegotiation=sideways')).toBe('parameter sslnegotiation');
    expect(kv('require_auth=password,!md5')).toBe('parameter require_auth');
    expect(kv('require_auth=kerberos')).toBe('parameter require_auth');
    expect(
      parseConnectionTarget(
        'host=h.example.org user=u ssl_min_protocol_version=tlsv1.2 require_auth=!password,!md5',
      ).params.require_auth,
    ).toBe('!password,!md5');
    // an empty PGSSLMODE is set, and invalid, for libpq
    expect(refusal({ PGHOST: 'h', PGSSLMODE: '' }).part).toBe('parameter sslmode');
    expect(parseConnectionTarget({ PGHOST: 'h', PGAPPNAME: '' }).params).toEqual({});
  });
});

describe("libpq's defaults", () => {
  it('no host: the unix socket directory, with a note; no user: the OS user; no dbname: the user', () => {
    const t = parseConnectionTarget('postgresql://');
    expect(t.host).toMatch(/^\/(?:var\/run\/postgresql|tmp)$/);
    expect(t.hostKind).toBe('socket');
    expect(t.user).toBe(OS_USER);
    expect(t.database).toBe(OS_USER);
    expect(t.port).toBe(5432);
    const note = diagnoseTarget(t).find((d) => d.code === 'DEFAULT_SOCKET_DIR');
    expect(note?.severity).toBe('info');
    expect(note?.message).toContain(t.host);
    const kv = parseConnectionTarget('user=alice');
    expect(kv).toMatchObject({ host: t.host, user: 'alice', database: 'alice' });
  });

  it('empty values count as missing, as in libpq', () => {
    expect(parseConnectionTarget("host='' port='' user=bob dbname=''")).toMatchObject({
      hostKind: 'socket',
      port: 5432,
      database: 'bob',
    });
    expect(parseConnectionTarget('postgresql://:@/?dbname=&user=')).toMatchObject({
      user: OS_USER,
      database: OS_USER,
    });
    expect(parseConnectionTarget({ PGUSER: '', PGDATABASE: '', PGPORT: '' })).toMatchObject({
      user: OS_USER,
      port: 5432,
    });
  });

  it('the defaults option comes before them', () => {
    const t = parseConnectionTarget('postgresql://', {
      defaults: { host: 'localhost', user: 'postgres', database: 'app', port: 6000 },
    });
    expect(t).toMatchObject({ host: 'localhost', user: 'postgres', database: 'app', port: 6000 });
    expect(noteCodes(t)).toEqual([]);
  });
});

describe('hostaddr and host are both kept', () => {
  const cases: Array<[string, string | Record<string, string>]> = [
    ['key=value', 'host=db.example.com hostaddr=203.0.113.7 user=u sslmode=verify-full'],
    ['URL', 'postgresql://u@db.example.com/u?hostaddr=203.0.113.7&sslmode=verify-full'],
    [
      'PG* env',
      {
        PGHOST: 'db.example.com',
        PGHOSTADDR: '203.0.113.7',
        PGUSER: 'u',
        PGSSLMODE: 'verify-full',
      },
    ],
  ];
  it.each(cases)('%s: connect to hostaddr, verify and send SNI for host', (_name, input) => {
    const t = parseConnectionTarget(input);
    expect(t.host).toBe('db.example.com');
    expect(t.params.hostaddr).toBe('203.0.113.7');
    expect(t.hostKind).toBe('hostname');
    const config = toPgConfig(t);
    expect(config.host).toBe('203.0.113.7');
    expect(config.ssl).toMatchObject({ servername: 'db.example.com', rejectUnauthorized: true });
    expect(renderKeyValue(t)).toContain('host=db.example.com');
    expect(renderKeyValue(t)).toContain('hostaddr=203.0.113.7');
    expect(parseConnectionTarget(renderUrl(t)).params.hostaddr).toBe('203.0.113.7');
  });

  it('hostaddr alone is the host; beside a socket directory it makes the connection TCP', () => {
    expect(parseConnectionTarget({ PGHOSTADDR: '127.0.0.1' })).toMatchObject({
      host: '127.0.0.1',
      hostKind: 'loopback',
    });
    const t = parseConnectionTarget('host=/tmp hostaddr=10.1.2.3 user=u sslmode=require');
    expect(t.hostKind).toBe('ip');
    expect(toPgConfig(t).host).toBe('10.1.2.3');
    const ssl = tlsOptions(t) as { servername?: string };
    expect(ssl).not.toBe(false);
    expect(ssl.servername).toBeUndefined();
  });

  it('hostaddr must be a numeric address (libpq does not resolve it)', () => {
    expect(refusal('hostaddr=db.example.com user=u').part).toBe('hostaddr');
    expect(refusal('hostaddr=10.0.0.1,10.0.0.2 user=u').part).toBe('hostaddr');
    expect(refusal({ PGHOSTADDR: 'localhost' }).part).toBe('hostaddr');
  });

  it('a tunnel replaces hostaddr too', () => {
    const t = tunnelTarget(parseConnectionTarget('host=db hostaddr=10.0.0.9 user=u'), 54322);
    expect(t.params.hostaddr).toBeUndefined();
    expect(toPgConfig(t).host).toBe('127.0.0.1');
  });
});
