import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectionStringError } from './errors.js';
import { parseConnectionTarget } from './parse.js';
import { tlsOptions, toPgConfig } from './pg-config.js';

const ca = join(mkdtempSync(join(tmpdir(), 'pgc-')), 'ca.pem');
writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const tls = (url: string) => tlsOptions(parseConnectionTarget(url));

describe('TLS follows sslmode with libpq semantics', () => {
  it('disable, prefer and allow mean no TLS on non-cloud hosts', () => {
    expect(tls('postgresql://u@h.example.org/d')).toBe(false);
    expect(tls('postgresql://u@h.example.org/d?sslmode=disable')).toBe(false);
    expect(tls('postgresql://u@h.example.org/d?sslmode=prefer')).toBe(false);
    expect(tls('postgresql://u@%2Ftmp/d?sslmode=require')).toBe(false);
  });
  it('require encrypts without verification; with sslrootcert it verifies the CA', () => {
    expect(tls('postgresql://u@h.example.org/d?sslmode=require')).toMatchObject({
      rejectUnauthorized: false,
      servername: 'h.example.org',
    });
    const withCa = tls(`postgresql://u@h.example.org/d?sslmode=require&sslrootcert=${ca}`);
    expect(withCa).toMatchObject({
      rejectUnauthorized: true,
      ca: expect.stringContaining('BEGIN'),
    });
    expect(
      (withCa as { checkServerIdentity: () => unknown }).checkServerIdentity(),
    ).toBeUndefined();
  });
  it('verify-full checks the host; IPs get no SNI', () => {
    const v = tls(`postgresql://u@10.1.2.3/d?sslmode=verify-full&sslrootcert=${ca}`);
    expect(v).toMatchObject({ rejectUnauthorized: true });
    expect((v as { servername?: string }).servername).toBeUndefined();
    expect((v as { checkServerIdentity?: unknown }).checkServerIdentity).toBeUndefined();
  });
  it('Supabase cloud gets TLS by default', () => {
    expect(tls('postgresql://postgres@db.abc.supabase.co/postgres')).toMatchObject({
      rejectUnauthorized: false,
    });
    expect(
      tls('postgresql://postgres.abc@aws-0-eu-west-1.pooler.supabase.com/postgres?sslmode=prefer'),
    ).toMatchObject({
      rejectUnauthorized: false,
    });
  });
  it('an unreadable sslrootcert is a typed error', () => {
    expect(() =>
      tls('postgresql://u@h.example.org/d?sslmode=verify-full&sslrootcert=/nope/ca.pem'),
    ).toThrow(ConnectionStringError);
  });
});

describe('toPgConfig', () => {
  it('maps credentials, application_name, options and connect_timeout', () => {
    const c = toPgConfig(
      parseConnectionTarget(
        'postgresql://u:p@h.example.org:5433/d?options=-c%20search_path%3Dx&connect_timeout=7',
      ),
      { statementTimeoutMs: 1000, lockTimeoutMs: 500, idleInTransactionSessionTimeoutMs: 9000 },
    );
    expect(c).toMatchObject({
      host: 'h.example.org',
      port: 5433,
      user: 'u',
      password: 'p',
      database: 'd',
      application_name: 'supaops',
      options: '-c search_path=x',
      connectionTimeoutMillis: 7000,
      statement_timeout: 1000,
      lock_timeout: 500,
      idle_in_transaction_session_timeout: 9000,
      ssl: false,
    });
  });
  it('keeps session settings out of the startup packet behind a pooler', () => {
    const c = toPgConfig(
      parseConnectionTarget('postgresql://postgres.t:p@supavisor:6543/postgres'),
      {
        statementTimeoutMs: 1000,
      },
    );
    expect(c.statement_timeout).toBeUndefined();
    expect(c.password).toBe('p');
  });
  it('honours the target application_name and validates overrides', () => {
    expect(
      toPgConfig(parseConnectionTarget('postgresql://u@h.example.org/d?application_name=x'))
        .application_name,
    ).toBe('x');
    expect(() =>
      toPgConfig(parseConnectionTarget('user=u'), { statementTimeoutMs: -1 }),
    ).toThrowError(/Invalid toPgConfig overrides/);
  });
});
