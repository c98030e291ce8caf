import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, startPostgres, startTestServer, TestkitError } from '../src/index.js';
import { testServer } from '../src/vitest.js';

describe('startTestServer with TEST_DATABASE_URL', () => {
  it('uses the given server, bootstraps a template there and drops its databases on stop', async () => {
    const shared = testServer();
    const url = `postgres://${shared.superuser}:${encodeURIComponent(shared.password)}@${shared.host}:${shared.port}/postgres`;
    const server = await startTestServer({ env: { TEST_DATABASE_URL: url } });
    expect(server.info.source).toBe('external');
    expect(server.info.port).toBe(shared.port);
    const db = await createTestDatabase(server.info, 'External Label!');
    expect(db.name).toMatch(/_external_label_/);
    const client = new pg.Client({ connectionString: db.url('postgres') });
    await client.connect();
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'auth'",
    );
    await client.end();
    expect(rows[0].n).toBe(4);
    await server.stop();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const left = await admin.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${server.info.template}%`,
    ]);
    await admin.end();
    expect(left.rows).toEqual([]);
  });

  it('rejects a TEST_DATABASE_URL that is not a URL', async () => {
    await expect(
      startTestServer({ env: { TEST_DATABASE_URL: 'not a url' } }),
    ).rejects.toMatchObject({
      code: 'TEST_DATABASE_URL_INVALID',
    });
  });

  it('explains a server it cannot bootstrap', async () => {
    const shared = testServer();
    const url = `postgres://${shared.superuser}:wrong-password@${shared.host}:${shared.port}/postgres`;
    const error = await startTestServer({ env: { TEST_DATABASE_URL: url } }).catch(
      (e: unknown) => e,
    );
    expect(TestkitError.isInstance(error)).toBe(true);
    expect((error as TestkitError).code).toBe('TEST_SERVER_BOOTSTRAP_FAILED');
  });
});

describe('startPostgres failures', () => {
  it('gives a typed error with a fix when the binaries do not work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'badbin-'));
    mkdirSync(dir, { recursive: true });
    for (const bin of ['initdb', 'pg_ctl', 'postgres'])
      writeFileSync(join(dir, bin), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const error = await startPostgres({ binDir: dir }).catch((e: unknown) => e);
    expect(TestkitError.isInstance(error)).toBe(true);
    expect((error as TestkitError).code).toBe('PG_START_FAILED');
    expect((error as Error).message).toMatch(/TEST_DATABASE_URL/);
  });
});
