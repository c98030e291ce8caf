import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { readSandboxLog, SandboxNotInitialisedError, startSandbox } from '../src/index.js';
import { freshHome, query, sqlState } from './helpers.js';

const fresh = freshHome('sandbox-log-');
const env = fresh.env;
afterAll(() => fresh.cleanup());

async function connectAs(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('readSandboxLog on a real sandbox', () => {
  it('is a typed error before the sandbox was ever started', async () => {
    const error = await readSandboxLog({ env }).catch((e) => e);
    expect(SandboxNotInitialisedError.isInstance(error)).toBe(true);
  });

  it('reads the server log: timestamps parse, failed logins and passwords in statements are safe', async () => {
    const sandbox = await startSandbox({ env });
    const [settings] = await query<{ prefix: string; zone: string }>(
      sandbox.url(),
      "SELECT current_setting('log_line_prefix') AS prefix, current_setting('log_timezone') AS zone",
    );
    expect(settings).toEqual({ prefix: '%m [%p] ', zone: 'UTC' });

    const wrong = 'Wrong-Password-For-The-Log-42';
    const badUrl = sandbox.url().replace(encodeURIComponent(sandbox.password), wrong);
    expect(await sqlState(connectAs(badUrl))).toBe('28P01');
    expect(
      await sqlState(query(sandbox.url(), "ALTER ROLE no_such_role PASSWORD 'hunter2-in-sql'")),
    ).toBe('42704');
    expect(
      await sqlState(query(sandbox.url(), `SELECT 'password=kv-secret ${sandbox.password}'::int`)),
    ).toBe('22P02');

    const log = await readSandboxLog({ env, tail: 10_000 });
    expect(log.path).toBe(sandbox.logFile);
    const all = log.lines.map((l) => l.text).join('\n');
    expect(all).toContain('database system is ready to accept connections');
    expect(all).toMatch(/password authentication failed for user "supabase_admin"/);
    expect(all).toContain("ALTER ROLE no_such_role PASSWORD '***'");
    expect(all).toContain('password=*** ***');
    for (const secret of [wrong, 'hunter2-in-sql', 'kv-secret', sandbox.password]) {
      expect(JSON.stringify(log)).not.toContain(secret);
    }
    const ready = log.lines.find((l) => l.text.includes('ready to accept connections'));
    expect(ready?.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(ready?.text).toMatch(/^\[\d+\] LOG: {2}database system is ready/);
    expect(log.lines.filter((l) => l.timestamp).length).toBeGreaterThan(log.lines.length / 2);

    // the same reading with filters
    const failed = await readSandboxLog({ env, search: 'PASSWORD AUTHENTICATION FAILED' });
    expect(failed.lines).toHaveLength(1);
    expect(failed.truncated).toBe(false);
    const last = await readSandboxLog({ env, tail: 1 });
    expect(last.lines).toEqual(log.lines.slice(-1));
    const since = await readSandboxLog({ env, since: ready?.timestamp, tail: 10_000 });
    expect(since.lines[0]?.timestamp).toBe(ready?.timestamp);
    expect(since.lines.length).toBeLessThanOrEqual(log.lines.length);
    expect(since.lines.at(-1)).toEqual(log.lines.at(-1));
  });
});
