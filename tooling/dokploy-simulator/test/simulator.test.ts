import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type DokploySimulator, startDokploySimulator } from '../src/index.js';
import { COMPOSE, call, ok } from './http.js';

function verify(token: string, secret: string): boolean {
  const [h, p, s] = token.split('.');
  return createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url') === s;
}

describe('startDokploySimulator options', () => {
  it('rejects bad options with a clear message', async () => {
    await expect(startDokploySimulator({ version: 'latest' })).rejects.toThrow(/not x\.y\.z/);
    await expect(startDokploySimulator({ version: 'v1' })).rejects.toMatchObject({
      code: 'DOKPLOY_SIMULATOR_OPTIONS',
    });
    await expect(startDokploySimulator({ apiKey: 'short' })).rejects.toThrow(
      /invalid options: apiKey/,
    );
  });
});

describe('transport behaviour (v0.30.2)', () => {
  let sim: DokploySimulator;
  beforeAll(async () => {
    sim = await startDokploySimulator({ apiKey: 'sim_fixed_key_0123456789' });
  });
  afterAll(() => sim.stop());

  it('health needs no key; everything else 401 {"message":"Unauthorized"} without a valid key', async () => {
    expect(await call(sim, 'GET', 'health', {}, { key: null })).toMatchObject({
      status: 200,
      body: { ok: true },
    });
    expect(await call(sim, 'GET', 'project.all', {}, { key: null })).toMatchObject({
      status: 401,
      body: { message: 'Unauthorized' },
    });
    expect((await call(sim, 'GET', 'project.all', {}, { key: 'wrong' })).status).toBe(401);
    const noOrg = sim.addApiKey({ organizationId: null });
    expect((await call(sim, 'GET', 'project.all', {}, { key: noOrg })).status).toBe(401);
    expect((await call(sim, 'GET', 'project.all', {}, { key: sim.addApiKey() })).status).toBe(200);
    const bearer = await fetch(`${sim.url}/api/project.all`, {
      headers: { authorization: `Bearer ${sim.apiKey}` },
    });
    expect(bearer.status).toBe(401);
    // unknown procedures are hidden behind auth too
    expect((await call(sim, 'GET', 'nope.nope', {}, { key: null })).status).toBe(401);
  });

  it('415 for a POST without a JSON content type, 400 for broken JSON and invalid input', async () => {
    const a = await call(
      sim,
      'POST',
      'project.create',
      { name: 'x' },
      { contentType: 'text/plain' },
    );
    expect(a).toMatchObject({
      status: 415,
      body: { message: 'Unsupported content-type "text/plain"', code: 'UNSUPPORTED_MEDIA_TYPE' },
    });
    expect(await call(sim, 'POST', 'project.create', {}, { raw: '{nope' })).toMatchObject({
      status: 400,
      body: { code: 'PARSE_ERROR' },
    });
    const invalid = await call(sim, 'POST', 'project.create', { name: '' });
    expect(invalid).toMatchObject({
      status: 400,
      body: { message: 'Input validation failed', code: 'BAD_REQUEST' },
    });
    expect((invalid.body as { issues: { path: string[] }[] }).issues[0]?.path).toEqual(['name']);
    expect((await call(sim, 'POST', 'project.create', {}, { raw: '' })).status).toBe(400);
  });

  it('404 for unknown procedures, wrong methods and paths outside /api', async () => {
    expect(await call(sim, 'GET', 'compose.nope')).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect((await call(sim, 'POST', 'project.all')).status).toBe(404);
    expect((await fetch(`${sim.url}/swagger`)).status).toBe(404);
  });

  it('records requests without header values', async () => {
    await call(sim, 'GET', 'project.search', { q: 'x', limit: 5 });
    const last = sim.requests.at(-1);
    expect(last).toMatchObject({
      method: 'GET',
      procedure: 'project.search',
      query: { q: 'x', limit: '5' },
      hadApiKey: true,
      status: 200,
    });
    expect(JSON.stringify(sim.requests)).not.toContain(sim.apiKey);
  });

  it('fault injection: latency, 5xx bursts, spurious 401, dropped connections, scoped by procedure', async () => {
    sim.setFaults({ latencyMs: 40, procedures: ['project.all'] });
    const t0 = Date.now();
    await ok(call(sim, 'GET', 'project.all'));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(35);
    sim.clearFaults();

    sim.setFaults({ serverErrors: 2, serverErrorStatus: 502, procedures: ['project.all'] });
    expect((await call(sim, 'GET', 'user.get')).status).toBe(200); // not in scope
    expect((await call(sim, 'GET', 'project.all')).status).toBe(502);
    expect((await call(sim, 'GET', 'project.all')).status).toBe(502);
    expect((await call(sim, 'GET', 'project.all')).status).toBe(200);
    sim.clearFaults();

    sim.setFaults({ spuriousUnauthorized: 1 });
    expect((await call(sim, 'GET', 'user.get')).status).toBe(401);
    expect((await call(sim, 'GET', 'user.get')).status).toBe(200);

    sim.setFaults({ dropConnections: 1 });
    await expect(call(sim, 'GET', 'user.get')).rejects.toThrow();
    expect((await call(sim, 'GET', 'user.get')).status).toBe(200);
    expect(sim.requests.some((r) => r.status === -1)).toBe(true);
  });
});

describe.each(['0.24.4', '0.25.5', '0.28.0', '0.29.0', '0.30.2'])('shapes on v%s', (version) => {
  let sim: DokploySimulator;
  beforeAll(async () => {
    sim = await startDokploySimulator({ version, deployDurationMs: 10_000 });
  });
  afterAll(() => sim.stop());
  const minor = Number(version.split('.')[1]);

  it('version, project/environment/compose shapes, deploy answers and gated procedures', async () => {
    expect(await ok(call(sim, 'GET', 'settings.getDokployVersion'))).toBe(`v${version}`);
    expect(sim.version).toBe(`v${version}`);
    const created = await ok(call(sim, 'POST', 'project.create', { name: 'P' }));
    const owner =
      minor >= 25
        ? { environmentId: (created.environment as { environmentId: string }).environmentId }
        : { projectId: created.projectId as string };
    if (minor < 25)
      expect((await call(sim, 'GET', 'environment.byProjectId', { projectId: 'x' })).status).toBe(
        404,
      );
    const compose = await ok(
      call(sim, 'POST', 'compose.create', {
        name: 'c',
        ...owner,
        composeFile: COMPOSE,
        sourceType: 'raw',
      }),
    );
    expect(compose.sourceType).toBe(minor >= 30 ? 'raw' : 'github');
    const deploy = await call(sim, 'POST', 'compose.deploy', { composeId: compose.composeId });
    if (minor >= 28)
      expect(deploy.body).toEqual({
        success: true,
        message: 'Deployment queued',
        composeId: compose.composeId,
      });
    else expect(deploy.body).toBeUndefined();
    const [dep] = (await ok(
      call(sim, 'GET', 'deployment.allByCompose', { composeId: compose.composeId as string }),
    )) as unknown as { status: string; deploymentId: string }[];
    expect(dep?.status).toBe('running');
    sim.completeDeployments();
    const [after] = (await ok(
      call(sim, 'GET', 'deployment.allByCompose', { composeId: compose.composeId as string }),
    )) as unknown as { status: string }[];
    expect(after?.status).toBe('done');
    const logs = await call(sim, 'GET', 'compose.readLogs', {
      composeId: compose.composeId as string,
      containerId: 'x',
    });
    // an unknown container: Dokploy returns the daemon's error as the log text
    expect(logs.status).toBe(minor >= 29 ? 200 : 404);
    if (minor >= 29) expect(logs.body).toBe('Error response from daemon: No such container: x');
    expect(
      (await call(sim, 'GET', 'deployment.readLogs', { deploymentId: dep?.deploymentId ?? '' }))
        .status,
    ).toBe(minor >= 30 ? 200 : 404);
    const one = await ok(
      call(sim, 'GET', 'compose.one', { composeId: compose.composeId as string }),
    );
    expect(minor >= 25 ? one.environment : one.project).toBeDefined();
  });
});

describe('deploy queue, containers, domains, env and templates (v0.29.5)', () => {
  let sim: DokploySimulator;
  let environmentId: string;
  beforeAll(async () => {
    sim = await startDokploySimulator({
      version: '0.29.5',
      deployDurationMs: 20,
      logFollowIntervalMs: 10,
    });
    const created = await ok(call(sim, 'POST', 'project.create', { name: 'Queue' }));
    environmentId = (created.environment as { environmentId: string }).environmentId;
  });
  afterAll(() => sim.stop());

  async function deployed(extra: Record<string, unknown> = {}) {
    const compose = await ok(
      call(sim, 'POST', 'compose.create', {
        name: 'q',
        environmentId,
        composeFile: COMPOSE,
        ...extra,
      }),
    );
    await ok(call(sim, 'POST', 'compose.deploy', { composeId: compose.composeId }));
    for (let i = 0; i < 100; i++) {
      const list = (await ok(
        call(sim, 'GET', 'deployment.allByCompose', { composeId: compose.composeId as string }),
      )) as unknown as { status: string }[];
      if (list[0]?.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    return compose as { composeId: string; appName: string };
  }

  it('running → done with one container per service and health states', async () => {
    sim.state.unhealthyServices.add('db');
    const compose = await deployed();
    sim.state.unhealthyServices.clear();
    const containers = (await ok(
      call(sim, 'GET', 'docker.getContainersByAppNameMatch', {
        appName: compose.appName,
        appType: 'docker-compose',
      }),
    )) as unknown as {
      containerId: string;
      name: string;
      status: string;
    }[];
    expect(containers.map((c) => c.name).sort()).toEqual([
      `${compose.appName}-db-1`,
      `${compose.appName}-web-1`,
    ]);
    const db = containers.find((c) => c.name.endsWith('db-1'));
    expect(db?.status).toMatch(/\(unhealthy\)/);
    const config = await ok(
      call(sim, 'GET', 'docker.getConfig', { containerId: db?.containerId ?? '' }),
    );
    expect(config.State).toMatchObject({
      Running: true,
      Health: { Status: 'unhealthy', FailingStreak: 3 },
    });
    expect(
      await ok(
        call(sim, 'GET', 'compose.readLogs', {
          composeId: compose.composeId,
          containerId: db?.containerId ?? '',
          search: 'healthcheck',
        }),
      ),
    ).toMatch(/healthcheck failed/);
    expect(await call(sim, 'GET', 'docker.getConfig', { containerId: 'missing' })).toMatchObject({
      status: 200,
      text: '',
    });
    expect(
      (await call(sim, 'POST', 'docker.restartContainer', { containerId: 'missing' })).status,
    ).toBe(404);
    expect(
      (await call(sim, 'POST', 'docker.restartContainer', { containerId: db?.containerId ?? '' }))
        .status,
    ).toBe(200);
    const byName = (await ok(
      call(sim, 'GET', 'docker.getContainersByAppNameMatch', { appName: compose.appName }),
    )) as unknown as unknown[];
    expect(byName).toHaveLength(2);
    const deployments = (await ok(
      call(sim, 'GET', 'deployment.allByCompose', { composeId: compose.composeId }),
    )) as unknown as { deploymentId: string }[];
    expect(
      await ok(
        call(sim, 'GET', 'deployment.readLogs', {
          deploymentId: deployments[0]?.deploymentId ?? '',
          tail: 1,
        }),
      ),
    ).toBe('Docker Compose Deployed: ✅');
    await ok(call(sim, 'POST', 'compose.stop', { composeId: compose.composeId }));
    const stopped = (await ok(
      call(sim, 'GET', 'docker.getContainersByAppNameMatch', {
        appName: compose.appName,
        appType: 'docker-compose',
      }),
    )) as unknown as { status: string }[];
    expect(stopped[0]?.status).toMatch(/^Exited/);
  });

  it('deploys end in error on injected failures; stack commands differ', async () => {
    expect(() => sim.setDeployDurationMs(-1)).toThrow(/setDeployDurationMs/);
    sim.setDeployDurationMs(5);
    sim.setFaults({ deployFailures: 1 });
    const compose = await deployed({ composeType: 'stack' });
    const [d] = (await ok(
      call(sim, 'GET', 'deployment.allByCompose', { composeId: compose.composeId }),
    )) as unknown as { status: string; errorMessage: string | null; deploymentId: string }[];
    // Dokploy keeps errorMessage null on build failures: the reason is only in the log
    expect(d).toMatchObject({ status: 'error', errorMessage: null });
    const log = await ok(
      call(sim, 'GET', 'deployment.readLogs', { deploymentId: d?.deploymentId ?? '', tail: 3 }),
    );
    expect(log).toBe(
      'Error: Simulated deployment failure\n\nError occurred ❌, check the logs for details.',
    );
    expect(
      await ok(call(sim, 'GET', 'compose.getDefaultCommand', { composeId: compose.composeId })),
    ).toMatch(/^docker stack deploy/);
    await ok(call(sim, 'POST', 'compose.redeploy', { composeId: compose.composeId }));
    await ok(
      call(sim, 'POST', 'compose.delete', { composeId: compose.composeId, deleteVolumes: true }),
    );
    sim.completeDeployments(); // the compose is gone: the running deployment ends without effect
    expect((await call(sim, 'GET', 'compose.one', { composeId: compose.composeId })).status).toBe(
      404,
    );
  });

  it('domain defaults, env replaced whole, mounts', async () => {
    const compose = await ok(call(sim, 'POST', 'compose.create', { name: 'd', environmentId }));
    const domain = await ok(
      call(sim, 'POST', 'domain.create', { host: 'a.example.test', composeId: compose.composeId }),
    );
    expect(domain).toMatchObject({ https: false, certificateType: 'none', port: 3000, path: '/' });
    expect(
      (await call(sim, 'POST', 'domain.create', { host: 'a.example.test', composeId: 'nope' }))
        .status,
    ).toBe(404);
    await ok(
      call(sim, 'POST', 'compose.update', { composeId: compose.composeId, env: 'A=1\nB=2' }),
    );
    await ok(call(sim, 'POST', 'compose.update', { composeId: compose.composeId, env: 'C=3' }));
    expect(
      (await ok(call(sim, 'GET', 'compose.one', { composeId: compose.composeId as string }))).env,
    ).toBe('C=3');
    expect(
      await ok(
        call(sim, 'POST', 'compose.saveEnvironment', {
          composeId: compose.composeId,
          env: null,
          createEnvFile: false,
        }),
      ),
    ).toBe(true);
    sim.state.dns.set('custom.example.test', '10.9.9.9');
    expect(
      await ok(call(sim, 'POST', 'domain.validateDomain', { domain: 'custom.example.test' })),
    ).toEqual({ isValid: true, resolvedIp: '10.9.9.9' });
    expect(
      await ok(
        call(sim, 'POST', 'domain.validateDomain', {
          domain: 'custom.example.test',
          serverIp: '10.9.9.9',
        }),
      ),
    ).toMatchObject({ isValid: true });
    const mount = await ok(
      call(sim, 'POST', 'mounts.create', {
        type: 'volume',
        volumeName: 'data',
        mountPath: '/data',
        serviceType: 'compose',
        serviceId: compose.composeId,
      }),
    );
    expect(mount).toMatchObject({ type: 'volume', composeId: compose.composeId });
    expect((await call(sim, 'POST', 'mounts.update', { mountId: 'missing' })).status).toBe(404);
  });

  it('deployTemplate, processTemplate and import; bad templates are 400/404', async () => {
    const tpl = await ok(
      call(sim, 'POST', 'compose.deployTemplate', { environmentId, id: 'supabase' }),
    );
    const env = new Map(
      (tpl.env as string).split('\n').map((l) => [l.split('=')[0], l.slice(l.indexOf('=') + 1)]),
    );
    const anon = env.get('ANON_KEY') ?? '';
    expect(verify(anon, env.get('JWT_SECRET') ?? '')).toBe(true);
    expect(anon).not.toBe(env.get('SERVICE_ROLE_KEY'));
    expect(
      (await call(sim, 'POST', 'compose.deployTemplate', { environmentId, id: '../etc' })).status,
    ).toBe(404);
    expect(
      (
        await call(sim, 'POST', 'compose.processTemplate', {
          composeId: tpl.composeId,
          base64: 'not-json',
        })
      ).status,
    ).toBe(400);
    const badToml = Buffer.from(JSON.stringify({ compose: COMPOSE, config: '[[[' })).toString(
      'base64',
    );
    expect(
      (await call(sim, 'POST', 'compose.import', { composeId: tpl.composeId, base64: badToml }))
        .status,
    ).toBe(400);
    expect(await ok(call(sim, 'GET', 'compose.templates'))).toEqual([
      expect.objectContaining({ id: 'supabase', name: 'SupaBase' }),
    ]);
  });

  it('projects, environments and search', async () => {
    const p = await ok(
      call(sim, 'POST', 'project.create', { name: 'Searchable', description: 'findme' }),
    );
    const project = p.project as { projectId: string };
    const env = await ok(
      call(sim, 'POST', 'environment.create', { name: 'stage', projectId: project.projectId }),
    );
    await ok(
      call(sim, 'POST', 'compose.create', { name: 'in-stage', environmentId: env.environmentId }),
    );
    const dup = await ok(
      call(sim, 'POST', 'environment.duplicate', {
        environmentId: env.environmentId,
        name: 'stage-2',
      }),
    );
    expect(
      (
        await ok(
          call(sim, 'GET', 'environment.one', { environmentId: dup.environmentId as string }),
        )
      ).compose,
    ).toEqual([]);
    expect((await ok(call(sim, 'GET', 'project.search', { description: 'findme' }))).total).toBe(1);
    await ok(call(sim, 'POST', 'environment.remove', { environmentId: dup.environmentId }));
    const all = (await ok(call(sim, 'GET', 'project.all'))) as unknown as {
      name: string;
      environments: unknown[];
    }[];
    expect(all.find((x) => x.name === 'Searchable')?.environments).toHaveLength(2);
    await ok(call(sim, 'POST', 'project.remove', { projectId: project.projectId }));
    expect(
      (await call(sim, 'GET', 'environment.one', { environmentId: env.environmentId as string }))
        .status,
    ).toBe(404);
  });

  it('container logs over the WebSocket, with 4003/4000 closes', async () => {
    const compose = await deployed();
    const [c] = (await ok(
      call(sim, 'GET', 'docker.getContainersByAppNameMatch', {
        appName: compose.appName,
        appType: 'docker-compose',
      }),
    )) as unknown as { containerId: string }[];
    const open = (params: string, key: string | null = sim.apiKey) =>
      new WebSocket(`${sim.url.replace('http', 'ws')}/docker-container-logs?${params}`, {
        headers: key ? { 'x-api-key': key } : {},
      });
    const messages: string[] = [];
    const ws = open(`containerId=${c?.containerId}&tail=1`);
    await new Promise<void>((resolve) => {
      ws.on('message', (m: Buffer) => {
        messages.push(m.toString());
        if (messages.length >= 3) resolve();
      });
    });
    ws.close();
    expect(messages[0]).toMatch(/listening\r\n$/);
    expect(messages.slice(1).join('')).toMatch(/heartbeat/);
    const codeOf = (w: WebSocket) =>
      new Promise<number>((resolve) => w.on('close', (code: number) => resolve(code)));
    // no key: a bare close(), no code; 4003 is an authenticated key without docker access
    expect(await codeOf(open('containerId=x', null))).toBe(1005);
    const noDocker = sim.addApiKey({ role: 'member', permissions: ['service:read'] });
    expect(await codeOf(open(`containerId=${c?.containerId}`, noDocker))).toBe(4003);
    const withDocker = sim.addApiKey({ role: 'member', permissions: ['docker:read'] });
    const allowed = open(`containerId=${c?.containerId}&tail=1`, withDocker);
    expect(
      await new Promise<string>((r) => allowed.once('message', (m: Buffer) => r(m.toString()))),
    ).toMatch(/ db \| /);
    allowed.terminate();
    expect(await codeOf(open('containerId=bad id'))).toBe(4000);
    expect(await codeOf(open(`containerId=${c?.containerId}&tail=ten`))).toBe(4000);
    expect(await codeOf(open(`containerId=${c?.containerId}&since=yesterday`))).toBe(4000);
    expect(await codeOf(open(`containerId=${c?.containerId}&search=a;b`))).toBe(4000);
    expect(await codeOf(open('tail=1'))).toBe(4000);
    const filtered: string[] = [];
    const ws2 = open(`containerId=${c?.containerId}&search=heartbeat`);
    await new Promise<void>((resolve) => {
      ws2.on('message', (m: Buffer) => {
        filtered.push(m.toString());
        if (filtered.length >= 2) resolve();
      });
    });
    ws2.terminate();
    expect(filtered.every((m) => m.includes('heartbeat'))).toBe(true);
    const elsewhere = new WebSocket(`${sim.url.replace('http', 'ws')}/listen-elsewhere`);
    await new Promise<void>((resolve) => elsewhere.on('error', () => resolve()));
  });
});
