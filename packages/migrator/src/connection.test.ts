import { describe, expect, it } from 'vitest';
import {
  assertNotTransactionPooler,
  describeTarget,
  redactConnectionString,
  toClientConfig,
} from './connection.js';
import { TransactionPoolerRefusedError } from './errors.js';

describe('connection helpers', () => {
  it('redacts passwords in URLs and key=value strings', () => {
    expect(redactConnectionString('postgres://u:p%40ss@h:5432/db')).toBe(
      'postgres://u:***@h:5432/db',
    );
    expect(redactConnectionString('host=h password=secret dbname=x')).toBe(
      'host=h password=*** dbname=x',
    );
    expect(redactConnectionString('postgres://h/db?password=abc&x=1')).toBe(
      'postgres://h/db?password=***&x=1',
    );
    expect(redactConnectionString('postgres://u@h/db')).toBe('postgres://u@h/db');
  });

  it('describes targets without secrets', () => {
    expect(describeTarget('postgres://u:pw@h:1/d')).toBe('postgres://u:***@h:1/d');
    expect(describeTarget({ connectionString: 'postgres://u:pw@h/d' })).toBe(
      'postgres://u:***@h/d',
    );
    expect(
      describeTarget({ host: 'h', port: 5433, user: 'u', password: 'pw', database: 'd' }),
    ).toBe('postgres://u@h:5433/d');
    expect(describeTarget({})).toBe('postgres://localhost:5432/');
  });

  it('refuses transaction-pooler targets in every form', () => {
    const refused = [
      'postgres://u:pw@pooler.supabase.com:6543/postgres',
      'postgres://u:pw@h:5432/postgres?pgbouncer=true',
      'host=h port=6543 dbname=postgres user=postgres',
      'postgres://postgres.tenant:pw@supavisor:6543/postgres',
      { port: 6543 },
      { connectionString: 'postgres://u@h:6543/db' },
      { host: 'aws-0-eu-west-1.pooler.supabase.com', port: 6543, user: 'postgres.ref' },
    ];
    for (const target of refused) {
      expect(() => assertNotTransactionPooler(target), JSON.stringify(target)).toThrow(
        TransactionPoolerRefusedError,
      );
    }
    for (const ok of [
      'postgres://u:pw@h:5432/postgres',
      'postgres://postgres.tenant:pw@supavisor:5432/postgres',
      'host=h port=5432 user=u',
      { port: 5432 },
      { host: '/var/run/postgresql' },
      {},
    ]) {
      expect(() => assertNotTransactionPooler(ok)).not.toThrow();
    }
  });

  it('says when a connection string cannot be parsed, without its password', () => {
    // an empty user is fine (libpq takes the OS user); a port that is not a number is not
    for (const bad of ['postgres://u:hunter2@h:notaport/d', 'not a url at all ::']) {
      try {
        toClientConfig(bad, 'app');
        expect.unreachable();
      } catch (error) {
        expect((error as { code: string }).code).toBe('MIGRATION_CONNECTION_INVALID');
        expect((error as Error).message).not.toContain('hunter2');
      }
    }
    expect(() => assertNotTransactionPooler('postgres://u:pw@h:x/d')).toThrow(
      /could not be parsed/,
    );
  });

  it('tags clients with an application_name unless one is given', () => {
    expect(toClientConfig('postgres://u:pw@h/d', 'app')).toMatchObject({
      application_name: 'app',
      host: 'h',
      port: 5432,
      user: 'u',
      password: 'pw',
      database: 'd',
    });
    expect(toClientConfig('postgres://u@h/d?application_name=mine', 'app').application_name).toBe(
      'mine',
    );
    expect(toClientConfig('host=h user=u dbname=d', 'app')).toMatchObject({
      host: 'h',
      user: 'u',
      database: 'd',
    });
    expect(toClientConfig({ application_name: 'mine' }, 'app')).toEqual({
      application_name: 'mine',
    });
  });
});
