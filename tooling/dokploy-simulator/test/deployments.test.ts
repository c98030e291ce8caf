import { afterEach, describe, expect, it } from 'vitest';
import { type DokploySimulator, startDokploySimulator } from '../src/index.js';
import { call, containersOf, deployAndSettle, newCompose, ok } from './http.js';

let sim: DokploySimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});
async function start(version: string, deployDurationMs = 1) {
  sim = await startDokploySimulator({ version, deployDurationMs });
  return sim;
}
const deployments = (s: DokploySimulator, composeId: string) =>
  ok(call(s, 'GET', 'deployment.allByCompose', { composeId }));
const tick = () => new Promise((r) => setImmediate(r));

describe('the deployment queue', () => {
  it('runs one deployment per server at a time; a queued one has no row until its job starts', async () => {
    const s = await start('0.30.2', 60_000);
    const first = await newCompose(s, undefined, 'A');
    const second = await newCompose(s, undefined, 'B');
    await ok(call(s, 'POST', 'compose.deploy', { composeId: first.composeId }));
    await ok(call(s, 'POST', 'compose.deploy', { composeId: second.composeId }));
    await tick();
    expect(
      (await deployments(s, first.composeId)).map((d: { status: string }) => d.status),
    ).toEqual(['running']);
    expect(await deployments(s, second.composeId)).toEqual([]);
    expect(
      (await ok(call(s, 'GET', 'compose.one', { composeId: second.composeId }))).composeStatus,
    ).toBe('idle');
    s.setDeployDurationMs(60_000);
    s.completeDeployments();
    expect((await deployments(s, first.composeId))[0].status).toBe('done');
    expect((await deployments(s, second.composeId))[0].status).toBe('done');
  });

  it('a Dokploy restart cancels running deployments and, from v0.29.9, drops the queued ones', async () => {
    const s = await start('0.29.9', 60_000);
    const a = await newCompose(s, undefined, 'A');
    const b = await newCompose(s, undefined, 'B');
    await ok(call(s, 'POST', 'compose.deploy', { composeId: a.composeId }));
    await ok(call(s, 'POST', 'compose.deploy', { composeId: b.composeId }));
    await tick();
    s.restart();
    expect((await deployments(s, a.composeId))[0]).toMatchObject({
      status: 'cancelled',
      errorMessage: null,
    });
    s.completeDeployments();
    expect(await deployments(s, b.composeId)).toEqual([]);
  });

  it('before v0.29.9 (BullMQ) queued jobs survive a restart', async () => {
    const s = await start('0.29.8', 60_000);
    const a = await newCompose(s, undefined, 'A');
    const b = await newCompose(s, undefined, 'B');
    await ok(call(s, 'POST', 'compose.deploy', { composeId: a.composeId }));
    await ok(call(s, 'POST', 'compose.deploy', { composeId: b.composeId }));
    await tick();
    s.restart();
    await tick();
    expect((await deployments(s, a.composeId))[0].status).toBe('cancelled');
    expect((await deployments(s, b.composeId))[0].status).toBe('running');
    s.completeDeployments();
    expect((await deployments(s, b.composeId))[0].status).toBe('done');
  });

  it('a service_healthy dependency that is unhealthy fails the deploy; errorMessage stays null', async () => {
    const s = await start('0.30.2');
    const file =
      'services:\n  db:\n    image: pg\n    healthcheck:\n      test: x\n  web:\n    image: nginx\n    depends_on:\n      db:\n        condition: service_healthy\n';
    const { composeId, appName } = await newCompose(s, file);
    s.state.unhealthyServices.add('db');
    const failed = await deployAndSettle(s, composeId);
    expect(failed).toMatchObject({ status: 'error', errorMessage: null });
    const log = await ok(
      call(s, 'GET', 'deployment.readLogs', { deploymentId: failed.deploymentId }),
    );
    expect(log).toContain(`dependency failed to start: container ${appName}-db-1 is unhealthy`);
    expect(log.endsWith('Error occurred ❌, check the logs for details.')).toBe(true);
    const states = Object.fromEntries(
      (await containersOf(s, appName)).map((c: { name: string; state: string }) => [
        c.name,
        c.state,
      ]),
    );
    expect(states).toEqual({ [`${appName}-db-1`]: 'running', [`${appName}-web-1`]: 'created' });
    expect((await ok(call(s, 'GET', 'compose.one', { composeId }))).composeStatus).toBe('error');
    s.state.unhealthyServices.clear();
    expect((await deployAndSettle(s, composeId)).status).toBe('done');
  });

  it('a service_healthy dependency without a healthcheck fails too', async () => {
    const s = await start('0.30.2');
    const file =
      'services:\n  cache:\n    image: redis\n  web:\n    image: nginx\n    depends_on:\n      cache:\n        condition: service_healthy\n';
    const { composeId, appName } = await newCompose(s, file);
    const failed = await deployAndSettle(s, composeId);
    const log = await ok(
      call(s, 'GET', 'deployment.readLogs', { deploymentId: failed.deploymentId }),
    );
    expect(log).toContain(`container ${appName}-cache-1 has no healthcheck configured`);
  });

  it('a domain whose service is not in the compose, or has none, fails the deploy', async () => {
    const s = await start('0.30.2');
    const { composeId } = await newCompose(s);
    const domain = await ok(
      call(s, 'POST', 'domain.create', {
        host: 'k.example.test',
        composeId,
        serviceName: 'kong',
        port: 8000,
      }),
    );
    const failed = await deployAndSettle(s, composeId);
    expect(failed).toMatchObject({ status: 'error', errorMessage: null });
    expect(
      await ok(call(s, 'GET', 'deployment.readLogs', { deploymentId: failed.deploymentId })),
    ).toContain(
      'Domain "k.example.test" is attached to service "kong" which does not exist in the compose',
    );
    await ok(
      call(s, 'POST', 'domain.update', {
        domainId: domain.domainId,
        host: 'k.example.test',
        serviceName: null,
      }),
    );
    const again = await deployAndSettle(s, composeId);
    expect(
      await ok(call(s, 'GET', 'deployment.readLogs', { deploymentId: again.deploymentId })),
    ).toContain('Domain "k.example.test" is missing a service name');
  });

  it('deploy answers: empty through v0.25.6, {success, message} from v0.25.7, + composeId from v0.26.4', async () => {
    const s = await start('0.25.6');
    const { composeId } = await newCompose(s);
    const answer = async () => (await call(s, 'POST', 'compose.deploy', { composeId })).body;
    expect(await answer()).toBeUndefined();
    s.setVersion('0.25.7');
    expect(await answer()).toEqual({ success: true, message: 'Deployment queued' });
    s.setVersion('0.26.3');
    expect(await answer()).toEqual({ success: true, message: 'Deployment queued' });
    s.setVersion('0.26.4');
    expect(await answer()).toEqual({ success: true, message: 'Deployment queued', composeId });
    expect((await call(s, 'POST', 'compose.redeploy', { composeId })).body).toEqual({
      success: true,
      message: 'Redeployment queued',
      composeId,
    });
    s.completeDeployments();
  });

  it('compose.one lists deployments in insertion order, deployment.allByCompose newest first', async () => {
    const s = await start('0.30.2');
    const { composeId } = await newCompose(s);
    await deployAndSettle(s, composeId);
    await deployAndSettle(s, composeId);
    const listed = (await deployments(s, composeId)).map(
      (d: { deploymentId: string }) => d.deploymentId,
    );
    const one = (await ok(call(s, 'GET', 'compose.one', { composeId }))).deployments.map(
      (d: { deploymentId: string }) => d.deploymentId,
    );
    expect(one).toEqual([...listed].reverse());
  });

  it('compose.delete stops its containers, drops its queued jobs and removes the file on disk', async () => {
    const s = await start('0.30.2', 60_000);
    const a = await newCompose(s, undefined, 'A');
    const b = await newCompose(s, undefined, 'B');
    s.setDeployDurationMs(1);
    await deployAndSettle(s, b.composeId);
    s.setDeployDurationMs(60_000);
    await ok(call(s, 'POST', 'compose.deploy', { composeId: a.composeId }));
    await ok(call(s, 'POST', 'compose.deploy', { composeId: b.composeId }));
    await tick();
    await ok(call(s, 'POST', 'compose.delete', { composeId: b.composeId, deleteVolumes: false }));
    expect(await containersOf(s, b.appName)).toEqual([]);
    expect(s.state.composeFilesOnDisk.has(b.composeId)).toBe(false);
    s.completeDeployments();
    expect([...s.state.deployments.values()].filter((d) => d.composeId === b.composeId)).toEqual(
      [],
    );
  });
});
