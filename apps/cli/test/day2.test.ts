import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseEnv, toEnvRecord } from '@supaops/selfhost';
import { describe, expect, it } from 'vitest';
import { json } from './helpers/cli.js';
import { expectAbsent, secretValues, useDokployInstances } from './helpers/dokploy-instance.js';
import { schemaErrors } from './helpers/schema.js';

const stacks = useDokployInstances();

// biome-ignore lint/suspicious/noExplicitAny: a --json document, checked against its schema first
type Doc = Record<string, any>;

/** The template deployed on Dokploy 0.30.2 (readLogs needs 0.29+), registered as `shop`. */
const deployed = () => stacks.deploy('0.30.2');

describe('health, rollback (Dokploy simulator 0.30.2 + gateway simulator)', () => {
  it('healthy after the repair, unhealthy after an env change breaks the keys, rollback restores the env byte for byte', async () => {
    const { s, composeId, run } = await deployed();
    const via = ['--validate-via', s.tunnel];
    const repaired = await run([
      ...['keys', 'repair', '--instance', 'shop', '--yes', ...via, '--poll-interval', '5'],
    ]);
    expect(repaired.code, repaired.stderr).toBe(0);
    const good = (await s.client.compose.one({ composeId })).env ?? '';

    const healthy = await run(['health', '--instance', 'shop', ...via, '--json']);
    expect(healthy.code, healthy.stderr).toBe(0);
    const report = json<Doc>(healthy);
    expect(schemaErrors('health', report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.length).toBeGreaterThan(1);
    expectAbsent(healthy, [...secretValues(good), s.sim.apiKey]);

    // the anon key signed as the service role: PostgREST and Storage refuse the pair
    const keys = toEnvRecord(parseEnv(good));
    const broke = await run([
      ...['env', 'set', `ANON_KEY=${keys.SERVICE_ROLE_KEY}`, '--instance', 'shop', '--redeploy'],
    ]);
    expect(broke.code, broke.stderr).toBe(0);
    const broken = (await s.client.compose.one({ composeId })).env ?? '';
    expect(broken).not.toBe(good);
    const sick = await run(['health', '--instance', 'shop', ...via, '--json']);
    expect(sick.code, sick.stderr).toBe(1);
    expect(json<Doc>(sick).ok).toBe(false);

    const watch = await run([
      ...['health', '--instance', 'shop', '--watch', '--interval', '0', '--max-polls', '2'],
      ...via,
      '--json',
    ]);
    expect(watch.code, watch.stderr).toBe(1);
    const events = json<Doc>(watch);
    expect(schemaErrors('health', events)).toEqual([]);
    expect(events).toMatchObject({ watch: true, polls: 2, ok: false });
    expect(events.events.some((e: Doc) => e.type === 'check-failed')).toBe(true);

    const dry = await run(['rollback', '--instance', 'shop', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = json<Doc>(dry);
    expect(schemaErrors('rollback', plan)).toEqual([]);
    expect(plan).toMatchObject({ dryRun: true, applied: false, target: { kind: 'compose.env' } });
    expect(plan.diff.entries.find((e: Doc) => e.key === 'ANON_KEY').status).toBe('changed');
    expectAbsent(dry, secretValues(good));
    expect((await s.client.compose.one({ composeId })).env).toBe(broken);
    const refused = await run(['rollback', '--instance', 'shop']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/CONFIRMATION_REQUIRED/);

    const back = await run([
      ...['rollback', '--instance', 'shop', '--yes', ...via, '--poll-interval', '5', '--json'],
    ]);
    expect(back.code, back.stderr).toBe(0);
    const doc = json<Doc>(back);
    expect(schemaErrors('rollback', doc)).toEqual([]);
    expect(doc).toMatchObject({ applied: true, effective: true, validation: { ok: true } });
    expect((await s.client.compose.one({ composeId })).env).toBe(good);
    const again = await run(['health', '--instance', 'shop', ...via]);
    expect(again.code, again.stderr).toBe(0);
    const audit = await run(['audit', '--action', 'rollback', '--json']);
    expect(audit.stdout).toMatch(/"outcome": "ok"/);
    expect(audit.stdout).toMatch(/"outcome": "dry-run"/);
  });
});

describe('logs, domain, instances discover', () => {
  it('logs --grep masks secrets; domain add without --redeploy is not yet effective; discover --register', async () => {
    const { s, h, composeId, run } = await deployed();
    const env = (await s.client.compose.one({ composeId })).env ?? '';
    const password = toEnvRecord(parseEnv(env)).POSTGRES_PASSWORD as string;
    const auth = [...s.sim.state.containers.values()].find(
      (c) => c.composeId === composeId && c.service === 'auth',
    );
    expect(auth).toBeDefined();
    auth?.logs.push(
      `${new Date().toISOString()} auth | error: connect postgres://supabase_auth_admin:${password}@db:5432/postgres refused`,
    );
    const logs = await run(['logs', '--instance', 'shop', '--grep', 'ERROR', '--json']);
    expect(logs.code, logs.stderr).toBe(0);
    const doc = json<Doc>(logs);
    expect(schemaErrors('logs', doc)).toEqual([]);
    expect(doc.lines.length).toBe(1);
    expect(doc.lines[0]).toMatchObject({ service: 'auth' });
    expect(doc.lines[0].text).toMatch(/error: connect postgres:\/\/supabase_auth_admin:/);
    expectAbsent(logs, [...secretValues(env), s.sim.apiKey]);
    const human = await run(['logs', '--instance', 'shop', '--service', 'auth', '--tail', '5']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/auth .*listening/);
    expectAbsent(human, [password]);

    const add = await run(['domain', 'add', 'api.shop.test', '--no-https', '--json']);
    expect(add.code, add.stderr).toBe(0);
    const added = json<Doc>(add);
    expect(schemaErrors('domain-add', added)).toEqual([]);
    expect(added).toMatchObject({ effective: false, needsRedeploy: true });
    expect(added.domain).toMatchObject({ host: 'api.shop.test', https: false });
    const text = await run(['domain', 'update', 'api.shop.test', '--port', '8000']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/takes effect at the next deploy/);
    const domains = await s.client.domain.byComposeId({ composeId });
    expect(domains.map((d) => d.host)).toContain('api.shop.test');
    const missing = await run(['domain', 'remove', 'nope.shop.test']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/SELFHOST_DOMAIN_NOT_FOUND/);

    const listed = await run(['instances', 'discover', '--json']);
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
    const reg = await run(['instances', 'discover', '--server', 'sim', '--register', '--json']);
    expect(reg.code, reg.stderr).toBe(0);
    const registered = json<Doc>(reg);
    expect(registered.registered).toEqual(['shop']);
    const list = json<Doc>(await run(['instances', 'list', '--json']));
    expect(JSON.stringify(list)).toContain(composeId);
    const file = await readFile(path.join(h.project, 'supaops.config.json'), 'utf8');
    for (const v of [...secretValues(env), s.sim.apiKey]) expect(file).not.toContain(v);
    expect(file).toContain(composeId);
  });
});

describe('domain add|update --redeploy (Dokploy simulator 0.30.2 + gateway simulator)', () => {
  /** What the tunnel (Traefik's stand-in) answers for HOST: 404 until a deploy labelled it. */
  async function routed(tunnel: string, host: string, anonKey: string): Promise<number> {
    const res = await fetch(`${tunnel}/auth/v1/health`, {
      headers: { apikey: anonKey, 'x-forwarded-host': host, 'x-forwarded-proto': 'http' },
    });
    await res.arrayBuffer();
    return res.status;
  }

  it('deploys, waits and validates: the domain is routed after, the deployment exists, a failed validation is exit 1', async () => {
    const { s, composeId, run } = await deployed();
    const via = ['--validate-via', s.tunnel, '--poll-interval', '5'];
    // as deployed, the template's public URL is https while its domain serves http (404 through
    // the tunnel): the repair turns the domain's https on, so validation can pass
    const repaired = await run(['keys', 'repair', '--instance', 'shop', '--yes', ...via]);
    expect(repaired.code, repaired.stderr).toBe(0);
    const env = (await s.client.compose.one({ composeId })).env ?? '';
    const keys = toEnvRecord(parseEnv(env));
    const anon = keys.ANON_KEY as string;
    const deployments = async () => s.client.deployment.allByCompose({ composeId });
    const before = (await deployments()).length;
    expect(await routed(s.tunnel, 'api.shop.test', anon)).toBe(404);

    const add = await run([
      ...['domain', 'add', 'api.shop.test', '--no-https', '--redeploy', ...via, '--json'],
    ]);
    expect(add.code, add.stderr).toBe(0);
    const added = json<Doc>(add);
    expect(schemaErrors('domain-add', added)).toEqual([]);
    expect(added).toMatchObject({
      effective: true,
      needsRedeploy: false,
      validation: { ok: true },
    });
    expect(added.validation.checks.length).toBeGreaterThan(1);
    expect(added.message).toMatch(/redeployed/);
    const list = await deployments();
    expect(list.length).toBe(before + 1);
    expect(list.find((d) => d.deploymentId === added.deploymentId)?.status).toBe('done');
    expect(await routed(s.tunnel, 'api.shop.test', anon)).toBe(200);
    expectAbsent(add, [...secretValues(env), s.sim.apiKey]);

    const update = await run([
      ...['domain', 'update', 'api.shop.test', '--host', 'edge.shop.test', '--redeploy', ...via],
    ]);
    expect(update.code, update.stderr).toBe(0);
    expect(update.stdout).toMatch(/updated edge\.shop\.test: .*redeployed/);
    expect(update.stderr).not.toMatch(/takes effect at the next deploy/);
    expect((await deployments()).length).toBe(before + 2);
    expect(await routed(s.tunnel, 'edge.shop.test', anon)).toBe(200);
    expect(await routed(s.tunnel, 'api.shop.test', anon)).toBe(404);

    // keys broken without a redeploy: the domain's redeploy brings them live and reports it
    const broke = await run([
      'env',
      'set',
      `ANON_KEY=${keys.SERVICE_ROLE_KEY}`,
      '--instance',
      'shop',
    ]);
    expect(broke.code, broke.stderr).toBe(0);
    const failed = await run([
      ...['domain', 'update', 'edge.shop.test', '--port', '8000', '--redeploy', ...via, '--json'],
    ]);
    expect(failed.code, failed.stderr).toBe(1);
    const doc = json<Doc>(failed);
    expect(schemaErrors('domain-update', doc)).toEqual([]);
    expect(doc).toMatchObject({ effective: true, validation: { ok: false } });
    expect(doc.validation.checks.some((c: Doc) => !c.ok)).toBe(true);
    expect((await deployments()).length).toBe(before + 3);
  });
});
