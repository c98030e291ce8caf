import { type DokploySimulator, startDokploySimulator } from '@supaops/dokploy-simulator';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDokployClient,
  type DokployClient,
  type DokployClientOptions,
  DokployNotFoundError,
  DokployPermissionError,
  DokployUnauthorizedError,
  DokployValidationError,
  DokployVersionError,
  deployAndWait,
  streamContainerLogs,
} from '../src/index.js';
import { COMPOSE_FILE } from './helpers.js';

/**
 * One test per row of shared/reference/dokploy-fidelity.md marked "breaks real use", run
 * through the client against the simulator on the versions where the row applies.
 */

let sim: DokploySimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function setup(version: string, clientOptions: Partial<DokployClientOptions> = {}) {
  sim = await startDokploySimulator({ version, deployDurationMs: 1, logFollowIntervalMs: 10 });
  const client = createDokployClient({
    baseUrl: sim.url,
    apiKey: sim.apiKey,
    retry: false,
    logger: { warn: () => {} },
    ...clientOptions,
  });
  return { sim, client };
}

async function stack(client: DokployClient, file = COMPOSE_FILE) {
  const { project } = await client.project.create({
    name: `P${Math.random().toString(36).slice(2, 7)}`,
  });
  const compose = await client.compose.create({
    name: 'stack',
    projectId: project.projectId,
    composeFile: file,
  });
  return { project, compose };
}

const sent = (s: DokploySimulator, procedure: string) =>
  s.requests.filter((r) => r.procedure === procedure).length;

describe('audit rows that break real use, through the client', () => {
  it('permission failures (401 with a code) name the missing permission; a bad key stays DokployUnauthorizedError', async () => {
    const { sim: s, client } = await setup('0.30.2');
    const { compose } = await stack(client);
    const member = createDokployClient({
      baseUrl: s.url,
      apiKey: s.addApiKey({ role: 'member', permissions: ['service:read', 'service:create'] }),
      version: '0.30.2',
      retry: false,
    });
    const err = await member.compose
      .saveEnvironment({ composeId: compose.composeId, env: 'A=1' })
      .catch((e: unknown) => e);
    expect(DokployPermissionError.isInstance(err)).toBe(true);
    expect(DokployUnauthorizedError.isInstance(err)).toBe(false);
    expect(err).toMatchObject({
      status: 401,
      permission: 'envVars:write',
      code: 'DOKPLOY_PERMISSION_DENIED',
    });
    expect((err as Error).message).toMatch(/lacks the permission envVars:write/);
    const bad = createDokployClient({
      baseUrl: s.url,
      apiKey: 'not-the-key-0123456789',
      retry: false,
    });
    expect(DokployUnauthorizedError.isInstance(await bad.user.get().catch((e: unknown) => e))).toBe(
      true,
    );
  });

  it('before v0.28.7 the denial says only "Permission denied": the client still names the permission Dokploy checks', async () => {
    const { sim: s } = await setup('0.28.6');
    const member = createDokployClient({
      baseUrl: s.url,
      apiKey: s.addApiKey({ role: 'member', permissions: [] }),
      version: '0.28.6',
      retry: false,
    });
    const err = await member.docker.getConfig({ containerId: 'abc' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DOKPLOY_PERMISSION_DENIED', permission: 'docker:read' });
    expect((err as Error).message).toMatch(/canAccessToDocker/);
  });

  it('project.remove leaves the containers running (orphaned): delete the composes first', async () => {
    const { client } = await setup('0.30.2');
    const { project, compose } = await stack(client);
    await deployAndWait(client, { composeId: compose.composeId, intervalMs: 2, timeoutMs: 5_000 });
    await client.project.remove({ projectId: project.projectId });
    const left = await client.docker.getContainersByAppNameMatch({
      appName: compose.appName,
      appType: 'docker-compose',
    });
    expect(left.map((c) => c.state)).toEqual(['running', 'running']);
  });

  it('project.search before v0.28.3 is answered from project.all, without sending project.search', async () => {
    const { sim: s, client } = await setup('0.28.2');
    await client.project.create({ name: 'Alpha', description: 'first' });
    await client.project.create({ name: 'Beta' });
    const found = await client.project.search({ q: 'ALP' });
    expect(found.total).toBe(1);
    expect(found.items[0]?.name).toBe('Alpha');
    expect((await client.project.search({ limit: 1, offset: 1 })).items).toHaveLength(1);
    expect(sent(s, 'project.search')).toBe(0);
  });

  it('environment.remove from v0.28.0 refuses an environment with services; before, it orphans them', async () => {
    for (const version of ['0.28.0', '0.27.1']) {
      const { client } = await setup(version);
      const { project } = await client.project.create({ name: 'Envs' });
      const stage = await client.environment.create({
        name: 'stage',
        projectId: project.projectId,
      });
      const compose = await client.compose.create({
        name: 'in-stage',
        environmentId: stage.environmentId,
        composeFile: COMPOSE_FILE,
      });
      await deployAndWait(client, {
        composeId: compose.composeId,
        intervalMs: 2,
        timeoutMs: 5_000,
      });
      const outcome = await client.environment
        .remove({ environmentId: stage.environmentId })
        .catch((e: unknown) => e);
      if (version === '0.28.0') {
        expect(DokployValidationError.isInstance(outcome)).toBe(true);
        expect((outcome as Error).message).toMatch(/it has active services/);
      } else {
        expect(
          await client.docker.getContainersByAppNameMatch({
            appName: compose.appName,
            appType: 'docker-compose',
          }),
        ).toHaveLength(2);
      }
      await sim?.stop();
      sim = undefined;
    }
  });

  it('environment.duplicate copies no services', async () => {
    const { client } = await setup('0.30.2');
    const { project } = await stack(client);
    const [production] = await client.environment.byProjectId({ projectId: project.projectId });
    const copy = await client.environment.duplicate({
      environmentId: production?.environmentId ?? '',
      name: 'copy',
    });
    expect((await client.environment.one({ environmentId: copy.environmentId })).compose).toEqual(
      [],
    );
  });

  it('compose.saveEnvironment before v0.29.0 falls back to compose.update {env}', async () => {
    const { sim: s, client } = await setup('0.28.8');
    const { compose } = await stack(client);
    expect(await client.compose.saveEnvironment({ composeId: compose.composeId, env: 'A=1' })).toBe(
      true,
    );
    expect((await client.compose.one({ composeId: compose.composeId })).env).toBe('A=1');
    expect(sent(s, 'compose.saveEnvironment')).toBe(0);
  });

  it('compose.loadServices sees the current compose before the first deploy and after an update', async () => {
    const { client } = await setup('0.30.2');
    const { compose } = await stack(client);
    expect(await client.compose.loadServices({ composeId: compose.composeId })).toEqual([
      'db',
      'web',
    ]);
    await client.compose.update({
      composeId: compose.composeId,
      composeFile: 'services:\n  api:\n    image: x\n',
    });
    expect(await client.compose.loadServices({ composeId: compose.composeId })).toEqual(['api']);
  });

  it('compose.readLogs on an unknown container is a typed not-found error, not log text', async () => {
    const { client } = await setup('0.29.0');
    const { compose } = await stack(client);
    const err = await client.compose
      .readLogs({ composeId: compose.composeId, containerId: 'gone123' })
      .catch((e: unknown) => e);
    expect(DokployNotFoundError.isInstance(err)).toBe(true);
    expect(err).toMatchObject({ resource: 'container', resourceId: 'gone123' });
    expect((err as Error).message).toMatch(
      /No such container: gone123.*getContainersByAppNameMatch/,
    );
  });

  it('domain.validateDomain: a version error before v0.22.0; without serverIp only resolution is checked', async () => {
    const { sim: s, client } = await setup('0.21.7');
    const err = await client.domain
      .validateDomain({ domain: 'a.example.test' })
      .catch((e: unknown) => e);
    expect(DokployVersionError.isInstance(err)).toBe(true);
    expect(sent(s, 'domain.validateDomain')).toBe(0);
    s.setVersion('0.30.2');
    const fresh = createDokployClient({ baseUrl: s.url, apiKey: s.apiKey });
    s.state.dns.set('elsewhere.example.test', '10.9.9.9');
    expect(await fresh.domain.validateDomain({ domain: 'elsewhere.example.test' })).toMatchObject({
      isValid: true,
    });
    expect(
      await fresh.domain.validateDomain({
        domain: 'elsewhere.example.test',
        serverIp: '127.0.0.1',
      }),
    ).toMatchObject({ isValid: false });
  });

  it('docker.getConfig on a missing container is a typed not-found error, not "check baseUrl"', async () => {
    const { client } = await setup('0.30.2');
    const err = await client.docker.getConfig({ containerId: 'stale123' }).catch((e: unknown) => e);
    expect(DokployNotFoundError.isInstance(err)).toBe(true);
    expect(err).toMatchObject({ resource: 'container', resourceId: 'stale123' });
    expect((err as Error).message).not.toMatch(/baseUrl/);
  });

  it('the log WebSocket: a bad key is a possible auth failure, an unknown container ends at once, \\r\\n is stripped', async () => {
    const { sim: s, client } = await setup('0.30.2');
    const { compose } = await stack(client);
    await deployAndWait(client, { composeId: compose.composeId, intervalMs: 2, timeoutMs: 5_000 });
    const [db] = await client.docker.getContainersByAppNameMatch({
      appName: compose.appName,
      appType: 'docker-compose',
    });
    const intruder = createDokployClient({ baseUrl: s.url, apiKey: 'not-the-key-0123456789' });
    const auth = await (
      await streamContainerLogs(intruder, { containerId: db?.containerId ?? '', onLine: () => {} })
    ).closed;
    expect(auth.error?.message).toMatch(/authentication/i);
    const missing = await (
      await streamContainerLogs(client, {
        containerId: 'gone123',
        onLine: () => {},
        timeoutMs: 30_000,
      })
    ).closed;
    expect(missing.error?.message).toMatch(/No such container: gone123/);
    const lines: string[] = [];
    const stream = await streamContainerLogs(client, {
      containerId: db?.containerId ?? '',
      tail: 5,
      onLine: (line) => {
        lines.push(line);
        if (lines.length >= 3) stream.close();
      },
    });
    await stream.closed;
    expect(lines.every((l) => !l.includes('\r'))).toBe(true);
  });
});
