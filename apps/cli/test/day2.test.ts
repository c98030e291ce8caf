import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { waitForDeployment } from '@supaops/dokploy-client';
import { parseEnv, toEnvRecord } from '@supaops/selfhost';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliResult, json, runCli, type TempHome, tempHome } from './helpers/cli.js';
import { schemaErrors } from './helpers/schema.js';
import { type CliStack, startCliStack } from './helpers/stack.js';

let stack: CliStack | undefined;
let home: TempHome | undefined;
afterEach(async () => {
  await stack?.stop();
  await home?.cleanup();
  stack = undefined;
  home = undefined;
});

// biome-ignore lint/suspicious/noExplicitAny: a --json document, checked against its schema first
type Doc = Record<string, any>;

/** The template deployed on Dokploy 0.30.2 (readLogs needs 0.29+), registered as `shop`. */
async function deployed() {
  stack = await startCliStack('0.30.2');
  const s = stack;
  const { environment } = await s.client.project.create({ name: 'shop' });
  const { composeId } = await s.client.compose.deployTemplate({
    environmentId: environment?.environmentId as string,
    id: 'supabase',
  });
  await s.client.compose.deploy({ composeId });
  await waitForDeployment(s.client, { composeId, intervalMs: 5, timeoutMs: 10_000 });
  home = await tempHome({ DOKPLOY_API_KEY: s.sim.apiKey });
  const config = {
    version: 1,
    instances: { shop: { kind: 'dokploy', dokploy: { server: 'sim', composeId } } },
    dokployServers: { sim: { url: s.sim.url, apiKey: 'env:DOKPLOY_API_KEY' } },
  };
  await writeFile(path.join(home.project, 'supaops.config.json'), JSON.stringify(config));
  return { s, h: home, composeId };
}

const run = (h: TempHome, args: string[]) => runCli(args, { cwd: h.project, env: h.env });

function secretValues(text: string): string[] {
  const env = toEnvRecord(parseEnv(text, { interpolate: false }));
  return ['JWT_SECRET', 'SERVICE_ROLE_KEY', 'ANON_KEY', 'POSTGRES_PASSWORD', 'DASHBOARD_PASSWORD']
    .map((k) => env[k] as string)
    .filter(Boolean);
}

function expectAbsent(result: CliResult, values: string[]): void {
  for (const v of values) {
    expect(result.stdout).not.toContain(v);
    expect(result.stderr).not.toContain(v);
  }
}

describe('health, rollback (Dokploy simulator 0.30.2 + gateway simulator)', () => {
  it('healthy after the repair, unhealthy after an env change breaks the keys, rollback restores the env byte for byte', async () => {
    const { s, h, composeId } = await deployed();
    const via = ['--validate-via', s.tunnel];
    const repaired = await run(h, [
      ...['keys', 'repair', '--instance', 'shop', '--yes', ...via, '--poll-interval', '5'],
    ]);
    expect(repaired.code, repaired.stderr).toBe(0);
    const good = (await s.client.compose.one({ composeId })).env ?? '';

    const healthy = await run(h, ['health', '--instance', 'shop', ...via, '--json']);
    expect(healthy.code, healthy.stderr).toBe(0);
    const report = json<Doc>(healthy);
    expect(schemaErrors('health', report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.length).toBeGreaterThan(1);
    expectAbsent(healthy, [...secretValues(good), s.sim.apiKey]);

    // the anon key signed as the service role: PostgREST and Storage refuse the pair
    const keys = toEnvRecord(parseEnv(good));
    const broke = await run(h, [
      ...['env', 'set', `ANON_KEY=${keys.SERVICE_ROLE_KEY}`, '--instance', 'shop', '--redeploy'],
    ]);
    expect(broke.code, broke.stderr).toBe(0);
    const broken = (await s.client.compose.one({ composeId })).env ?? '';
    expect(broken).not.toBe(good);
    const sick = await run(h, ['health', '--instance', 'shop', ...via, '--json']);
    expect(sick.code, sick.stderr).toBe(1);
    expect(json<Doc>(sick).ok).toBe(false);

    const watch = await run(h, [
      ...['health', '--instance', 'shop', '--watch', '--interval', '0', '--max-polls', '2'],
      ...via,
      '--json',
    ]);
    expect(watch.code, watch.stderr).toBe(1);
    const events = json<Doc>(watch);
    expect(schemaErrors('health', events)).toEqual([]);
    expect(events).toMatchObject({ watch: true, polls: 2, ok: false });
    expect(events.events.some((e: Doc) => e.type === 'check-failed')).toBe(true);

    const dry = await run(h, ['rollback', '--instance', 'shop', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = json<Doc>(dry);
    expect(schemaErrors('rollback', plan)).toEqual([]);
    expect(plan).toMatchObject({ dryRun: true, applied: false, target: { kind: 'compose.env' } });
    expect(plan.diff.entries.find((e: Doc) => e.key === 'ANON_KEY').status).toBe('changed');
    expectAbsent(dry, secretValues(good));
    expect((await s.client.compose.one({ composeId })).env).toBe(broken);
    const refused = await run(h, ['rollback', '--instance', 'shop']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/CONFIRMATION_REQUIRED/);

    const back = await run(h, [
      ...['rollback', '--instance', 'shop', '--yes', ...via, '--poll-interval', '5', '--json'],
    ]);
    expect(back.code, back.stderr).toBe(0);
    const doc = json<Doc>(back);
    expect(schemaErrors('rollback', doc)).toEqual([]);
    expect(doc).toMatchObject({ applied: true, effective: true, validation: { ok: true } });
    expect((await s.client.compose.one({ composeId })).env).toBe(good);
    const again = await run(h, ['health', '--instance', 'shop', ...via]);
    expect(again.code, again.stderr).toBe(0);
    const audit = await run(h, ['audit', '--action', 'rollback', '--json']);
    expect(audit.stdout).toMatch(/"outcome": "ok"/);
    expect(audit.stdout).toMatch(/"outcome": "dry-run"/);
  });
});

describe('logs, domain, instances discover', () => {
  it('logs --grep masks secrets; domain add without --redeploy is not yet effective; discover --register', async () => {
    const { s, h, composeId } = await deployed();
    const env = (await s.client.compose.one({ composeId })).env ?? '';
    const password = toEnvRecord(parseEnv(env)).POSTGRES_PASSWORD as string;
    const auth = [...s.sim.state.containers.values()].find(
      (c) => c.composeId === composeId && c.service === 'auth',
    );
    expect(auth).toBeDefined();
    auth?.logs.push(
      `${new Date().toISOString()} auth | error: connect postgres://supabase_auth_admin:${password}@db:5432/postgres refused`,
    );
    const logs = await run(h, ['logs', '--instance', 'shop', '--grep', 'ERROR', '--json']);
    expect(logs.code, logs.stderr).toBe(0);
    const doc = json<Doc>(logs);
    expect(schemaErrors('logs', doc)).toEqual([]);
    expect(doc.lines.length).toBe(1);
    expect(doc.lines[0]).toMatchObject({ service: 'auth' });
    expect(doc.lines[0].text).toMatch(/error: connect postgres:\/\/supabase_auth_admin:/);
    expectAbsent(logs, [...secretValues(env), s.sim.apiKey]);
    const human = await run(h, ['logs', '--instance', 'shop', '--service', 'auth', '--tail', '5']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/auth .*listening/);
    expectAbsent(human, [password]);
    const follow = await run(h, ['logs', '--instance', 'shop', '--follow']);
    expect(follow.code).toBe(2);
    expect(follow.stderr).toMatch(/not yet available/);

    const add = await run(h, ['domain', 'add', 'api.shop.test', '--no-https', '--json']);
    expect(add.code, add.stderr).toBe(0);
    const added = json<Doc>(add);
    expect(schemaErrors('domain-add', added)).toEqual([]);
    expect(added).toMatchObject({ effective: false, needsRedeploy: true });
    expect(added.domain).toMatchObject({ host: 'api.shop.test', https: false });
    const text = await run(h, ['domain', 'update', 'api.shop.test', '--port', '8000']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/takes effect at the next deploy/);
    const domains = await s.client.domain.byComposeId({ composeId });
    expect(domains.map((d) => d.host)).toContain('api.shop.test');
    const missing = await run(h, ['domain', 'remove', 'nope.shop.test']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/SELFHOST_DOMAIN_NOT_FOUND/);

    const listed = await run(h, ['instances', 'discover', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const found = json<Doc>(listed);
    expect(schemaErrors('instances-discover', found)).toEqual([]);
    expect(found.instances).toHaveLength(1);
    expect(found.instances[0]).toMatchObject({ instance: 'sim', composeId, configName: 'shop' });
    // a second config without the instance: --register adopts the stack by reference
    await writeFile(
      path.join(h.project, 'supaops.config.json'),
      JSON.stringify({
        version: 1,
        instances: {},
        dokployServers: { sim: { url: s.sim.url, apiKey: 'env:DOKPLOY_API_KEY' } },
      }),
    );
    const reg = await run(h, ['instances', 'discover', '--server', 'sim', '--register', '--json']);
    expect(reg.code, reg.stderr).toBe(0);
    const registered = json<Doc>(reg);
    expect(registered.registered).toEqual(['shop']);
    const list = json<Doc>(await run(h, ['instances', 'list', '--json']));
    expect(JSON.stringify(list)).toContain(composeId);
    const { readFile } = await import('node:fs/promises');
    const file = await readFile(path.join(h.project, 'supaops.config.json'), 'utf8');
    for (const v of [...secretValues(env), s.sim.apiKey]) expect(file).not.toContain(v);
    expect(file).toContain(composeId);
  });
});
