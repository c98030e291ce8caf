import { connect } from 'node:net';
import pg from 'pg';
import { expect, it } from 'vitest';
import setup from '../src/global-setup.js';
import type { TestServerInfo } from '../src/test-server.js';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

it('globalSetup starts its own cluster with a bootstrapped template and tears it down', async () => {
  const provided: Record<string, TestServerInfo> = {};
  const project = { provide: (key: string, value: TestServerInfo) => (provided[key] = value) };
  const teardown = await setup(project as never);
  const info = provided.supaopsPg!;
  expect(info.source).toBe('cluster');
  const client = new pg.Client({
    host: info.host,
    port: info.port,
    user: info.superuser,
    password: info.password,
    database: info.template,
  });
  await client.connect();
  const { rows } = await client.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'auth'",
  );
  await client.end();
  expect(rows[0]!.n).toBe(4);
  await teardown();
  expect(await portOpen(info.port)).toBe(false);
});
