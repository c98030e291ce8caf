import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findPgBinaries } from '@supaops/sandbox';
import { parseEnv, toEnvRecord } from '@supaops/selfhost';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { json, spawnCli } from './helpers/cli.js';
import { editConfig } from './helpers/config-edit.js';
import { expectAbsent, secretValues, useDokployInstances } from './helpers/dokploy-instance.js';
import { schemaErrors } from './helpers/schema.js';

/** A psql session that stays connected (pg_sleep) until killed; resolves once it is connected. */
async function holdConnection(url: string): Promise<ChildProcess> {
  const psql = join(findPgBinaries({ only: 'system' }).dir, 'psql');
  const child = spawn(psql, [url, '-c', 'select pg_sleep(60)'], { stdio: 'ignore' });
  const count = "select count(*) from pg_stat_activity where query = 'select pg_sleep(60)'";
  for (let i = 0; i < 100; i++) {
    const seen = spawnSync(psql, [url, '-tAc', count], { encoding: 'utf8' }).stdout.trim();
    if (Number(seen) > 0) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error('the holding psql session did not connect');
}

const stacks = useDokployInstances();
const db = useTestDatabase('cli_live_ops');

// biome-ignore lint/suspicious/noExplicitAny: a --json document, checked against its schema first
type Doc = Record<string, any>;

/** Waits (bounded) until `done()` holds, polling every 25 ms. */
async function until(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (let waited = 0; !done() && waited < timeoutMs; waited += 25)
    await new Promise((r) => setTimeout(r, 25));
}

describe('logs --follow (Dokploy simulator 0.30.2, its log WebSocket)', () => {
  it('history first, live lines as they arrive, secrets masked; SIGINT closes the streams and exits 130', async () => {
    const { s, h, composeId, env, run } = await stacks.deploy('0.30.2');
    const password = toEnvRecord(parseEnv(env)).POSTGRES_PASSWORD as string;
    const auth = [...s.sim.state.containers.values()].find(
      (c) => c.composeId === composeId && c.service === 'auth',
    );
    auth?.logs.push(
      `${new Date().toISOString()} auth | error: connect postgres://supabase_auth_admin:${password}@db:5432/postgres refused`,
    );
    const args = ['logs', '--instance', 'shop', '--follow', '--service', 'auth'];
    const child = spawnCli([...args, '--service', 'rest', '--tail', '5', '--json'], {
      cwd: h.project,
      env: h.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.stdin.end();
    const beats = (service: string) =>
      stdout.includes(`"service":"${service}"`) && /heartbeat/.test(stdout);
    await until(
      () => beats('auth') && beats('rest') && (stdout.match(/heartbeat/g) ?? []).length >= 2,
    );
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(130);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Doc);
    for (const line of lines) expect(schemaErrors('logs-follow', line)).toEqual([]);
    const end = lines.at(-1) as Doc;
    expect(end).toMatchObject({ type: 'end', instance: 'shop', composeId, endedBy: 'signal' });
    expect(end.lines).toBe(lines.length - 1);
    expect(end.sources.map((x: Doc) => x.service).sort()).toEqual(['auth', 'rest']);
    expect(end.sources.every((x: Doc) => !x.failed)).toBe(true);
    const logged = lines.slice(0, -1);
    // the history line comes before any live heartbeat, its password masked
    const error = logged.findIndex((l) => /error: connect/.test(l.text));
    const firstBeat = logged.findIndex((l) => /heartbeat/.test(l.text));
    expect(error).toBeGreaterThanOrEqual(0);
    expect(error).toBeLessThan(firstBeat);
    expect(logged[error]?.text).toMatch(/supabase_auth_admin:\*\*\*@db/);
    expect(logged.filter((l) => /heartbeat/.test(l.text)).map((l) => l.service)).toEqual(
      expect.arrayContaining(['auth', 'rest']),
    );
    expect(stdout).not.toContain(password);
    expect(stderr).not.toContain(password);

    // a reader that goes away (`| head -1`) ends the follow: exit 0, no crash
    const head = spawnCli(args, { cwd: h.project, env: h.env });
    let headErr = '';
    head.stderr.setEncoding('utf8').on('data', (d: string) => {
      headErr += d;
    });
    head.stdin.end();
    let first = '';
    await new Promise<void>((resolve) => {
      head.stdout.setEncoding('utf8').once('data', (d: string) => {
        first = d;
        head.stdout.destroy();
        resolve();
      });
    });
    const headCode = await new Promise<number | null>((resolve) => head.on('close', resolve));
    expect(first).toMatch(/^auth /);
    expect(headCode, headErr).toBe(0);
    expect(headErr).not.toMatch(/EPIPE|Unhandled/);

    // --duration ends it by itself (exit 0), human lines; --grep filters the live lines too
    const timed = await run([...args, '--grep', 'heartbeat', '--duration', '1s']);
    expect(timed.code, timed.stderr).toBe(0);
    const human = timed.stdout.trim().split('\n');
    expect(human.length).toBeGreaterThan(0);
    for (const l of human) expect(l).toMatch(/^auth +\S+ auth \| heartbeat \d+$/);
    expect(timed.stderr).toMatch(/ended by duration/);
    const bad = await run(['logs', '--instance', 'shop', '--duration', '5s']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/LOGS_DURATION_WITHOUT_FOLLOW/);
    const badValue = await run([...args, '--duration', 'soon']);
    expect(badValue.code).toBe(2);
    const missing = await run([...args, '--service', 'nope', '--duration', '1s', '--json']);
    expect(missing.code).toBe(1);
    const doc = JSON.parse(missing.stdout.trim().split('\n').at(-1) as string) as Doc;
    expect(doc.sources.find((x: Doc) => x.service === 'nope').failed).toMatch(/no container/);
    expect(missing.stderr).toMatch(/nope: no container/);
  });
});

describe('health of any instance (PostgreSQL, Dokploy simulator, gateway simulator)', () => {
  it('a plain database instance, an unreachable one, one with nothing to check, a Dokploy one with its database and an api-only one', async () => {
    const { s, h, composeId, configPath, run } = await stacks.deploy('0.30.2');
    const via = ['--validate-via', s.tunnel];
    Object.assign(h.env, {
      PLAIN_DB_URL: db.current.url(),
      DOWN_DB_URL: `postgresql://postgres:${db.current.password}@127.0.0.1:1/postgres`,
    });
    await editConfig(configPath, (c) => {
      c.instances.plain = { kind: 'self-hosted', database: { session: 'env:PLAIN_DB_URL' } };
      c.instances.down = { kind: 'self-hosted', database: { session: 'env:DOWN_DB_URL' } };
      c.instances.bare = { kind: 'self-hosted', description: 'nothing configured' };
      c.instances.shop.database = { session: 'env:PLAIN_DB_URL' };
    });
    const secrets = [db.current.password, s.sim.apiKey];

    const plain = await run(['health', '--instance', 'plain', '--json']);
    expect(plain.code, plain.stderr).toBe(0);
    const report = json<Doc>(plain);
    expect(schemaErrors('health', report)).toEqual([]);
    expect(report).toMatchObject({ instance: 'plain', ok: true });
    expect(report.parts.database).toMatchObject({ checked: true, ok: true });
    expect(report.parts.dokploy.checked).toBe(false);
    expect(report.parts.api.checked).toBe(false);
    expect(report.checks.map((c: Doc) => c.name)).toEqual(['connections']);
    expect(report.connections.maxConnections).toBeGreaterThan(0);
    const human = await run(['health', '--instance', 'plain']);
    expect(human.stdout).toMatch(/^healthy plain\n/);
    expect(human.stdout).toMatch(/connections \d+\/\d+/);
    expect(human.stdout).toMatch(/not checked: dokploy: not configured/);

    const down = await run(['health', '--instance', 'down', '--json']);
    expect(down.code).toBe(1);
    const sick = json<Doc>(down);
    expect(schemaErrors('health', sick)).toEqual([]);
    expect(sick.database.reachable).toBe(false);
    expect(sick.checks).toEqual([expect.objectContaining({ name: 'database', ok: false })]);
    const bare = await run(['health', '--instance', 'bare', '--json']);
    expect(bare.code).toBe(4);
    expect(json<Doc>(bare).error.code).toBe('HEALTH_NOTHING_TO_CHECK');
    const noDb = await run(['health', '--instance', 'plain', '--no-database']);
    expect(noDb.code).toBe(4);

    // Dokploy and the database in one report; the keys repaired so the HTTP checks pass
    const repaired = await run([
      ...['keys', 'repair', '--instance', 'shop', '--yes', ...via, '--poll-interval', '5'],
    ]);
    expect(repaired.code, repaired.stderr).toBe(0);
    const both = await run(['health', '--instance', 'shop', ...via, '--json']);
    expect(both.code, both.stdout).toBe(0);
    const full = json<Doc>(both);
    expect(schemaErrors('health', full)).toEqual([]);
    expect(full).toMatchObject({ composeId, ok: true });
    expect(full.parts.dokploy).toMatchObject({ checked: true, ok: true });
    expect(full.parts.database).toMatchObject({ checked: true, ok: true });
    expect(full.checks.map((c: Doc) => c.name)).toEqual(
      expect.arrayContaining(['containers', 'auth-health', 'connections']),
    );

    // --watch honours --critical-percent: with one more connection held, use is above 1 %
    const holder = await holdConnection(db.current.url());
    let watched: Awaited<ReturnType<typeof run>>;
    try {
      watched = await run([
        ...['health', '--instance', 'shop', '--watch', '--interval', '0', '--max-polls', '1'],
        ...['--critical-percent', '1', ...via, '--json'],
      ]);
    } finally {
      holder.kill();
    }
    expect(watched.code, watched.stderr).toBe(1);
    const watchedDoc = json<Doc>(watched);
    expect(schemaErrors('health', watchedDoc)).toEqual([]);
    expect(watchedDoc.events.some((e: Doc) => e.type === 'pool-high')).toBe(true);

    // an instance with only the gateway's URL and keys (self-hosted elsewhere)
    const keys = toEnvRecord(parseEnv((await s.client.compose.one({ composeId })).env ?? ''));
    Object.assign(h.env, { GW_ANON: keys.ANON_KEY, GW_SERVICE: keys.SERVICE_ROLE_KEY });
    await editConfig(configPath, (c) => {
      c.instances.gw = {
        kind: 'self-hosted',
        api: {
          url: keys.SUPABASE_PUBLIC_URL,
          anonKey: 'env:GW_ANON',
          serviceRoleKey: 'env:GW_SERVICE',
        },
      };
    });
    const gw = await run(['health', '--instance', 'gw', ...via, '--json']);
    expect(gw.code, gw.stdout).toBe(0);
    const api = json<Doc>(gw);
    expect(schemaErrors('health', api)).toEqual([]);
    expect(api.parts.api).toMatchObject({ checked: true, ok: true });
    expect(api.checks.map((c: Doc) => c.name)).toEqual(
      expect.arrayContaining(['auth-health', 'rest-anon', 'rest-service', 'storage-buckets']),
    );
    // the same keys under the sb_ names: health hands them to selfhost as those
    await editConfig(configPath, (c) => {
      c.instances.gwnew = {
        kind: 'self-hosted',
        api: {
          url: keys.SUPABASE_PUBLIC_URL,
          publishableKey: 'env:GW_ANON',
          secretKey: 'env:GW_SERVICE',
        },
      };
    });
    const gwnew = await run(['health', '--instance', 'gwnew', ...via, '--json']);
    expect(gwnew.code, gwnew.stdout).toBe(0);
    expect(json<Doc>(gwnew).checks.map((c: Doc) => c.name)).toEqual(
      api.checks.map((c: Doc) => c.name),
    );
    // an unset key reference of a configured part is a configuration error
    delete h.env.GW_SERVICE;
    const unset = await run(['health', '--instance', 'gw', ...via]);
    expect(unset.code).toBe(4);
    for (const r of [plain, human, down, bare, both, watched, gw, gwnew, unset])
      expectAbsent(r, [...secrets, keys.SERVICE_ROLE_KEY as string, keys.JWT_SECRET as string]);
  });
});

describe('domain plans (planDomainChange)', () => {
  it('--dry-run shows the plan and writes nothing; a blocker refuses the change; the plan precedes a change', async () => {
    const { s, composeId, env, run } = await stacks.deploy('0.30.2');
    const domains = async () =>
      (await s.client.domain.byComposeId({ composeId })).map((d) => d.host);
    const before = await domains();

    const dry = await run(['domain', 'add', 'api.shop.test', '--https', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = json<Doc>(dry);
    expect(schemaErrors('domain-add', plan)).toEqual([]);
    expect(plan).toMatchObject({ dryRun: true, action: 'add' });
    expect(plan.plan).toMatchObject({ ok: true, needsRedeploy: true, redeploy: false });
    expect(plan.plan.after).toMatchObject({
      host: 'api.shop.test',
      https: true,
      certificateType: 'letsencrypt',
      serviceName: 'kong',
      port: 8000,
    });
    expect(plan.plan.summary).toMatch(/api\.shop\.test/);
    expect(await domains()).toEqual(before);
    const text = await run(['domain', 'add', 'api.shop.test', '--https', '--dry-run']);
    expect(text.stdout).toMatch(/^Will add api\.shop\.test/);

    // Let's Encrypt cannot reach a private sslip.io name; a host with "_" is not a hostname
    const sslip = await run([
      ...['domain', 'add', 'shop-1a2b3c-192-168-1-20.sslip.io', '--https', '--dry-run', '--json'],
    ]);
    expect(sslip.code).toBe(1);
    const blocked = json<Doc>(sslip);
    expect(schemaErrors('domain-add', blocked)).toEqual([]);
    expect(blocked.plan.ok).toBe(false);
    expect(blocked.plan.blockers.map((b: Doc) => b.code)).toEqual(['LETSENCRYPT_UNREACHABLE']);
    expect(blocked.plan.letsEncrypt).toMatchObject({ reachable: false, address: '192.168.1.20' });
    const refused = await run(['domain', 'add', 'bad_host.shop.test', '--no-https']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/blocker HOST_INVALID/);
    expect(refused.stderr).toMatch(/DOMAIN_CHANGE_BLOCKED/);
    expect(await domains()).toEqual(before);

    // a real change: the plan first, then the write
    const host = before[0] as string;
    const update = await run(['domain', 'update', host, '--port', '8001', '--json']);
    expect(update.code, update.stderr).toBe(0);
    const doc = json<Doc>(update);
    expect(schemaErrors('domain-update', doc)).toEqual([]);
    expect(doc).toMatchObject({ dryRun: false, effective: false, domain: { port: 8001 } });
    expect(doc.plan.changes).toEqual([{ field: 'port', from: 8000, to: 8001 }]);
    const human = await run(['domain', 'update', host, '--port', '8000']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stderr).toMatch(/Will update/);
    expect(human.stderr.indexOf('Will update')).toBeLessThan(human.stderr.indexOf('takes effect'));
    expectAbsent(human, [...secretValues(env), s.sim.apiKey]);
  });
});
