import { type SupabaseGateway, startSupabaseGateway } from '@supaops/supabase-gateway-simulator';
import { generateLegacyApiKeys, generateSecrets, generateSupabaseEnv } from '@supaops/supabase-jwt';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkInstanceHealth,
  parseEnv,
  SelfhostValidationError,
  toEnvRecord,
} from '../src/index.js';
import { deployWithWizard, HOST } from './deployed.js';
import { healthyEnv } from './helpers.js';
import { type SimulatedStack, startStack } from './stack.js';

const db = useTestDatabase('instance-health');
let gw: SupabaseGateway | undefined;
let stack: SimulatedStack | undefined;
afterEach(async () => {
  await gw?.stop();
  await stack?.stop();
  gw = undefined;
  stack = undefined;
});

const names = (r: { checks: { name: string; ok: boolean }[] }) =>
  r.checks.map((c) => `${c.name}:${c.ok}`);

describe('checkInstanceHealth: any configured instance, part by part', () => {
  it('a plain database only (test kit PostgreSQL): connection pressure; unreachable fails, masked', async () => {
    const r = await checkInstanceHealth({
      database: db.current.adminUrl,
      now: () => new Date('2026-09-01T00:00:00Z'),
    });
    expect(r.ok).toBe(true);
    expect(names(r)).toEqual(['connections:true']);
    expect(r.connections?.maxConnections).toBeGreaterThan(0);
    expect(r.checks[0]?.reason).toMatch(/^\d+ of \d+ connections in use \(\d+(\.\d+)? %, ok\)$/);
    expect(r.parts).toEqual({
      dokploy: { checked: false, reason: expect.stringMatching(/^not configured/) },
      api: { checked: false, reason: expect.stringMatching(/^not configured/) },
      database: { checked: true, ok: true },
    });
    expect(r.skipped).toEqual([
      'dokploy: not configured (no dokploy { client, composeId } given)',
      'api: not configured (no api { url, anonKey } given)',
    ]);
    expect(r.checkedAt).toBe('2026-09-01T00:00:00.000Z');
    // every non-reserved slot counts as critical at 1 %
    const critical = await checkInstanceHealth({
      database: db.current.adminUrl,
      criticalPercent: 1,
    });
    expect(critical.ok).toBe(false);
    expect(critical.connections?.level).toBe('critical');

    const password = 'Unreachable9Password42';
    const down = await checkInstanceHealth({
      database: `postgresql://postgres:${password}@127.0.0.1:1/postgres`,
    });
    expect(down.ok).toBe(false);
    expect(names(down)).toEqual(['database:false']);
    expect(down.database?.reachable).toBe(false);
    expect(JSON.stringify(down)).not.toContain(password);
  });

  it('the API only, against the gateway simulator: sound keys pass, a broken key fails', async () => {
    const env = await healthyEnv(new Date());
    gw = await startSupabaseGateway({ env });
    const api = {
      url: gw.url,
      anonKey: env.ANON_KEY as string,
      serviceKey: env.SERVICE_ROLE_KEY as string,
    };
    const good = await checkInstanceHealth({ api });
    expect(good.ok).toBe(true);
    expect(names(good)).toEqual([
      'auth-health:true',
      'rest-anon:true',
      'rest-service:true',
      'rest-privileges-differ:true',
      'auth-admin:true',
      'storage-buckets:true',
    ]);
    expect(good.parts.api).toEqual({ checked: true, ok: true });
    expect(good.publicUrl).toBe(gw.url);
    // a service key signed with another secret: Kong knows no such key
    const foreign = await generateLegacyApiKeys({ secret: generateSecrets().JWT_SECRET });
    const broken = await checkInstanceHealth({
      api: { ...api, serviceKey: foreign.SERVICE_ROLE_KEY },
    });
    expect(broken.ok).toBe(false);
    expect(broken.parts.api).toEqual({ checked: true, ok: false });
    expect(broken.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([
      'rest-service',
      'auth-admin',
      'storage-buckets',
    ]);
    expect(JSON.stringify(broken)).not.toContain(foreign.SERVICE_ROLE_KEY.slice(-20));
    // the anon key alone: the service-key checks are skipped, not failed
    const anon = await checkInstanceHealth({ api: { url: gw.url, anonKey: api.anonKey } });
    expect(anon.ok).toBe(true);
    expect(names(anon)).toEqual(['auth-health:true', 'rest-anon:true']);
    expect(anon.skipped[0]).toMatch(/^api: no service key was given, so rest-service, /);
  });

  it('the API with only the new sb_ keys: checked as Kong and the services take them', async () => {
    const base = await healthyEnv(new Date());
    const keys = await generateSupabaseEnv({ newStyleKeys: true });
    const env = { ...base, ...keys };
    // Dokploy's compose gives JWT_JWKS to GoTrue only: PostgREST and Storage refuse the ES256
    // tokens Kong signs for the sb_ keys, and the health says so
    gw = await startSupabaseGateway({ env });
    const api = {
      url: gw.url,
      publishableKey: env.SUPABASE_PUBLISHABLE_KEY as string,
      secretKey: env.SUPABASE_SECRET_KEY as string,
    };
    expect(api.publishableKey).toMatch(/^sb_publishable_/);
    const dokploy = await checkInstanceHealth({ api });
    expect(dokploy.ok).toBe(false);
    expect(dokploy.checks.find((c) => c.name === 'rest-anon')?.reason).toMatch(/PGRST301/);
    await gw.stop();
    // the upstream opt-in wires JWT_JWKS into all three: every check passes
    gw = await startSupabaseGateway({ env, jwksServices: ['auth', 'rest', 'storage'] });
    const wired = { ...api, url: gw.url };
    const good = await checkInstanceHealth({ api: wired });
    expect(names(good)).toEqual([
      'auth-health:true',
      'rest-anon:true',
      'rest-service:true',
      'rest-privileges-differ:true',
      'auth-admin:true',
      'storage-buckets:true',
    ]);
    // the publishable key in the service role's place: the admin checks fail
    const swapped = await checkInstanceHealth({
      api: { ...wired, secretKey: wired.publishableKey },
    });
    expect(swapped.ok).toBe(false);
    const noAnon = await checkInstanceHealth({
      api: { url: gw.url, secretKey: api.secretKey },
    }).catch((e: unknown) => e);
    expect(SelfhostValidationError.isInstance(noAnon)).toBe(true);
  });

  it('all three: Dokploy containers, the gateway through its domain, the database', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const { composeId, env, appName } = await deployWithWizard(s);
    const e = toEnvRecord(parseEnv(env));
    const api = {
      url: `https://${HOST}`,
      anonKey: e.ANON_KEY as string,
      serviceKey: e.SERVICE_ROLE_KEY as string,
    };
    const all = await checkInstanceHealth({
      dokploy: { client: s.client, composeId },
      api,
      database: db.current.adminUrl,
      fetch: s.fetch,
    });
    expect(all.ok).toBe(true);
    expect(names(all)).toEqual([
      'containers:true',
      'auth-health:true',
      'rest-anon:true',
      'rest-service:true',
      'rest-privileges-differ:true',
      'auth-admin:true',
      'storage-buckets:true',
      'connections:true',
    ]);
    expect(all.parts).toEqual({
      dokploy: { checked: true, ok: true },
      api: { checked: true, ok: true },
      database: { checked: true, ok: true },
    });
    expect(all.skipped).toEqual([]);
    expect(all).toMatchObject({ composeId, appName, publicUrl: `https://${HOST}` });
    expect(all.containers?.length).toBeGreaterThan(5);
    // the wizard's pool size went into the pool advice
    expect(all.connections?.recommendedPoolerPoolSize).toBeGreaterThan(0);

    // Dokploy alone checks the gateway with the compose env's keys (checkHealth)
    const rest = [...s.sim.state.containers.values()].find(
      (c) => c.composeId === composeId && c.service === 'rest',
    );
    if (!rest) throw new Error('no rest container');
    rest.health = 'unhealthy';
    const dokployOnly = await checkInstanceHealth({
      dokploy: { client: s.client, composeId },
      fetch: s.fetch,
    });
    expect(dokployOnly.ok).toBe(false);
    expect(dokployOnly.parts.dokploy).toEqual({ checked: true, ok: false });
    expect(dokployOnly.parts.api).toEqual({ checked: true, ok: true });
    expect(dokployOnly.checks[0]).toMatchObject({
      name: 'containers',
      ok: false,
      services: ['rest'],
    });
    expect(dokployOnly.skipped).toEqual(['database: not configured (no database given)']);

    // a compose Dokploy does not have: a failing part; the gateway is still checked
    const gone = await checkInstanceHealth({
      dokploy: { client: s.client, composeId: 'no-such-compose' },
      api,
      fetch: s.fetch,
    });
    expect(gone.ok).toBe(false);
    expect(gone.checks[0]).toMatchObject({ name: 'dokploy', ok: false });
    expect(gone.parts.dokploy).toEqual({ checked: true, ok: false });
    expect(gone.parts.api).toEqual({ checked: true, ok: true });
  });

  it('a Dokploy compose without URL and keys in its env: the API part is skipped with the reason', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const { environment } = await s.client.project.create({ name: 'bare' });
    const c = await s.client.compose.create({
      name: 'bare',
      environmentId: environment?.environmentId as string,
      composeFile: 'services:\n  web:\n    image: nginx\n',
    });
    const r = await checkInstanceHealth({ dokploy: { client: s.client, composeId: c.composeId } });
    expect(names(r)).toEqual(['containers:false']); // never deployed
    expect(r.parts.api.checked).toBe(false);
    expect(r.skipped).toContainEqual(
      expect.stringMatching(/^api: no api was given and the compose env has no/),
    );
    await expect(checkInstanceHealth({})).rejects.toThrow(SelfhostValidationError);
  });
});
