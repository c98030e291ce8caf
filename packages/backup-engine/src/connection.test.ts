import { describe, expect, it } from 'vitest';
import { parseConnection, toolConnection, withDatabase } from './connection.js';
import { BackupValidationError } from './errors.js';

describe('connections (parsed by @supaops/pg-connect)', () => {
  it('parses URLs with encoded passwords and keeps the password out of tool arguments', () => {
    const conn = parseConnection('postgresql://backup%40ops:p%40ss%2Fw0rd@db.example.com:6432/app');
    expect(conn).toMatchObject({
      host: 'db.example.com',
      port: 6432,
      user: 'backup@ops',
      password: 'p@ss/w0rd',
      database: 'app',
    });
    expect(conn.redacted).not.toContain('w0rd');
    const tool = toolConnection(conn);
    expect(tool.dbname).toBe('postgresql://backup%40ops@db.example.com:6432/app');
    expect(tool.env.PGPASSWORD).toBe('p@ss/w0rd');
    const other = withDatabase(conn, 'postgres');
    expect(other).toMatchObject({ database: 'postgres', password: 'p@ss/w0rd', port: 6432 });
  });

  it('fills libpq defaults and refuses malformed URLs without echoing the password', () => {
    expect(parseConnection('postgres://127.0.0.1:5433')).toMatchObject({
      user: 'postgres',
      database: 'postgres',
      password: undefined,
    });
    expect(toolConnection(parseConnection('postgres://u@h/db')).env.PGPASSWORD).toBe(
      process.env.PGPASSWORD,
    );
    let caught: unknown;
    try {
      parseConnection('postgres://u:s3cretpw@h:99999/db');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BackupValidationError);
    expect(String((caught as Error).message)).not.toContain('s3cretpw');
  });
});
