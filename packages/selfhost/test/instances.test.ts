import { createDokployClient, waitForDeployment } from '@supaops/dokploy-client';
import { startDokploySimulator } from '@supaops/dokploy-simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { listSupabaseInstances, supabaseMarkers } from '../src/index.js';
import { deployWithWizard } from './deployed.js';
import { DOKPLOY_COMPOSE } from './helpers.js';
import { type SimulatedStack, startStack } from './stack.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of cleanup.splice(0)) await stop();
});

const NGINX = 'services:\n  web:\n    image: nginx:1.27\n  db:\n    image: postgres:17\n';

describe('listSupabaseInstances across Dokploy instances (simulators)', () => {
  it('finds the Supabase stacks of two instances with their status, skips other composes, reports an unreachable one', async () => {
    const prod: SimulatedStack = await startStack({ version: '0.30.2' });
    cleanup.push(() => prod.stop());
    const { composeId } = await deployWithWizard(prod);
    // a non-Supabase compose in the same project
    const projects = await prod.client.project.all();
    const environmentId = projects[0]?.environments?.[0]?.environmentId as string;
    await prod.client.compose.create({ name: 'web', environmentId, composeFile: NGINX });

    // an older Dokploy without environments: the template, never deployed
    const lab = await startDokploySimulator({ version: '0.24.4', deployDurationMs: 1 });
    cleanup.push(() => lab.stop());
    const labClient = createDokployClient({
      baseUrl: lab.url,
      apiKey: lab.apiKey,
      logger: { warn: () => {} },
      retry: false,
    });
    const { project } = await labClient.project.create({ name: 'lab' });
    const labCompose = await labClient.compose.deployTemplate({
      projectId: project.projectId,
      id: 'supabase',
    });
    await labClient.compose.deploy({ composeId: labCompose.composeId });
    await waitForDeployment(labClient, {
      composeId: labCompose.composeId,
      intervalMs: 5,
      timeoutMs: 10_000,
    });

    const down = createDokployClient({
      baseUrl: lab.url,
      apiKey: 'not-the-key-at-all',
      logger: { warn: () => {} },
      retry: false,
    });
    const result = await listSupabaseInstances({
      clients: { prod: prod.client, lab: labClient, broken: down },
    });
    expect(result.composesScanned).toBe(3);
    expect(result.instances.map((i) => `${i.instance}/${i.projectName}/${i.status}`)).toEqual([
      'prod/shop/done',
      'lab/lab/done',
    ]);
    const p = result.instances[0];
    expect(p).toMatchObject({
      composeId,
      environmentName: expect.any(String),
      publicUrl: 'https://supabase.acme.dev',
      domains: [{ host: 'supabase.acme.dev', https: true, serviceName: 'kong' }],
      lastDeployment: { status: 'done' },
    });
    expect(p?.markers).toEqual(expect.arrayContaining(['service:kong', 'env:ANON_KEY']));
    expect(result.instances[1]?.environmentName).toBeNull();
    expect(result.errors.map((e) => e.instance)).toEqual(['broken']);
    expect(result.errors[0]?.message).not.toContain('not-the-key-at-all');
    const env = (await prod.client.compose.one({ composeId })).env ?? '';
    const secret = /JWT_SECRET=(\S+)/.exec(env)?.[1] as string;
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('needs two kinds of evidence', () => {
    expect(supabaseMarkers(DOKPLOY_COMPOSE, '')).toEqual(
      expect.arrayContaining(['service:kong', 'image:supabase/gotrue']),
    );
    expect(supabaseMarkers(NGINX, 'ANON_KEY=a\nSERVICE_ROLE_KEY=b\nJWT_SECRET=c\n')).toEqual([]);
    expect(supabaseMarkers('services:\n  db:\n    image: supabase/postgres:15\n', '')).toEqual([]);
    expect(
      supabaseMarkers(
        'services:\n  db:\n    image: supabase/postgres:15\n',
        'ANON_KEY=a\nSERVICE_ROLE_KEY=b\nJWT_SECRET=c\n',
      ),
    ).toEqual([
      'service:db',
      'image:supabase/postgres',
      'env:ANON_KEY',
      'env:SERVICE_ROLE_KEY',
      'env:JWT_SECRET',
    ]);
    expect(supabaseMarkers(DOKPLOY_COMPOSE, 'enc:v1:QUJD')).not.toEqual([]);
  });
});
