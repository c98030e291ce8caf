import { describe, expect, it } from 'vitest';
import {
  createDokployClient,
  createDokployRegistry,
  type DeploymentProgress,
  DokployAbortError,
  DokployConfigError,
  DokployDeploymentFailedError,
  DokployInputError,
  DokployTimeoutError,
  deployAndWait,
  streamContainerLogs,
  waitForDeployment,
} from '../src/index.js';
import { COMPOSE_FILE, useSimulator } from './helpers.js';

describe('waitForDeployment', () => {
  const t = useSimulator({ version: '0.30.2', deployDurationMs: 60 });

  async function freshCompose(file = COMPOSE_FILE) {
    const { environment } = await t.client.project.create({
      name: `W${Math.random().toString(36).slice(2, 8)}`,
    });
    return t.client.compose.create({
      name: 'w',
      environmentId: environment?.environmentId ?? '',
      composeFile: file,
    });
  }

  it('reports progress running → done and returns the new deployment', async () => {
    const compose = await freshCompose();
    const first = await deployAndWait(t.client, {
      composeId: compose.composeId,
      intervalMs: 10,
      timeoutMs: 5_000,
    });
    const progress: DeploymentProgress[] = [];
    const since = new Date();
    t.sim.setDeployDurationMs(600_000); // stays running until the first poll has seen it
    await t.client.compose.deploy({ composeId: compose.composeId });
    t.sim.setDeployDurationMs(60);
    const done = await waitForDeployment(t.client, {
      composeId: compose.composeId,
      since,
      intervalMs: 10,
      timeoutMs: 5_000,
      onProgress: (p) => {
        progress.push(p);
        if (p.polls === 1) t.sim.completeDeployments();
      },
    });
    expect(done.deploymentId).not.toBe(first.deployment.deploymentId);
    expect(done.status).toBe('done');
    expect(progress[0]?.phase).toBe('running');
    expect(progress.at(-1)?.phase).toBe('done');
    expect(progress.map((p) => p.polls)).toEqual(progress.map((_, i) => i + 1));
  });

  it('waits for a deployment that is not there yet', async () => {
    const compose = await freshCompose();
    const progress: string[] = [];
    const pending = waitForDeployment(t.client, {
      composeId: compose.composeId,
      knownDeploymentIds: [],
      intervalMs: 10,
      timeoutMs: 5_000,
      onProgress: (p) => {
        progress.push(p.phase);
        // deploy only once the helper has seen that nothing is there yet
        if (p.polls === 1) void t.client.compose.deploy({ composeId: compose.composeId });
      },
    });
    expect((await pending).status).toBe('done');
    expect(progress[0]).toBe('waiting');
  });

  it('a failed deployment throws DokployDeploymentFailedError with the server message and a log hint', async () => {
    const compose = await freshCompose();
    t.sim.setFaults({ deployFailures: 1 });
    const err = await deployAndWait(t.client, {
      composeId: compose.composeId,
      intervalMs: 10,
      timeoutMs: 5_000,
    }).catch((e: unknown) => e);
    expect(DokployDeploymentFailedError.isInstance(err)).toBe(true);
    expect(err).toMatchObject({ status: 'error' });
    expect((err as Error).message).toMatch(/Simulated deployment failure.*deployment\.readLogs/);
    // the compose reflects it
    expect((await t.client.compose.one({ composeId: compose.composeId })).composeStatus).toBe(
      'error',
    );
  });

  it('an empty compose file fails to deploy', async () => {
    const compose = await freshCompose('');
    await expect(
      deployAndWait(t.client, { composeId: compose.composeId, intervalMs: 10, timeoutMs: 5_000 }),
    ).rejects.toMatchObject({
      code: 'DOKPLOY_DEPLOYMENT_FAILED',
    });
  });

  it('times out with the last status', async () => {
    const compose = await freshCompose();
    t.sim.setDeployDurationMs(600_000);
    const err = await deployAndWait(t.client, {
      composeId: compose.composeId,
      intervalMs: 10,
      timeoutMs: 30,
    }).catch((e: unknown) => e);
    expect(DokployTimeoutError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(/last status "running"/);
    const none = await waitForDeployment(t.client, {
      composeId: compose.composeId,
      knownDeploymentIds: (
        await t.client.deployment.allByCompose({ composeId: compose.composeId })
      ).map((d) => d.deploymentId),
      intervalMs: 10,
      timeoutMs: 25,
    }).catch((e: unknown) => e);
    expect((none as Error).message).toMatch(/no new deployment appeared/);
    t.sim.completeDeployments();
    t.sim.setDeployDurationMs(60);
  });

  it('can be aborted, and validates its options', async () => {
    const compose = await freshCompose();
    const controller = new AbortController();
    const pending = waitForDeployment(t.client, {
      composeId: compose.composeId,
      knownDeploymentIds: ['x'],
      intervalMs: 1_000,
      timeoutMs: 60_000,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 30);
    expect(DokployAbortError.isInstance(await pending)).toBe(true);
    await expect(waitForDeployment(t.client, { composeId: '' })).rejects.toBeInstanceOf(
      DokployInputError,
    );
    await expect(
      waitForDeployment(t.client, { composeId: 'c', intervalMs: -1 }),
    ).rejects.toBeInstanceOf(DokployInputError);
  });
});

describe('streamContainerLogs over /docker-container-logs', () => {
  const t = useSimulator({ version: '0.24.4', logFollowIntervalMs: 10 });

  async function deployedContainer() {
    const { project } = await t.client.project.create({ name: 'Logs' });
    const compose = await t.client.compose.create({
      name: 'l',
      projectId: project.projectId,
      composeFile: COMPOSE_FILE,
    });
    await deployAndWait(t.client, {
      composeId: compose.composeId,
      intervalMs: 5,
      timeoutMs: 5_000,
    });
    const [container] = await t.client.docker.getContainersByAppNameMatch({
      appName: compose.appName,
      appType: 'docker-compose',
    });
    return container?.containerId ?? '';
  }

  it('streams history and follow lines (works before v0.29), then closes', async () => {
    const containerId = await deployedContainer();
    const lines: string[] = [];
    let resolveEnough: () => void = () => {};
    const enough = new Promise<void>((r) => {
      resolveEnough = r;
    });
    const stream = await streamContainerLogs(t.client, {
      containerId,
      tail: 10,
      onLine: (l) => {
        lines.push(l);
        if (lines.some((x) => x.includes('heartbeat 2'))) resolveEnough();
      },
    });
    await enough;
    stream.close();
    const closed = await stream.closed;
    expect(closed.code).toBe(1000);
    expect(closed.error).toBeUndefined();
    expect(lines[0]).toMatch(/db \| starting$/);
    expect(lines.some((l) => l.includes('heartbeat 1'))).toBe(true);
  });

  // Dokploy does not close 4000 for an unknown container, nor 4003 for a bad key (fidelity audit):
  // the daemon error arrives and the socket stays open; a bad key is a bare close() (1005)
  it('an unknown container ends with a typed error; a bad key closes without a code; 4003 is a key without docker:read', async () => {
    const closedBad = await (
      await streamContainerLogs(t.client, { containerId: 'nope', onLine: () => {} })
    ).closed;
    expect(closedBad.error?.code).toBe('DOKPLOY_STREAM');
    expect(closedBad.error?.kind).toBe('not-found');
    const intruder = createDokployClient({ baseUrl: t.sim.url, apiKey: 'wrong-key-0123456789' });
    const closedAuth = await (
      await streamContainerLogs(intruder, { containerId: 'nope', onLine: () => {} })
    ).closed;
    expect(closedAuth.code).toBe(1005);
    expect(closedAuth.error?.kind).toBe('unauthenticated');
    const member = createDokployClient({
      baseUrl: t.sim.url,
      apiKey: t.sim.addApiKey({ role: 'member', permissions: ['service:read'] }),
    });
    const closedForbidden = await (
      await streamContainerLogs(member, { containerId: 'nope', onLine: () => {} })
    ).closed;
    expect(closedForbidden.code).toBe(4003);
    expect(closedForbidden.error?.message).toMatch(/not authorized/);
  });

  it('aborting the signal closes the stream; bad options and unreachable hosts are typed', async () => {
    const containerId = await deployedContainer();
    const controller = new AbortController();
    const stream = await streamContainerLogs(t.client, {
      containerId,
      onLine: () => {},
      signal: controller.signal,
      search: 'heartbeat',
      since: '10m',
      serverId: 's',
      runType: 'native',
    });
    controller.abort();
    expect((await stream.closed).code).toBe(1000);
    await expect(
      streamContainerLogs(t.client, { containerId: 'bad id!', onLine: () => {} }),
    ).rejects.toBeInstanceOf(DokployInputError);
    const offline = createDokployClient({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'k_offline_0123456789',
    });
    await expect(
      streamContainerLogs(offline, { containerId: 'x', onLine: () => {}, connectTimeoutMs: 2_000 }),
    ).rejects.toMatchObject({ code: 'DOKPLOY_STREAM' });
    const wrongPath = createDokployClient({ baseUrl: `${t.sim.url}/prefix`, apiKey: t.sim.apiKey });
    await expect(
      streamContainerLogs(wrongPath, { containerId: 'x', onLine: () => {} }),
    ).rejects.toMatchObject({ code: 'DOKPLOY_STREAM' });
  });
});

describe('DokployRegistry: several instances by name', () => {
  const prod = useSimulator({ version: '0.30.2' });
  const legacy = useSimulator({ version: '0.24.4' });

  it('reaches each instance by name with its own version', async () => {
    const registry = createDokployRegistry({
      prod: { baseUrl: prod.sim.url, apiKey: prod.sim.apiKey },
      legacy: { baseUrl: legacy.sim.url, apiKey: legacy.sim.apiKey },
    });
    expect(registry.names()).toEqual(['prod', 'legacy']);
    expect(registry.size).toBe(2);
    const [a, b] = await Promise.all([
      registry.get('prod').getVersion(),
      registry.get('legacy').getVersion(),
    ]);
    expect([a.raw, b.raw]).toEqual(['v0.30.2', 'v0.24.4']);
    expect(registry.get('prod').name).toBe('prod');
    const created = await registry.get('legacy').project.create({ name: 'only-legacy' });
    expect(created.environment).toBeNull();
    expect((await registry.get('prod').project.all()).some((p) => p.name === 'only-legacy')).toBe(
      false,
    );
  });

  it('add, replace, remove, has and typed errors', () => {
    const registry = createDokployRegistry();
    const client = createDokployClient({
      baseUrl: prod.sim.url,
      apiKey: prod.sim.apiKey,
      name: 'x',
    });
    expect(registry.add('one', client)).toBe(client);
    expect(() => registry.add('one', client)).toThrow(DokployConfigError);
    expect(registry.replace('one', { baseUrl: prod.sim.url, apiKey: prod.sim.apiKey })).not.toBe(
      client,
    );
    expect(registry.has('one')).toBe(true);
    const err = (() => {
      try {
        registry.get('two');
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(DokployConfigError.isInstance(err)).toBe(true);
    expect(err?.message).toMatch(/Known: one/);
    expect(() => registry.add('bad name!', client)).toThrow(/invalid/);
    expect(registry.remove('one')).toBe(true);
    expect(() => registry.get('one')).toThrow(/Known: \(none\)/);
  });
});

describe('helpers refuse what is not a client', () => {
  it('waitForDeployment, deployAndWait and streamContainerLogs', async () => {
    const notAClient = {} as never;
    await expect(waitForDeployment(notAClient, { composeId: 'c' })).rejects.toBeInstanceOf(
      DokployInputError,
    );
    await expect(deployAndWait(notAClient, { composeId: 'c' })).rejects.toBeInstanceOf(
      DokployInputError,
    );
    await expect(
      streamContainerLogs(notAClient, { containerId: 'c', onLine: () => {} }),
    ).rejects.toBeInstanceOf(DokployInputError);
    const client = createDokployClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k_0123456789' });
    await expect(
      deployAndWait(client, { composeId: 'c', redeploy: 'yes' } as never),
    ).rejects.toThrow(/redeploy/);
  });
});
