import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ElicitRequest } from '@modelcontextprotocol/sdk/types.js';
import { loadConfig, openAuditLog } from '@supaops/config';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoSecrets, failed, inProcess, ok, unwrap } from './helpers/clients.js';
import { createFixture, type Fixture } from './helpers/fixture.js';

const db = useTestDatabase('mcp_confirm');
let fx: Fixture;

beforeAll(async () => {
  fx = await createFixture(db.current);
  const setup = await inProcess({ cwd: fx.project, env: fx.env, secrets: fx.secrets });
  ok(
    await setup.call('execute_sql', {
      sql: 'CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2)',
    }),
  );
  await setup.close();
});

afterAll(async () => {
  await fx?.cleanup();
});

const destructive = { instance: 'prod', sql: 'TRUNCATE t', readOnly: false };

describe('two-step confirmation', () => {
  it('an expired token is refused and nothing runs', async () => {
    const server = await inProcess({
      cwd: fx.project,
      env: fx.env,
      secrets: fx.secrets,
      confirmationTtlMs: 50,
    });
    try {
      const first = ok<{ confirmation: { token: string; expiresAt: string } }>(
        await server.call('execute_sql', destructive),
      );
      await sleep(80);
      const error = failed(
        await server.call('execute_sql', {
          ...destructive,
          confirmationToken: first.confirmation.token,
        }),
      );
      expect(error.message).toMatch(/expired/);
      const rows = ok<{ data: string }>(
        await server.call('execute_sql', { sql: 'SELECT count(*)::int AS n FROM t' }),
      );
      expect(unwrap(rows.data)).toEqual([{ n: 2 }]);
    } finally {
      await server.close();
    }
  });

  it('a token of another server process is refused', async () => {
    const a = await inProcess({ cwd: fx.project, env: fx.env, secrets: fx.secrets });
    const b = await inProcess({ cwd: fx.project, env: fx.env, secrets: fx.secrets });
    try {
      const first = ok<{ confirmation: { token: string } }>(
        await a.call('execute_sql', destructive),
      );
      const error = failed(
        await b.call('execute_sql', {
          ...destructive,
          confirmationToken: first.confirmation.token,
        }),
      );
      expect(error.code).toBe('MCP_CONFIRMATION_INVALID');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('with a client that supports elicitation, the user is asked and a decline changes nothing', async () => {
    const asked: ElicitRequest[] = [];
    const server = await inProcess({
      cwd: fx.project,
      env: fx.env,
      secrets: fx.secrets,
      elicit: (request) => {
        asked.push(request);
        return { action: 'decline' };
      },
    });
    try {
      const error = failed(await server.call('execute_sql', destructive));
      expect(error.code).toBe('MCP_CONFIRMATION_DECLINED');
      expect(asked).toHaveLength(1);
      expect(asked[0]?.params.message).toMatch(/TRUNCATE t/);
      assertNoSecrets(asked, fx.secrets, 'elicitation');
      const rows = ok<{ data: string }>(
        await server.call('execute_sql', { sql: 'SELECT count(*)::int AS n FROM t' }),
      );
      expect(unwrap(rows.data)).toEqual([{ n: 2 }]);
    } finally {
      await server.close();
    }
  });

  it('a cancelled elicitation changes nothing; a client failing the elicitation gets the token flow', async () => {
    const cancelling = await inProcess({
      cwd: fx.project,
      env: fx.env,
      secrets: fx.secrets,
      elicit: () => ({ action: 'cancel' }),
    });
    const failing = await inProcess({
      cwd: fx.project,
      env: fx.env,
      secrets: fx.secrets,
      elicit: () => {
        throw new Error('no UI here');
      },
    });
    try {
      expect(failed(await cancelling.call('execute_sql', destructive)).message).toMatch(
        /cancelled/,
      );
      const fallback = ok<{ confirmation: { token: string } }>(
        await failing.call('execute_sql', destructive),
      );
      expect(fallback.confirmation.token).toMatch(/\./);
    } finally {
      await cancelling.close();
      await failing.close();
    }
  });

  it('an accepted elicitation acts at once', async () => {
    const server = await inProcess({
      cwd: fx.project,
      env: fx.env,
      secrets: fx.secrets,
      elicit: () => ({ action: 'accept', content: { confirm: true } }),
    });
    try {
      const res = ok<{ command: string }>(await server.call('execute_sql', destructive));
      expect(res.command).toBe('TRUNCATE');
      const rows = ok<{ data: string }>(
        await server.call('execute_sql', { sql: 'SELECT count(*)::int AS n FROM t' }),
      );
      expect(unwrap(rows.data)).toEqual([{ n: 0 }]);
    } finally {
      await server.close();
    }
  });

  it('every write call is in the audit log with its outcome, redacted', async () => {
    const loaded = await loadConfig({ cwd: fx.project, env: fx.env });
    const audit = await readFile(openAuditLog(loaded).path, 'utf8');
    const entries = audit
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { source: string; action: string; outcome: string; instance?: string },
      );
    expect(entries.every((e) => e.source === 'mcp')).toBe(true);
    const outcomes = entries
      .filter((e) => e.action === 'execute_sql' && e.instance === 'prod')
      .map((e) => e.outcome);
    expect(outcomes).toEqual(expect.arrayContaining(['dry-run', 'refused', 'ok']));
    assertNoSecrets(audit, fx.secrets, 'audit log');
  });
});
