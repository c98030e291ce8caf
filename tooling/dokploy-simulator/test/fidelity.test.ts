import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type DokploySimulator, startDokploySimulator } from '../src/index.js';
import { call, containersOf, deployAndSettle, newCompose, ok } from './http.js';

/**
 * One test per row the fidelity audit (shared/reference/dokploy-fidelity.md) marks
 * "breaks real use", on the versions where each applies.
 */

let sim: DokploySimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});
async function start(version: string): Promise<DokploySimulator> {
  sim = await startDokploySimulator({ version, deployDurationMs: 1, logFollowIntervalMs: 10 });
  return sim;
}

describe('audit rows that break real use', () => {
  it('permission failures are 401 with code UNAUTHORIZED and a message; a bad key is 401 without a code', async () => {
    const s = await start('0.30.2');
    const { composeId } = await newCompose(s);
    const member = s.addApiKey({ role: 'member', permissions: ['service:read', 'service:create'] });
    const denied = await call(
      s,
      'POST',
      'compose.saveEnvironment',
      { composeId, env: 'A=1' },
      { key: member },
    );
    expect(denied.status).toBe(401);
    expect(denied.body).toEqual({
      message: 'You are not allowed to access resource: envVars',
      code: 'UNAUTHORIZED',
    });
    expect((await call(s, 'GET', 'compose.one', { composeId }, { key: member })).status).toBe(200);
    const wrong = await call(s, 'GET', 'compose.one', { composeId }, { key: 'not-a-key-0123' });
    expect(wrong).toMatchObject({ status: 401, body: { message: 'Unauthorized' } });
    expect((wrong.body as { code?: string }).code).toBeUndefined();
  });

  it.each(['0.25.5', '0.28.8', '0.30.2'])(
    'project.remove on %s deletes the rows and leaves the containers running (orphaned)',
    async (version) => {
      const s = await start(version);
      const { projectId, composeId, appName } = await newCompose(s);
      await deployAndSettle(s, composeId);
      await ok(call(s, 'POST', 'project.remove', { projectId }));
      expect((await call(s, 'GET', 'compose.one', { composeId })).status).toBe(404);
      const left = await containersOf(s, appName);
      expect(left).toHaveLength(2);
      expect(left.every((c: { state: string }) => c.state === 'running')).toBe(true);
    },
  );

  it.each([
    ['0.28.2', 404],
    ['0.28.3', 200],
  ])('project.search on %s answers %i', async (version, status) => {
    const s = await start(version);
    expect((await call(s, 'GET', 'project.search', { q: 'x' })).status).toBe(status);
  });

  it('environment.remove from 0.28.0 refuses an environment with services', async () => {
    const s = await start('0.28.0');
    const { projectId } = await newCompose(s);
    const stage = await ok(call(s, 'POST', 'environment.create', { name: 'stage', projectId }));
    await ok(
      call(s, 'POST', 'compose.create', { name: 'in-stage', environmentId: stage.environmentId }),
    );
    expect(
      await call(s, 'POST', 'environment.remove', { environmentId: stage.environmentId }),
    ).toMatchObject({
      status: 400,
      body: {
        code: 'BAD_REQUEST',
        message: 'Cannot delete environment: it has active services. Delete all services first.',
      },
    });
  });

  it('environment.remove before 0.28.0 deletes the rows and orphans the containers', async () => {
    const s = await start('0.27.1');
    const created = await ok(call(s, 'POST', 'project.create', { name: 'P' }));
    const stage = await ok(
      call(s, 'POST', 'environment.create', {
        name: 'stage',
        projectId: created.project.projectId,
      }),
    );
    const compose = await ok(
      call(s, 'POST', 'compose.create', {
        name: 'c',
        environmentId: stage.environmentId,
        composeFile: 'services:\n  web:\n    image: nginx\n',
      }),
    );
    await ok(
      call(s, 'POST', 'compose.update', { composeId: compose.composeId, sourceType: 'raw' }),
    );
    await deployAndSettle(s, compose.composeId);
    await ok(call(s, 'POST', 'environment.remove', { environmentId: stage.environmentId }));
    expect((await call(s, 'GET', 'compose.one', { composeId: compose.composeId })).status).toBe(
      404,
    );
    expect(await containersOf(s, compose.appName)).toHaveLength(1);
  });

  it('environment.duplicate copies name, description and env only: no services', async () => {
    const s = await start('0.30.2');
    const { environmentId } = await newCompose(s);
    const copy = await ok(
      call(s, 'POST', 'environment.duplicate', { environmentId, name: 'copy' }),
    );
    const one = await ok(call(s, 'GET', 'environment.one', { environmentId: copy.environmentId }));
    expect(one.compose).toEqual([]);
  });

  it.each([
    ['0.28.8', 404],
    ['0.29.0', 200],
  ])('compose.saveEnvironment on %s answers %i', async (version, status) => {
    const s = await start(version);
    const { composeId } = await newCompose(s);
    expect(
      (await call(s, 'POST', 'compose.saveEnvironment', { composeId, env: 'A=1' })).status,
    ).toBe(status);
  });

  it('compose.loadServices reads the file on disk: cache misses before the first deploy and goes stale after an update; fetch sees the current file', async () => {
    const s = await start('0.30.2');
    const { composeId } = await newCompose(s);
    expect(await call(s, 'GET', 'compose.loadServices', { composeId })).toMatchObject({
      status: 404,
      body: { message: 'Services not found' },
    });
    expect(await ok(call(s, 'GET', 'compose.loadServices', { composeId, type: 'fetch' }))).toEqual([
      'db',
      'web',
    ]);
    await ok(
      call(s, 'POST', 'compose.update', {
        composeId,
        composeFile: 'services:\n  api:\n    image: x\n',
      }),
    );
    expect(await ok(call(s, 'GET', 'compose.loadServices', { composeId, type: 'cache' }))).toEqual([
      'db',
      'web',
    ]);
    expect(await ok(call(s, 'GET', 'compose.loadServices', { composeId, type: 'fetch' }))).toEqual([
      'api',
    ]);
  });

  it('compose.readLogs on an unknown container answers 200 with the daemon error as text', async () => {
    const s = await start('0.29.0');
    const { composeId } = await newCompose(s);
    const answer = await call(s, 'GET', 'compose.readLogs', { composeId, containerId: 'gone123' });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('Error response from daemon: No such container: gone123');
  });

  it('domain.validateDomain without serverIp answers valid whenever the name resolves', async () => {
    const s = await start('0.30.2');
    s.state.dns.set('elsewhere.example.test', '10.9.9.9');
    expect(
      await ok(call(s, 'POST', 'domain.validateDomain', { domain: 'elsewhere.example.test' })),
    ).toEqual({ isValid: true, resolvedIp: '10.9.9.9' });
    expect(
      await ok(
        call(s, 'POST', 'domain.validateDomain', {
          domain: 'elsewhere.example.test',
          serverIp: '127.0.0.1',
        }),
      ),
    ).toMatchObject({ isValid: false, resolvedIp: '10.9.9.9' });
  });

  it('docker.getConfig on an unknown container answers 200 with an empty body', async () => {
    const s = await start('0.30.2');
    const answer = await call(s, 'GET', 'docker.getConfig', { containerId: 'gone123' });
    expect(answer).toMatchObject({ status: 200, text: '' });
  });

  it('the log WebSocket: a bad key closes without a code; an unknown container stays open after the daemon error; lines end in \\r\\n', async () => {
    const s = await start('0.30.2');
    const { composeId, appName } = await newCompose(s);
    await deployAndSettle(s, composeId);
    const [db] = (await containersOf(s, appName)).filter((c: { name: string }) =>
      c.name.endsWith('-db-1'),
    );
    const open = (params: string, key: string) =>
      new WebSocket(`${s.url.replace('http', 'ws')}/docker-container-logs?${params}`, {
        headers: { 'x-api-key': key },
      });
    const badKey = open(`containerId=${db.containerId}`, 'not-a-key-0123');
    expect(await new Promise<number>((r) => badKey.on('close', (code: number) => r(code)))).toBe(
      1005,
    );

    const unknown = open('containerId=gone123', s.apiKey);
    const first = await new Promise<string>((r) =>
      unknown.once('message', (m: Buffer) => r(m.toString())),
    );
    expect(first).toBe('Error response from daemon: No such container: gone123\r\n');
    // still open a while later: Dokploy does not close it
    await new Promise((r) => setTimeout(r, 50));
    expect(unknown.readyState).toBe(WebSocket.OPEN);
    unknown.terminate();

    const good = open(`containerId=${db.containerId}&tail=1`, s.apiKey);
    const line = await new Promise<string>((r) =>
      good.once('message', (m: Buffer) => r(m.toString())),
    );
    expect(line).toMatch(/db \| listening\r\n$/);
    good.terminate();
  });
});
