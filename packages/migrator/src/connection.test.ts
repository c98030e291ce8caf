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
      'host=h port=6543 dbname=postgres',
      { port: 6543 },
      { connectionString: 'postgres://h:6543/db' },
    ];
    for (const target of refused) {
      expect(() => assertNotTransactionPooler(target), JSON.stringify(target)).toThrow(
        TransactionPoolerRefusedError,
      );
    }
    for (const ok of ['postgres://u:pw@h:5432/postgres', 'host=h port=5432', { port: 5432 }, {}]) {
      expect(() => assertNotTransactionPooler(ok)).not.toThrow();
    }
  });

  it('tags clients with an application_name unless one is given', () => {
    expect(toClientConfig('postgres://h/d', 'app')).toEqual({
      application_name: 'app',
      connectionString: 'postgres://h/d',
    });
    expect(toClientConfig({ application_name: 'mine' }, 'app')).toEqual({
      application_name: 'mine',
    });
  });
});
