import { appendFile, chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAuditLog } from './audit-log.js';
import { AuditLogError, ConfigValidationError } from './errors.js';
import { loadConfig } from './load.js';
import { tempHome } from './temp-home.test-helper.js';

async function setup(env: NodeJS.ProcessEnv = {}) {
  const t = await tempHome(env);
  const loaded = await loadConfig({ cwd: t.project, env: t.env });
  return { t, loaded, log: openAuditLog(loaded) };
}

describe('the audit log', () => {
  it('lives at <state>/audit.jsonl, mode 0600, one JSON object per line', async () => {
    const { t, log } = await setup();
    expect(log.path).toBe(path.join(t.env.XDG_STATE_HOME as string, 'supaops', 'audit.jsonl'));
    expect(log.enabled).toBe(true);
    await log.append({
      source: 'cli',
      action: 'migrate up',
      instance: 'prod',
      args: { dryRun: false },
      outcome: 'ok',
      durationMs: 12,
    });
    await log.append({
      source: 'mcp',
      action: 'execute_sql',
      args: {},
      outcome: 'error',
      error: { code: '42P01', message: 'relation missing' },
      time: '2026-01-01T00:00:00.000Z',
    });
    expect((await stat(log.path)).mode & 0o777).toBe(0o600);
    const lines = (await readFile(log.path, 'utf8')).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const first = JSON.parse(lines[0] as string);
    expect(first).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      source: 'cli',
      action: 'migrate up',
      instance: 'prod',
      args: { dryRun: false },
      outcome: 'ok',
      durationMs: 12,
    });
    expect(await log.read()).toEqual([first, JSON.parse(lines[1] as string)]);
  });

  it('only appends: earlier lines stay byte for byte', async () => {
    const { log } = await setup();
    await log.append({ source: 'api', action: 'a', args: {}, outcome: 'ok' });
    const before = await readFile(log.path, 'utf8');
    await log.append({ source: 'api', action: 'b', args: {}, outcome: 'refused' });
    const after = await readFile(log.path, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.length).toBeGreaterThan(before.length);
  });

  it('redacts arguments deeply and the error message', async () => {
    const { log } = await setup();
    await log.append(
      {
        source: 'mcp',
        action: 'deploy',
        args: {
          dbUrl: 'postgres://postgres:url-pw@db:5432/postgres',
          config: { env: { SERVICE_ROLE_KEY: 'jwt-xyz', PORT: '3000' }, apiKey: 'k' },
          note: 'uses given-secret-value inside',
        },
        outcome: 'error',
        error: { message: 'auth failed for given-secret-value at postgres://a:b@c/d' },
      },
      { secrets: ['given-secret-value'] },
    );
    const text = await readFile(log.path, 'utf8');
    for (const secret of ['url-pw', 'jwt-xyz', 'given-secret-value', ':b@'])
      expect(text).not.toContain(secret);
    const [entry] = await log.read();
    expect(entry?.args).toEqual({
      dbUrl: 'postgres://postgres:***@db:5432/postgres',
      config: { env: { SERVICE_ROLE_KEY: '***', PORT: '3000' }, apiKey: '***' },
      note: 'uses *** inside',
    });
    expect(entry?.error?.message).toBe('auth failed for *** at postgres://a:***@c/d');
  });

  it('narrows a wider mode of an existing file to 0600', async () => {
    const { log } = await setup();
    await mkdir(path.dirname(log.path), { recursive: true });
    await writeFile(log.path, '');
    await chmod(log.path, 0o644);
    await log.append({ source: 'cli', action: 'x', args: {}, outcome: 'ok' });
    expect((await stat(log.path)).mode & 0o777).toBe(0o600);
  });

  it('tolerates a torn last line and recovers the entry appended after it', async () => {
    const { log } = await setup();
    await log.append({ source: 'cli', action: 'one', args: {}, outcome: 'ok' });
    await appendFile(log.path, '{"time":"2026-01-01T00:00:00Z","sou');
    expect((await log.read()).map((e) => e.action)).toEqual(['one']);
    // the next entry's args hold a nested {"time": ...} object: the first marker is not the start
    await log.append({
      source: 'cli',
      action: 'two',
      args: { x: { time: 'nested' } },
      outcome: 'ok',
    });
    expect((await log.read()).map((e) => e.action)).toEqual(['one', 'two']);
    await appendFile(log.path, 'garbage without a marker\n["not an entry"]\n');
    await log.append({ source: 'cli', action: 'three', args: {}, outcome: 'ok' });
    expect((await log.read()).map((e) => e.action)).toEqual(['one', 'two', 'three']);
  });

  it('filters by time, action and instance, and keeps the newest with limit', async () => {
    const { log } = await setup();
    const at = (d: number) => new Date(Date.UTC(2026, 0, d)).toISOString();
    await log.append({
      source: 'cli',
      action: 'backup create',
      instance: 'a',
      args: {},
      outcome: 'ok',
      time: at(1),
    });
    await log.append({
      source: 'cli',
      action: 'backup create',
      instance: 'b',
      args: {},
      outcome: 'ok',
      time: at(2),
    });
    await log.append({
      source: 'mcp',
      action: 'execute_sql',
      instance: 'a',
      args: {},
      outcome: 'dry-run',
      time: at(3),
    });
    await log.append({
      source: 'mcp',
      action: 'execute_sql',
      instance: 'a',
      args: {},
      outcome: 'ok',
      time: at(4),
    });
    expect((await log.read({ since: new Date(Date.UTC(2026, 0, 3)) })).length).toBe(2);
    expect((await log.read({ action: 'backup create' })).map((e) => e.instance)).toEqual([
      'a',
      'b',
    ]);
    expect((await log.read({ instance: 'a', limit: 2 })).map((e) => e.time)).toEqual([
      at(3),
      at(4),
    ]);
    expect(await log.read({ limit: 0 })).toEqual([]);
  });

  it('reads nothing from a log that does not exist yet', async () => {
    const { log } = await setup();
    expect(await log.read()).toEqual([]);
  });

  it('follows SUPAOPS_AUDIT_LOG, and does nothing when it is off', async () => {
    const { t, log } = await setup({ SUPAOPS_AUDIT_LOG: 'logs/ops.jsonl' });
    expect(log.path).toBe(path.join(t.project, 'logs/ops.jsonl'));
    const off = await setup({ SUPAOPS_AUDIT_LOG: 'off' });
    expect(off.log.enabled).toBe(false);
    await off.log.append({ source: 'cli', action: 'x', args: {}, outcome: 'ok' });
    await expect(stat(off.log.path)).rejects.toThrow(/ENOENT/);
  });

  it('validates entries and filters', async () => {
    const { log } = await setup();
    await expect(
      log.append({ source: 'web', action: 'x', args: {}, outcome: 'ok' } as never),
    ).rejects.toThrow(ConfigValidationError);
    await expect(
      log.append({ source: 'cli', action: '', args: {}, outcome: 'ok' }),
    ).rejects.toThrow(/action/);
    await expect(log.read({ limit: -1 })).rejects.toThrow(/limit/);
  });

  it('reports a log it cannot write or read', async () => {
    const t = await tempHome();
    const blocker = path.join(t.root, 'blocker');
    await writeFile(blocker, 'x');
    const loaded = await loadConfig({
      cwd: t.project,
      env: { ...t.env, SUPAOPS_AUDIT_LOG: path.join(blocker, 'a.jsonl') },
    });
    const log = openAuditLog(loaded);
    const error = await log
      .append({ source: 'cli', action: 'x', args: {}, outcome: 'ok' })
      .catch((e) => e);
    expect(AuditLogError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/Cannot append to the audit log .*Fix:/);
    await expect(log.read()).rejects.toThrow(/Cannot read the audit log/);
  });
});
