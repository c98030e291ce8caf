import { describe, expect, it } from 'vitest';
import { DokployNotFoundError } from '../src/index.js';
import { COMPOSE_FILE, useSimulator } from './helpers.js';

describe('2xx answers that mean "not found"', () => {
  const t = useSimulator({ version: '0.30.2' });

  it('compose.update on an unknown id (200, empty body) is a DokployNotFoundError for the compose', async () => {
    const err = await t.client.compose
      .update({ composeId: 'gone', env: 'A=1' })
      .catch((e: unknown) => e);
    expect(DokployNotFoundError.isInstance(err)).toBe(true);
    expect(err).toMatchObject({ status: 200, resource: 'compose', resourceId: 'gone' });
    expect((err as Error).message).toMatch(/nothing was changed/);
  });

  it('readLogs text that merely mentions the daemon error is still returned as logs', async () => {
    const { project } = await t.client.project.create({ name: 'Logs' });
    const compose = await t.client.compose.create({
      name: 'l',
      projectId: project.projectId,
      composeFile: COMPOSE_FILE,
    });
    await t.client.compose.deploy({ composeId: compose.composeId });
    t.sim.completeDeployments();
    const [db] = await t.client.docker.getContainersByAppNameMatch({
      appName: compose.appName,
      appType: 'docker-compose',
    });
    const container = t.sim.state.containers.get(db?.containerId ?? '');
    container?.logs.push(
      '2026-01-01T00:00:00Z db | Error response from daemon: No such container: x',
    );
    expect(
      await t.client.compose.readLogs({
        composeId: compose.composeId,
        containerId: db?.containerId ?? '',
      }),
    ).toMatch(/db \| Error response from daemon/);
  });
});
