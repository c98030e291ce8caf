import { describe, expect, it } from 'vitest';
import { createDokployClient, DokployVersionError, deployAndWait } from '../src/index.js';
import { COMPOSE_FILE, useSimulator } from './helpers.js';

describe('version gating and awareness', () => {
  const t = useSimulator({ version: '0.25.5' });
  const versionReads = () =>
    t.sim.requests.filter((r) => r.procedure === 'settings.getDokployVersion').length;

  it('reads the version once and exposes it', async () => {
    const c = createDokployClient({ baseUrl: t.sim.url, apiKey: t.sim.apiKey });
    expect(c.version).toBeUndefined();
    const before = versionReads();
    const [a, b] = await Promise.all([c.getVersion(), c.getVersion()]);
    await c.supports('composeReadLogs');
    expect(a).toBe(b);
    expect(a).toMatchObject({ major: 0, minor: 25, patch: 5, raw: 'v0.25.5' });
    expect(versionReads() - before).toBe(1);
    expect(await c.supports('environments')).toBe(true);
    expect(await c.supports('templateJwtTrim')).toBe(false);
  });

  it('refreshVersion reads the version again', async () => {
    const c = createDokployClient({ baseUrl: t.sim.url, apiKey: t.sim.apiKey });
    expect((await c.getVersion()).raw).toBe('v0.25.5');
    t.sim.setVersion('0.29.0');
    expect((await c.getVersion()).raw).toBe('v0.25.5'); // cached
    expect((await c.refreshVersion()).raw).toBe('v0.29.0');
    t.sim.setVersion('0.25.5');
  });

  it('a version given in the options is trusted without a request', async () => {
    const c = createDokployClient({ baseUrl: t.sim.url, apiKey: t.sim.apiKey, version: 'v0.25.5' });
    const before = versionReads();
    expect((await c.getVersion()).raw).toBe('v0.25.5');
    expect(versionReads()).toBe(before);
  });

  it('readLogs before v0.29.0 / v0.29.5: an explicit "upgrade Dokploy" error, nothing sent', async () => {
    const c = createDokployClient({ baseUrl: t.sim.url, apiKey: t.sim.apiKey });
    const before = t.sim.requests.length;
    const err = await c.compose
      .readLogs({ composeId: 'c', containerId: 'x' })
      .catch((e: unknown) => e);
    expect(DokployVersionError.isInstance(err)).toBe(true);
    expect(err).toMatchObject({ serverVersion: 'v0.25.5', requiredVersion: 'v0.29.0' });
    expect((err as Error).message).toMatch(/upgrade Dokploy/);
    const err2 = await c.deployment.readLogs({ deploymentId: 'd' }).catch((e: unknown) => e);
    expect(err2).toMatchObject({ code: 'DOKPLOY_VERSION', requiredVersion: 'v0.29.5' });
    expect(t.sim.requests.slice(before).map((r) => r.procedure)).toEqual([
      'settings.getDokployVersion',
    ]);
  });

  it('the version follows the server after an upgrade when a new client is made', async () => {
    t.sim.setVersion('0.29.5');
    const c = createDokployClient({ baseUrl: t.sim.url, apiKey: t.sim.apiKey });
    const { environment } = await c.project.create({ name: 'Upgraded' });
    const compose = await c.compose.create({
      name: 'u',
      environmentId: environment?.environmentId ?? '',
      composeFile: COMPOSE_FILE,
    });
    const { deployment } = await deployAndWait(c, {
      composeId: compose.composeId,
      intervalMs: 5,
      timeoutMs: 5_000,
    });
    expect(await c.deployment.readLogs({ deploymentId: deployment.deploymentId, tail: 1 })).toMatch(
      /Deployed/,
    );
    t.sim.setVersion('0.25.5');
  });

  it('environmentId on a server without environments is a version error', async () => {
    t.sim.setVersion('0.24.4');
    const c = createDokployClient({ baseUrl: t.sim.url, apiKey: t.sim.apiKey });
    const err = await c.compose.create({ name: 'x', environmentId: 'e' }).catch((e: unknown) => e);
    expect(DokployVersionError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(/pass projectId/);
    await expect(
      c.compose.deployTemplate({ environmentId: 'e', id: 'supabase' }),
    ).rejects.toBeInstanceOf(DokployVersionError);
    t.sim.setVersion('0.25.5');
  });

  it('a projectId without environments resolves to nothing → not found', async () => {
    const c = createDokployClient({ baseUrl: t.sim.url, apiKey: t.sim.apiKey });
    const { project, environment } = await c.project.create({ name: 'Lonely' });
    t.sim.state.environments.delete(environment?.environmentId ?? '');
    const err = await c.compose
      .create({ name: 'x', projectId: project.projectId })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DOKPLOY_NOT_FOUND' });
    expect((err as Error).message).toMatch(/no environment/);
  });

  it('a failed version read is not cached', async () => {
    const c = createDokployClient({ baseUrl: t.sim.url, apiKey: t.sim.apiKey });
    t.sim.setFaults({ spuriousUnauthorized: 1, procedures: ['settings.getDokployVersion'] });
    await expect(c.getVersion()).rejects.toMatchObject({ code: 'DOKPLOY_UNAUTHORIZED' });
    // the failed read is not cached: the next call reads again
    expect((await c.getVersion()).raw).toBe('v0.25.5');
  });
});

describe('version gates from the fidelity audit', () => {
  const t = useSimulator({ version: '0.29.14' });
  const client = (version: string) => {
    t.sim.setVersion(version);
    return createDokployClient({
      baseUrl: t.sim.url,
      apiKey: t.sim.apiKey,
      logger: { warn: (m) => warnings.push(m) },
    });
  };
  const warnings: string[] = [];
  const sentSince = (from: number, procedure: string) =>
    t.sim.requests.slice(from).filter((r) => r.procedure === procedure);

  it('createEnvFile: dropped when true before v0.30.0, a version error when false; sent from v0.30.0', async () => {
    const c = client('0.29.14');
    const { project } = await c.project.create({ name: 'EnvFile' });
    const compose = await c.compose.create({
      name: 'e',
      projectId: project.projectId,
      composeFile: COMPOSE_FILE,
    });
    const from = t.sim.requests.length;
    await c.compose.update({ composeId: compose.composeId, env: 'A=1', createEnvFile: true });
    await c.compose.saveEnvironment({
      composeId: compose.composeId,
      env: 'A=2',
      createEnvFile: true,
    });
    expect(sentSince(from, 'compose.update')[0]?.body).toEqual({
      composeId: compose.composeId,
      env: 'A=1',
    });
    expect(sentSince(from, 'compose.saveEnvironment')[0]?.body).toEqual({
      composeId: compose.composeId,
      env: 'A=2',
    });
    for (const call of [
      () => c.compose.update({ composeId: compose.composeId, createEnvFile: false }),
      () =>
        c.compose.saveEnvironment({
          composeId: compose.composeId,
          env: 'A=3',
          createEnvFile: false,
        }),
    ]) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'DOKPLOY_VERSION', requiredVersion: 'v0.30.0' });
      expect((err as Error).message).toMatch(/always writes the \.env file/);
    }
    const recent = client('0.30.0');
    const from2 = t.sim.requests.length;
    await recent.compose.saveEnvironment({
      composeId: compose.composeId,
      env: 'A=4',
      createEnvFile: false,
    });
    expect(sentSince(from2, 'compose.saveEnvironment')[0]?.body).toMatchObject({
      createEnvFile: false,
    });
  });

  it('processTemplate and import need v0.20.0; validateDomain needs v0.22.0', async () => {
    const c = client('0.19.1');
    const from = t.sim.requests.length;
    await expect(
      c.compose.processTemplate({ composeId: 'c', base64: 'e30=' }),
    ).rejects.toMatchObject({
      code: 'DOKPLOY_VERSION',
      requiredVersion: 'v0.20.0',
    });
    await expect(c.compose.import({ composeId: 'c', base64: 'e30=' })).rejects.toMatchObject({
      code: 'DOKPLOY_VERSION',
    });
    await expect(c.domain.validateDomain({ domain: 'x.example.test' })).rejects.toMatchObject({
      requiredVersion: 'v0.22.0',
    });
    expect(t.sim.requests.slice(from).map((r) => r.procedure)).toEqual([
      'settings.getDokployVersion',
    ]);
  });

  it('deployTemplate: refused on v0.20.x, a "not JWTs" warning on v0.21.0-v0.21.7, none on v0.19.x', async () => {
    const c20 = client('0.20.5');
    const { project } = await c20.project.create({ name: 'Tpl' });
    const err = await c20.compose
      .deployTemplate({ projectId: project.projectId, id: 'supabase' })
      .catch((e: unknown) => e);
    expect(DokployVersionError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(/template\.yml.*Template files not found/);
    warnings.length = 0;
    const c21 = client('0.21.4');
    await c21.compose.deployTemplate({ projectId: project.projectId, id: 'supabase' });
    expect(warnings.join('\n')).toMatch(/before v0\.21\.8 \$\{jwt:…\} is random hex/);
    warnings.length = 0;
    const c19 = client('0.19.1');
    await c19.compose.deployTemplate({ projectId: project.projectId, id: 'supabase' });
    expect(warnings).toEqual([]);
  });
});
