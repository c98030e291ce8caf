import { describe, expect, it } from 'vitest';
import {
  createDokployClient,
  DokployDeploymentFailedError,
  deployAndWait,
  waitForDeployment,
} from '../src/index.js';
import { useSimulator } from './helpers.js';

const HEALTH_GATED = `services:
  db:
    image: postgres:17
    healthcheck:
      test: ["CMD", "pg_isready"]
  web:
    image: nginx:1
    depends_on:
      db:
        condition: service_healthy
`;

describe('deploy failures as Dokploy reports them (errorMessage null, reason in the log)', () => {
  const t = useSimulator({ version: '0.30.2' });

  async function freshCompose(file = HEALTH_GATED) {
    const { environment } = await t.client.project.create({
      name: `F${Math.random().toString(36).slice(2, 7)}`,
    });
    return t.client.compose.create({
      name: 'f',
      environmentId: environment?.environmentId ?? '',
      composeFile: file,
    });
  }

  it('an unhealthy service_healthy dependency: the error carries the reason and the log tail', async () => {
    const compose = await freshCompose();
    t.sim.state.unhealthyServices.add('db');
    const err = await deployAndWait(t.client, {
      composeId: compose.composeId,
      intervalMs: 5,
      timeoutMs: 5_000,
    }).catch((e: unknown) => e);
    t.sim.state.unhealthyServices.clear();
    expect(DokployDeploymentFailedError.isInstance(err)).toBe(true);
    const failed = err as DokployDeploymentFailedError;
    expect(failed.message).toMatch(
      /dependency failed to start: container .*-db-1 is unhealthy.*Fix: read the build log/,
    );
    expect(failed.logTail).toMatch(/Error occurred ❌/);
  });

  it('a domain on a service the compose lacks fails the deploy with that reason', async () => {
    const compose = await freshCompose();
    await t.client.domain.create({
      host: 'api.example.test',
      composeId: compose.composeId,
      serviceName: 'kong',
    });
    await expect(
      deployAndWait(t.client, { composeId: compose.composeId, intervalMs: 5, timeoutMs: 5_000 }),
    ).rejects.toThrow(/attached to service "kong" which does not exist/);
  });

  it('a Dokploy restart cancels the running deployment: the error says why', async () => {
    const compose = await freshCompose();
    t.sim.setDeployDurationMs(60_000);
    const pending = deployAndWait(t.client, {
      composeId: compose.composeId,
      intervalMs: 5,
      timeoutMs: 5_000,
      onProgress: (p) => {
        if (p.phase === 'running') t.sim.restart();
      },
    }).catch((e: unknown) => e);
    const err = await pending;
    t.sim.setDeployDurationMs(20);
    expect(err).toMatchObject({ status: 'cancelled' });
    expect((err as Error).message).toMatch(
      /cancels the deployments that were running when it restarts/,
    );
  });

  it('before v0.29.5 there is no REST log to read: the message points at the UI', async () => {
    t.sim.setVersion('0.29.4');
    try {
      const compose = await freshCompose();
      const old = createDokployClient({ baseUrl: t.sim.url, apiKey: t.sim.apiKey });
      t.sim.setFaults({ deployFailures: 1 });
      const err = await deployAndWait(old, {
        composeId: compose.composeId,
        intervalMs: 5,
        timeoutMs: 5_000,
      }).catch((e: unknown) => e);
      expect((err as Error).message).toMatch(
        /in the Dokploy UI \(deployment\.readLogs needs v0\.29\.5\+\)/,
      );
      expect((err as DokployDeploymentFailedError).logTail).toBeUndefined();
    } finally {
      t.sim.setVersion('0.30.2');
    }
  });

  it('a deployment that never shows up times out with the queue explained', async () => {
    const compose = await freshCompose();
    const err = await waitForDeployment(t.client, {
      composeId: compose.composeId,
      knownDeploymentIds: [],
      intervalMs: 5,
      timeoutMs: 20,
    }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/one deployment per server at a time/);
  });
});
