import { join } from 'node:path';
import type { DokployClient } from '@supaops/dokploy-client';
import { parseEnv, toEnvRecord } from '@supaops/selfhost';
import { generateLegacyApiKeys } from '@supaops/supabase-jwt';
import { createTestDatabase, type TestDatabase } from '@supaops/testkit';
import { testServer } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoSecrets, failed, inProcess, ok, spawnStdio } from './helpers/clients.js';
import {
  deployThroughServer,
  envSecrets,
  SMTP_PASS,
  simClient,
  writeConfig,
} from './helpers/deployed.js';
import { removeHome, tempHome } from './helpers/fixture.js';
import { type Stack, startStack } from './helpers/stack.js';

/**
 * get_health over stdio (the built server) on any configured instance: a plain database (the
 * test kit's PostgreSQL), a Dokploy instance (the compose in the simulator, its API at the
 * gateway simulator the deploy started, its database), an API whose anon key is signed with
 * another secret (the gateway refuses it as Kong and GoTrue would), and an unset key reference.
 */
let stack: Stack;
let client: DokployClient;
let root: string;
let project: string;
let env: NodeJS.ProcessEnv;
let db: TestDatabase;
let secrets: string[];

interface Health {
  instance: string;
  ok: boolean;
  report: {
    checks: { name: string; ok: boolean; reason?: string }[];
    parts: Record<string, { checked: boolean; ok?: boolean }>;
    skipped: string[];
  };
}

const names = (h: Health) => h.report.checks.map((c) => `${c.name}:${c.ok}`);

beforeAll(async () => {
  stack = await startStack({ version: '0.30.2' });
  client = simClient(stack);
  const home = await tempHome();
  root = home.root;
  db = await createTestDatabase(testServer(), 'mcp_health');
  env = { ...home.env, T_DOKPLOY_KEY: stack.sim.apiKey, T_DB_PW: db.password };
  const deployed = await deployThroughServer(stack, {
    client,
    root,
    env,
    project: 'shop',
    host: 'supabase.acme.dev',
  });
  const e = toEnvRecord(parseEnv(deployed.env));
  const gateway = stack.gateways.get(deployed.composeId);
  if (!gateway) throw new Error('the deploy started no gateway');
  const wrong = await generateLegacyApiKeys({ secret: 'another-jwt-secret-of-32-characters!!' });
  Object.assign(env, {
    T_ANON: e.ANON_KEY,
    T_SERVICE: e.SERVICE_ROLE_KEY,
    T_WRONG_ANON: wrong.ANON_KEY,
    T_GATEWAY_URL: gateway.url,
  });
  secrets = [stack.sim.apiKey, SMTP_PASS, db.password, ...envSecrets(deployed.env)];
  const database = {
    session: `postgres://${new URL(db.adminUrl).username}@${db.host}:${db.port}/${db.name}`,
    password: 'env:T_DB_PW',
  };
  const api = (anonKey: string) => ({
    url: gateway.url,
    anonKey,
    serviceRoleKey: 'env:T_SERVICE',
  });
  project = join(root, 'project');
  await writeConfig(
    project,
    {
      db: { kind: 'self-hosted', database },
      shop: {
        kind: 'dokploy',
        dokploy: { server: 'sim', composeId: deployed.composeId },
        api: api('env:T_ANON'),
        database,
      },
      broken: { kind: 'self-hosted', api: api('env:T_WRONG_ANON') },
      unset: { kind: 'self-hosted', api: api('env:T_NOT_SET') },
      bare: { kind: 'self-hosted', description: 'no part configured' },
      nokey: { kind: 'self-hosted', api: { url: gateway.url }, database },
      // the keys under the sb_ names: get_health hands them to selfhost as those
      newnames: {
        kind: 'self-hosted',
        api: { url: gateway.url, publishableKey: 'env:T_ANON', secretKey: 'env:T_SERVICE' },
      },
    },
    { sim: { url: stack.sim.url, apiKey: 'env:T_DOKPLOY_KEY' } },
  );
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await db?.drop().catch(() => {});
  if (root) await removeHome(root);
});

describe('get_health over stdio', () => {
  it('a plain database, a Dokploy instance with its API and database, a broken key, an unset reference', async () => {
    const server = await spawnStdio({ env, cwd: project, secrets });
    try {
      const plain = ok<Health>(await server.call('get_health', { instance: 'db' }));
      expect(plain).toMatchObject({ instance: 'db', ok: true });
      expect(names(plain)).toEqual(['connections:true']);
      expect(plain.report.parts).toMatchObject({
        database: { checked: true, ok: true },
        dokploy: { checked: false },
        api: { checked: false },
      });

      const shop = ok<Health>(await server.call('get_health', { instance: 'shop' }));
      expect(shop.ok).toBe(true);
      expect(names(shop)).toEqual([
        'containers:true',
        'auth-health:true',
        'rest-anon:true',
        'rest-service:true',
        'rest-privileges-differ:true',
        'auth-admin:true',
        'storage-buckets:true',
        'connections:true',
      ]);
      expect(shop.report.parts).toEqual({
        dokploy: { checked: true, ok: true },
        api: { checked: true, ok: true },
        database: { checked: true, ok: true },
      });

      // an anon key signed with another secret: the gateway refuses it
      const broken = ok<Health>(await server.call('get_health', { instance: 'broken' }));
      expect(broken.ok).toBe(false);
      expect(broken.report.parts.api).toEqual({ checked: true, ok: false });
      const refused = broken.report.checks.filter((c) => !c.ok).map((c) => c.name);
      expect(refused).toEqual(expect.arrayContaining(['rest-anon']));
      expect(broken.report.checks.find((c) => c.name === 'rest-service')?.ok).toBe(true);

      const newnames = ok<Health>(await server.call('get_health', { instance: 'newnames' }));
      expect(newnames.ok).toBe(true);
      expect(names(newnames)).toEqual([
        'auth-health:true',
        'rest-anon:true',
        'rest-service:true',
        'rest-privileges-differ:true',
        'auth-admin:true',
        'storage-buckets:true',
      ]);

      const unset = failed(await server.call('get_health', { instance: 'unset' }));
      expect(unset.code).toBe('SECRET_REFERENCE_UNRESOLVED');
      expect(unset.message).toContain('T_NOT_SET');
      const bare = failed(await server.call('get_health', { instance: 'bare' }));
      expect(bare.code).toBe('MCP_INSTANCE_UNSUPPORTED');
      expect(bare.message).toMatch(
        /Fix: add database\.session, api \{ url, anonKey \} or a dokploy/,
      );
      assertNoSecrets(server.stderr(), secrets, 'server stderr');
    } finally {
      await server.close();
    }
  });
});

describe('get_health and dokploy_monitor_health in process (one code path)', () => {
  it('the Dokploy part is the same report in both tools; a key part without a key is a note', async () => {
    // Traefik for the env's own https://supabase.acme.dev, loopback URLs as they are
    const httpFetch: typeof fetch = (input, init) =>
      new URL(String(input instanceof Request ? input.url : input)).hostname === '127.0.0.1'
        ? fetch(input, init)
        : stack.fetch(input, init);
    const server = await inProcess({
      cwd: project,
      env,
      sandbox: false,
      secrets,
      selfhost: { httpFetch },
    });
    try {
      const viaHealth = ok<Health>(await server.call('get_health', { instance: 'shop' }));
      const viaMonitor = ok<Health>(
        await server.call('dokploy_monitor_health', { instance: 'shop' }),
      );
      // the monitor checks the env's keys against the env's URL, get_health the config's keys
      // against api.url: the same deployment, the same checks
      expect(viaMonitor.ok).toBe(true);
      expect(names(viaMonitor)).toEqual(names(viaHealth));
      expect(viaMonitor.report.parts).toEqual(viaHealth.report.parts);
      const broken = ok<Health>(await server.call('get_health', { instance: 'broken' }));
      expect(broken.ok).toBe(false);
      const nokey = ok<Health & { report: { notes: string[] } }>(
        await server.call('get_health', { instance: 'nokey' }),
      );
      expect(names(nokey)).toEqual(['connections:true']);
      expect(nokey.report.notes).toEqual([
        `api: ${env.T_GATEWAY_URL} was not checked: add api.anonKey (and api.serviceRoleKey), or api.publishableKey (and api.secretKey), to the instance`,
      ]);
    } finally {
      await server.close();
    }
  });
});
