import { describe, expect, it } from 'vitest';
import {
  DokployNotFoundError,
  DokployValidationError,
  DokployVersionError,
  deployAndWait,
  parseDokployVersion,
} from '../src/index.js';
import { TEMPLATE_BASE64 } from './exercise.js';
import { COMPOSE_FILE, envMap, useSimulator, VERSIONS } from './helpers.js';

const hasEnvs = (v: string) => parseDokployVersion(v).minor >= 25;
const atLeast = (v: string, min: string) => {
  const a = parseDokployVersion(v);
  const b = parseDokployVersion(min);
  return a.minor > b.minor || (a.minor === b.minor && a.patch >= b.patch);
};

describe.each(VERSIONS)('every method against the simulator on Dokploy %s', (version) => {
  const t = useSimulator({ version });

  it('health, user.get and the version', async () => {
    expect(await t.client.health()).toMatchObject({ ok: true });
    const user = await t.client.user.get();
    expect(user.organizationId).toBe(t.sim.state.organizationId);
    expect(await t.client.settings.getDokployVersion()).toBe(`v${version}`);
    expect((await t.client.getVersion()).raw).toBe(`v${version}`);
    expect(t.client.version?.raw).toBe(`v${version}`);
  });

  it('projects: create, all, one, search, remove', async () => {
    const { project, environment } = await t.client.project.create({
      name: 'Alpha',
      description: 'first',
    });
    expect(project.name).toBe('Alpha');
    if (hasEnvs(version)) {
      expect(environment?.name).toBe('production');
      expect(environment?.isDefault).toBe(atLeast(version, '0.26.1') ? true : undefined);
    } else {
      expect(environment).toBeNull();
    }
    await t.client.project.create({ name: 'Beta' });
    const all = await t.client.project.all();
    expect(all.map((p) => p.name)).toEqual(expect.arrayContaining(['Alpha', 'Beta']));
    if (hasEnvs(version))
      expect(all.find((p) => p.name === 'Alpha')?.environments?.[0]?.name).toBe('production');
    expect((await t.client.project.one({ projectId: project.projectId })).projectId).toBe(
      project.projectId,
    );
    const found = await t.client.project.search({ q: 'alp' });
    expect(found.total).toBe(1);
    expect(found.items[0]?.name).toBe('Alpha');
    const page = await t.client.project.search({ limit: 1, offset: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.total).toBeGreaterThanOrEqual(2);
    expect((await t.client.project.remove({ projectId: project.projectId })).projectId).toBe(
      project.projectId,
    );
    await expect(t.client.project.one({ projectId: project.projectId })).rejects.toBeInstanceOf(
      DokployNotFoundError,
    );
  });

  it('environments: byProjectId, create, one, duplicate, remove (v0.25.0+), a version error before', async () => {
    const { project, environment } = await t.client.project.create({ name: 'Envs' });
    if (!hasEnvs(version)) {
      const err = await t.client.environment
        .byProjectId({ projectId: project.projectId })
        .catch((e: unknown) => e);
      expect(DokployVersionError.isInstance(err)).toBe(true);
      expect((err as Error).message).toMatch(/v0\.25\.0/);
      await expect(
        t.client.environment.create({ name: 's', projectId: project.projectId }),
      ).rejects.toBeInstanceOf(DokployVersionError);
      await expect(t.client.environment.one({ environmentId: 'x' })).rejects.toBeInstanceOf(
        DokployVersionError,
      );
      await expect(t.client.environment.remove({ environmentId: 'x' })).rejects.toBeInstanceOf(
        DokployVersionError,
      );
      await expect(
        t.client.environment.duplicate({ environmentId: 'x', name: 'y' }),
      ).rejects.toBeInstanceOf(DokployVersionError);
      return;
    }
    const staging = await t.client.environment.create({
      name: 'staging',
      description: 'pre-prod',
      projectId: project.projectId,
    });
    expect(staging.projectId).toBe(project.projectId);
    expect((await t.client.environment.one({ environmentId: staging.environmentId })).name).toBe(
      'staging',
    );
    const copy = await t.client.environment.duplicate({
      environmentId: staging.environmentId,
      name: 'staging-2',
    });
    const listed = await t.client.environment.byProjectId({ projectId: project.projectId });
    expect(listed.map((e) => e.name).sort()).toEqual(['production', 'staging', 'staging-2']);
    await t.client.environment.remove({ environmentId: copy.environmentId });
    expect(await t.client.environment.byProjectId({ projectId: project.projectId })).toHaveLength(
      2,
    );
    // the default environment cannot go: a 400 without issues
    const err = await t.client.environment
      .remove({ environmentId: environment?.environmentId ?? '' })
      .catch((e: unknown) => e);
    expect(DokployValidationError.isInstance(err)).toBe(true);
    expect((err as DokployValidationError).issues).toEqual([]);
  });

  it('compose lifecycle: create, update, env, deploy, containers, logs, stop/start, delete', async () => {
    const { project } = await t.client.project.create({ name: 'Stack Owner' });
    // projectId works on every version (resolved to the default environment from v0.25.0)
    const compose = await t.client.compose.create({
      name: 'web stack',
      projectId: project.projectId,
      composeFile: COMPOSE_FILE,
    });
    expect(compose.sourceType).toBe('raw');
    expect(compose.composeFile).toBe(COMPOSE_FILE);
    const creates = t.sim.requests.filter((r) => r.procedure === 'compose.create');
    const last = creates.at(-1)?.body as Record<string, unknown>;
    const next = t.sim.requests[t.sim.requests.indexOf(creates.at(-1) as never) + 1];
    if (atLeast(version, '0.30.0')) {
      expect(last.sourceType).toBe('raw');
      expect(next?.procedure).not.toBe('compose.update');
    } else {
      expect(last.sourceType).toBeUndefined();
      expect(next?.procedure).toBe('compose.update');
      expect(next?.body).toMatchObject({ composeId: compose.composeId, sourceType: 'raw' });
    }
    if (hasEnvs(version)) expect(last.environmentId).toEqual(expect.any(String));
    else expect(last.projectId).toBe(project.projectId);

    const composeId = compose.composeId;
    await t.client.compose.update({ composeId, env: 'A=1\nPOSTGRES_PASSWORD=first-password' });
    await t.client.compose.update({ composeId, env: 'B=2' });
    expect((await t.client.compose.one({ composeId })).env).toBe('B=2'); // replaced whole
    expect(await t.client.compose.saveEnvironment({ composeId, env: 'C=3' })).toBe(true);
    const one = await t.client.compose.one({ composeId });
    expect(one.env).toBe('C=3');
    expect(one.composeStatus).toBe('idle');
    expect(await t.client.compose.loadServices({ composeId })).toEqual(['db', 'web']);
    expect(await t.client.compose.getDefaultCommand({ composeId })).toBe(
      `docker compose -p ${compose.appName} -f ./docker-compose.yml up -d --build --remove-orphans`,
    );

    const { queued, deployment } = await deployAndWait(t.client, {
      composeId,
      intervalMs: 5,
      timeoutMs: 5_000,
    });
    expect(deployment.status).toBe('done');
    expect(queued.queued).toBe(true);
    if (atLeast(version, '0.26.4'))
      expect(queued).toEqual({ queued: true, message: 'Deployment queued', composeId });
    else if (atLeast(version, '0.25.7')) expect(queued.message).toBe('Deployment queued');
    else expect(queued).toEqual({ queued: true, message: null, composeId: null });
    expect((await t.client.compose.one({ composeId })).composeStatus).toBe('done');

    const containers = await t.client.docker.getContainersByAppNameMatch({
      appName: compose.appName,
      appType: 'docker-compose',
    });
    expect(containers.map((c) => c.name).sort()).toEqual([
      `${compose.appName}-db-1`,
      `${compose.appName}-web-1`,
    ]);
    const db = containers.find((c) => c.name.endsWith('-db-1'));
    const web = containers.find((c) => c.name.endsWith('-web-1'));
    expect(db?.status).toMatch(/\(healthy\)/);
    const dbConfig = await t.client.docker.getConfig({ containerId: db?.containerId ?? '' });
    expect(dbConfig.State?.Health?.Status).toBe('healthy');
    expect(
      (await t.client.docker.getConfig({ containerId: web?.containerId ?? '' })).State?.Health,
    ).toBeUndefined();
    await t.client.docker.restartContainer({ containerId: db?.containerId ?? '' });
    if (atLeast(version, '0.29.0')) {
      const logs = await t.client.compose.readLogs({
        composeId,
        containerId: db?.containerId ?? '',
        tail: 5,
        search: 'restarted',
      });
      expect(logs).toMatch(/db \| restarted/);
    } else {
      await expect(
        t.client.compose.readLogs({ composeId, containerId: db?.containerId ?? '' }),
      ).rejects.toBeInstanceOf(DokployVersionError);
    }
    const deployments = await t.client.deployment.allByCompose({ composeId });
    expect(deployments).toHaveLength(1);
    if (atLeast(version, '0.29.5')) {
      expect(await t.client.deployment.readLogs({ deploymentId: deployment.deploymentId })).toMatch(
        /Deployed/,
      );
    } else {
      await expect(
        t.client.deployment.readLogs({ deploymentId: deployment.deploymentId }),
      ).rejects.toBeInstanceOf(DokployVersionError);
    }

    expect(await t.client.compose.stop({ composeId })).toBe(true);
    expect(
      (
        await t.client.docker.getContainersByAppNameMatch({
          appName: compose.appName,
          appType: 'docker-compose',
        })
      ).every((c) => c.state === 'exited'),
    ).toBe(true);
    expect(await t.client.compose.start({ composeId })).toBe(true);
    const redeployed = await deployAndWait(t.client, {
      composeId,
      redeploy: true,
      intervalMs: 5,
      timeoutMs: 5_000,
    });
    expect(redeployed.deployment.deploymentId).not.toBe(deployment.deploymentId);
    if (atLeast(version, '0.25.7')) expect(redeployed.queued.message).toBe('Redeployment queued');

    expect((await t.client.compose.delete({ composeId, deleteVolumes: true })).composeId).toBe(
      composeId,
    );
    await expect(t.client.compose.one({ composeId })).rejects.toBeInstanceOf(DokployNotFoundError);
  });

  it('domains: defaults http/none, update, byComposeId, generate, validate, delete', async () => {
    const { project } = await t.client.project.create({ name: 'Domains' });
    const compose = await t.client.compose.create({
      name: 'dom',
      projectId: project.projectId,
      composeFile: COMPOSE_FILE,
    });
    const created = await t.client.domain.create({
      host: 'api.example.test',
      composeId: compose.composeId,
      serviceName: 'web',
      domainType: 'compose',
      port: 8000,
    });
    expect(created).toMatchObject({ https: false, certificateType: 'none', port: 8000, path: '/' });
    const updated = await t.client.domain.update({
      domainId: created.domainId,
      host: 'api.example.test',
      https: true,
      certificateType: 'letsencrypt',
    });
    expect(updated).toMatchObject({ https: true, certificateType: 'letsencrypt' });
    expect(
      (await t.client.domain.byComposeId({ composeId: compose.composeId })).map((d) => d.domainId),
    ).toEqual([created.domainId]);
    const generated = await t.client.domain.generateDomain({ appName: compose.appName });
    expect(generated).toMatch(
      atLeast(version, '0.29.3') ? /-127-0-0-1\.sslip\.io$/ : /-127-0-0-1\.traefik\.me$/,
    );
    expect(await t.client.domain.validateDomain({ domain: generated })).toMatchObject({
      isValid: true,
      resolvedIp: '127.0.0.1',
    });
    expect((await t.client.domain.validateDomain({ domain: 'nowhere.example.test' })).isValid).toBe(
      false,
    );
    await t.client.domain.delete({ domainId: created.domainId });
    expect(await t.client.domain.byComposeId({ composeId: compose.composeId })).toEqual([]);
  });

  it('mounts: create a compose file mount and update its content', async () => {
    const { project } = await t.client.project.create({ name: 'Mounts' });
    const compose = await t.client.compose.create({
      name: 'mnt',
      projectId: project.projectId,
      composeFile: COMPOSE_FILE,
    });
    const mount = await t.client.mounts.create({
      type: 'file',
      serviceType: 'compose',
      serviceId: compose.composeId,
      filePath: '/volumes/kong.yml',
      content: 'v1',
      mountPath: '/',
    });
    expect(mount).toMatchObject({ type: 'file', content: 'v1', filePath: '/volumes/kong.yml' });
    const updated = await t.client.mounts.updateFile({
      mountId: mount?.mountId ?? '',
      content: 'v2',
    });
    expect(updated?.content).toBe('v2');
    const generic = await t.client.mounts.update({
      mountId: mount?.mountId ?? '',
      filePath: '/volumes/kong2.yml',
    });
    expect(generic?.filePath).toBe('/volumes/kong2.yml');
    expect(
      (await t.client.compose.one({ composeId: compose.composeId })).mounts?.map((m) => m.content),
    ).toEqual(['v2']);
  });

  it('templates: list, deployTemplate, processTemplate preview, import', async () => {
    const templates = await t.client.compose.templates();
    expect(templates.map((x) => x.id)).toContain('supabase');
    const { project } = await t.client.project.create({ name: 'Tpl Project' });
    const supa = await t.client.compose.deployTemplate({
      projectId: project.projectId,
      id: 'supabase',
    });
    expect(supa.sourceType).toBe('raw');
    expect(supa.appName).toMatch(/^tpl-project-supabase-[a-z0-9]{6}$/);
    expect(envMap(supa.env ?? '').get('POSTGRES_HOST')).toBe('db');
    const preview = await t.client.compose.processTemplate({
      composeId: supa.composeId,
      base64: TEMPLATE_BASE64,
    });
    expect(preview.template.envs[1]).toMatch(/^APP_SECRET=[a-z0-9]{32}$/);
    expect(preview.template.domains[0]).toMatchObject({ serviceName: 'web', port: 80 });
    // a preview does not persist
    expect((await t.client.compose.one({ composeId: supa.composeId })).env).toBe(supa.env);
    const imported = await t.client.compose.import({
      composeId: supa.composeId,
      base64: TEMPLATE_BASE64,
    });
    expect(imported.success).toBe(true);
    const after = await t.client.compose.one({ composeId: supa.composeId });
    expect(after.env).toMatch(/^HOST=.+\nAPP_SECRET=[a-z0-9]{32}$/);
    expect(after.mounts?.map((m) => m.filePath)).toEqual(['/conf/app.conf']);
    expect(after.domains?.map((d) => d.serviceName)).toEqual(['web']);
    await expect(
      t.client.compose.deployTemplate({ projectId: project.projectId, id: 'no-such-template' }),
    ).rejects.toBeInstanceOf(DokployNotFoundError);
  });
});
