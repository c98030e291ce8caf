import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testServer } from '@supaops/testkit/vitest';

// libpq's own parser, reached through psql: the reference for what libpq accepts.

export function psqlBinary(): string {
  const binDir = testServer().binDir;
  const candidates = [
    process.env.PSQL,
    binDir ? join(binDir, 'psql') : undefined,
    '/usr/lib/postgresql/15/bin/psql',
    '/usr/bin/psql',
  ];
  const found = candidates.find((p): p is string => Boolean(p && existsSync(p)));
  if (!found) {
    throw new Error('psql not found. Fix: install postgresql-client-15 or set PSQL to its path.');
  }
  return found;
}

/** A loopback port with nothing listening, so psql fails fast once it has parsed the string. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const home = mkdtempSync(join(tmpdir(), 'pg-connect-psql-'));

/** What psql printed (stdout and stderr) for `conninfo`; `env` adds PG* variables. */
export function runPsql(
  conninfo: string | undefined,
  env: Record<string, string> = {},
  sql = 'SELECT 1',
): Promise<{ ok: boolean; output: string }> {
  const args = ['-X', '-w', '-A', '-t', '-c', sql];
  if (conninfo !== undefined) args.push('-d', conninfo);
  return new Promise((resolve) => {
    execFile(
      psqlBinary(),
      args,
      {
        timeout: 15_000,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          XDG_CONFIG_HOME: home,
          LANG: 'C',
          LC_ALL: 'C',
          PSQL_HISTORY: '/dev/null',
          PGCONNECT_TIMEOUT: '1',
          PGPASSFILE: join(home, 'no-pgpass'),
          PGSERVICEFILE: join(home, 'no-service'),
          PGSYSCONFDIR: home,
          ...env,
        },
      },
      (error, stdout, stderr) => resolve({ ok: !error, output: `${stdout}${stderr}` }),
    );
  });
}

/**
 * psql's verdict on a connection string: accepted when libpq got as far as connecting (and
 * found nothing listening), refused when libpq stopped at the string itself.
 */
export async function libpqAccepts(conninfo: string, port: number): Promise<boolean> {
  // missing host and port fall back to the closed loopback port, never to another machine
  const { output } = await runPsql(conninfo, { PGHOST: '127.0.0.1', PGPORT: String(port) });
  return /failed: (?:Connection refused|No such file or directory|Cannot assign requested address|Network is unreachable)/.test(
    output,
  );
}
