import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connected, failed, inProcess, ok } from './helpers/clients.js';
import { createFixture, type Fixture } from './helpers/fixture.js';

/**
 * Each tool resolves only the parts of the instance it uses: an unset reference of another part
 * (here api.anonKey and the backup key) does not fail it, and one of a part it uses does.
 */
const db = useTestDatabase('mcp_needs');
let fx: Fixture;
let server: Connected;

beforeAll(async () => {
  fx = await createFixture(db.current);
  const user = new URL(db.current.adminUrl).username;
  const config = {
    version: 1,
    defaultInstance: 'half',
    instances: {
      half: {
        kind: 'self-hosted',
        database: {
          session: `postgres://${user}@${db.current.host}:${db.current.port}/${db.current.name}`,
          password: 'env:T_DB_PASSWORD',
        },
        api: { url: 'http://127.0.0.1:54321', anonKey: 'env:T_UNSET_ANON' },
        backups: {
          storage: { type: 'local', dir: './backups' },
          encryptionKey: 'env:T_UNSET_BACKUP_KEY',
        },
      },
    },
    dokployServers: {},
  };
  await writeFile(join(fx.project, 'supaops.config.json'), JSON.stringify(config, null, 2));
  // a stale SUPAOPS_INSTANCE must not fail a server scoped with --instance
  server = await inProcess({
    cwd: fx.project,
    env: { ...fx.env, SUPAOPS_INSTANCE: 'ghost' },
    instance: 'half',
    secrets: fx.secrets,
  });
});

afterAll(async () => {
  await server?.close();
  await fx?.cleanup();
});

describe('resolving only the parts a tool needs', () => {
  it('execute_sql runs although api.anonKey and the backup key do not resolve', async () => {
    const res = ok<{ instance: string; rowCount: number }>(
      await server.call('execute_sql', { sql: 'SELECT 1 AS one' }),
    );
    expect(res).toMatchObject({ instance: 'half', rowCount: 1 });
  });

  it('a tool that needs the unresolved part names the reference', async () => {
    const keys = failed(await server.call('get_publishable_keys'));
    expect(keys.code).toBe('SECRET_REFERENCE_UNRESOLVED');
    expect(keys.message).toMatch(/T_UNSET_ANON/);
    const backups = failed(await server.call('list_backups'));
    expect(backups.code).toBe('SECRET_REFERENCE_UNRESOLVED');
    expect(backups.message).toMatch(/T_UNSET_BACKUP_KEY/);
  });

  it('get_project_url needs only the API URL, which is no reference', async () => {
    // api is needed strictly: its unset anonKey fails it, as config resolves a part whole
    const res = failed(await server.call('get_project_url'));
    expect(res.code).toBe('SECRET_REFERENCE_UNRESOLVED');
    // a database tool after the failures still gets its own cached resolution
    expect(ok(await server.call('monitor_connections'))).toMatchObject({ instance: 'half' });
  });
});
