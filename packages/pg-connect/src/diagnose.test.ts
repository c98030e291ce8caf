import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, diagnoseTarget } from './diagnose.js';
import { parseConnectionTarget } from './parse.js';

const codes = (url: string, purpose?: 'migrations' | 'ddl' | 'query' | 'backup') =>
  diagnoseTarget(parseConnectionTarget(url), purpose ? { purpose } : {}).map((d) => d.code);

describe('diagnoseTarget', () => {
  it('flags a tenant-less pooler user as an error', () => {
    const d = diagnoseTarget(
      parseConnectionTarget(
        'postgresql://postgres:pw@aws-0-eu-west-1.pooler.supabase.com:5432/postgres',
      ),
    );
    const tenant = d.find((x) => x.code === 'POOLER_USER_WITHOUT_TENANT');
    expect(tenant?.severity).toBe('error');
    expect(tenant?.message).toContain('Tenant or user not found');
    expect(tenant?.fix).toContain('postgres.<project-ref>');
    expect(codes('postgresql://postgres:pw@supavisor:6543/postgres')).toContain(
      'POOLER_USER_WITHOUT_TENANT',
    );
    expect(codes('postgresql://postgres.t:pw@supavisor:6543/postgres')).not.toContain(
      'POOLER_USER_WITHOUT_TENANT',
    );
  });

  it('flags an unencoded @ in the password without showing it', () => {
    const d = diagnoseTarget(
      parseConnectionTarget('postgresql://postgres:s3cr@t@db:5432/postgres'),
    );
    const at = d.find((x) => x.code === 'PASSWORD_UNENCODED_CHARS');
    expect(at?.message).toContain('@');
    expect(JSON.stringify(d)).not.toContain('s3cr@t');
  });

  it('flags 6543 for migrations (error) and DDL (warning), informs for queries', () => {
    const url = 'postgresql://postgres.t:pw@203.0.113.9:6543/postgres';
    const m = diagnoseTarget(parseConnectionTarget(url), { purpose: 'migrations' });
    expect(m.find((x) => x.code === 'TRANSACTION_MODE_FOR_MIGRATIONS')?.severity).toBe('error');
    const ddl = diagnoseTarget(parseConnectionTarget(url), { purpose: 'ddl' });
    expect(ddl.find((x) => x.code === 'TRANSACTION_MODE_FOR_MIGRATIONS')?.severity).toBe('warning');
    expect(codes(url, 'query')).toContain('TRANSACTION_MODE_LIMITS');
    expect(
      codes('postgresql://postgres.t:pw@203.0.113.9:5432/postgres', 'migrations'),
    ).not.toContain('TRANSACTION_MODE_FOR_MIGRATIONS');
  });

  it('explains sslmode semantics with node-postgres', () => {
    const d = diagnoseTarget(
      parseConnectionTarget('postgresql://u:p@h.example.org/db?sslmode=require'),
    );
    const ssl = d.find((x) => x.code === 'SSLMODE_REQUIRE_NODE_PG');
    expect(ssl?.message).toMatch(/verify-full/);
    expect(codes('postgresql://u:p@h.example.org/db?sslmode=prefer')).toContain(
      'SSLMODE_NO_OPPORTUNISTIC_TLS',
    );
    expect(codes('postgresql://postgres:p@db.abc.supabase.co/postgres?sslmode=disable')).toContain(
      'SSL_DISABLED_CLOUD',
    );
  });

  it('notes docker hosts, cloud IPv6, missing passwords, $ and supabase_admin', () => {
    expect(codes('postgresql://postgres:p@db:5432/postgres')).toContain('DOCKER_INTERNAL_HOST');
    expect(codes('postgresql://postgres:p@db.abc.supabase.co:5432/postgres')).toContain(
      'CLOUD_DIRECT_IPV6',
    );
    expect(codes('postgresql://postgres@h.example.org/postgres')).toContain('PASSWORD_MISSING');
    expect(codes('postgresql://postgres@%2Ftmp/postgres')).not.toContain('PASSWORD_MISSING');
    expect(codes('postgresql://postgres:a%24b@h.example.org/postgres')).toContain(
      'PASSWORD_DOLLAR',
    );
    expect(codes('postgresql://supabase_admin:p@h.example.org/postgres')).toContain(
      'SUPABASE_ADMIN_USER',
    );
  });

  it('returns only documented codes and nothing for a clean target', () => {
    expect(
      codes('postgresql://postgres:pw@h.example.org:5432/postgres?sslmode=verify-full'),
    ).toEqual([]);
    const all = [
      'postgresql://postgres:p@ss@supavisor:6543/postgres?sslmode=require',
      'postgresql://supabase_admin@db.abc.supabase.co:5432/postgres?sslmode=disable',
      'postgresql://postgres:a%24b@db:5432/postgres?sslmode=allow',
    ].flatMap((u) => codes(u, 'migrations'));
    for (const c of all) expect(DIAGNOSTIC_CODES).toContain(c);
  });

  it('validates its input', () => {
    expect(() => diagnoseTarget({} as never)).toThrowError(/Invalid connection target/);
    expect(() =>
      diagnoseTarget(parseConnectionTarget('user=u'), { purpose: 'x' as never }),
    ).toThrowError(/Invalid diagnoseTarget options/);
  });
});
