import type { DokploySimulator } from '@supaops/dokploy-simulator';
import { type DokployClient, deployAndWait } from '../src/index.js';
import { COMPOSE_FILE } from './helpers.js';

const TEMPLATE_TOML = `[variables]
main_domain = "\${domain}"
secret = "\${password:32}"

[config]
env = ["HOST=\${main_domain}", "APP_SECRET=\${secret}"]

[[config.domains]]
serviceName = "web"
port = 80
host = "\${main_domain}"

[[config.mounts]]
filePath = "/conf/app.conf"
content = "secret=\${secret}"
`;

export const TEMPLATE_BASE64 = Buffer.from(
  JSON.stringify({ compose: COMPOSE_FILE, config: TEMPLATE_TOML }),
).toString('base64');

/**
 * Calls every method of the client once, filling every optional field it can, in an order
 * that works on the simulator for `sim.version`. Returns the procedures it expects were sent.
 */
export async function exerciseAll(client: DokployClient, sim: DokploySimulator): Promise<void> {
  const v = await client.getVersion();
  const envs = v.minor >= 25 || v.major > 0;
  const has = (min: [number, number]) =>
    v.minor > min[0] || (v.minor === min[0] && v.patch >= min[1]);

  await client.health();
  await client.user.get();
  await client.settings.getDokployVersion();
  const { project, environment } = await client.project.create({
    name: 'Contract Project',
    description: 'all fields',
    env: 'A=1',
  });
  await client.project.all();
  await client.project.one({ projectId: project.projectId });
  await client.project.search({
    q: 'contract',
    name: 'Contract',
    description: 'all',
    limit: 10,
    offset: 0,
  });

  let environmentId: string | undefined;
  if (envs) {
    environmentId = environment?.environmentId;
    const extra = await client.environment.create({
      name: 'staging',
      description: 'second',
      projectId: project.projectId,
    });
    await client.environment.one({ environmentId: extra.environmentId });
    await client.environment.byProjectId({ projectId: project.projectId });
    const dup = await client.environment.duplicate({
      environmentId: extra.environmentId,
      name: 'staging-copy',
      description: 'dup',
    });
    await client.environment.remove({ environmentId: dup.environmentId });
  }

  const owner = environmentId ? { environmentId } : { projectId: project.projectId };
  const compose = await client.compose.create({
    name: 'stack',
    description: 'every field',
    ...owner,
    composeType: 'docker-compose',
    appName: 'stack',
    serverId: null,
    composeFile: COMPOSE_FILE,
    sourceType: 'raw',
  });
  const composeId = compose.composeId;
  await client.compose.update({
    composeId,
    name: 'stack',
    description: 'updated',
    env: 'POSTGRES_PASSWORD=contract-secret-123',
    composeFile: COMPOSE_FILE,
    sourceType: 'raw',
    composeType: 'docker-compose',
    command: '',
    composePath: './docker-compose.yml',
    createEnvFile: true,
    suffix: '',
    randomize: false,
    isolatedDeployment: false,
    isolatedDeploymentsVolume: false,
    autoDeploy: false,
    serviceNetworks: [{ serviceName: 'web', networkIds: [], detachDokployNetwork: false }],
  });
  await client.compose.saveEnvironment({
    composeId,
    env: 'POSTGRES_PASSWORD=contract-secret-456',
    createEnvFile: true,
  });
  await client.compose.one({ composeId });
  await client.compose.loadServices({ composeId, type: 'fetch' });
  await client.compose.getDefaultCommand({ composeId });
  await deployAndWait(client, {
    composeId,
    title: 'first',
    description: 'contract',
    intervalMs: 5,
    timeoutMs: 5_000,
  });
  await deployAndWait(client, {
    composeId,
    redeploy: true,
    title: 'again',
    description: 'contract',
    intervalMs: 5,
    timeoutMs: 5_000,
  });
  const deployments = await client.deployment.allByCompose({ composeId });
  if (has([29, 5]))
    await client.deployment.readLogs({
      deploymentId: deployments[0]?.deploymentId ?? '',
      tail: 50,
    });
  const containers = await client.docker.getContainersByAppNameMatch({
    appName: compose.appName,
    appType: 'docker-compose',
    serverId: 'local',
  });
  const containerId = containers[0]?.containerId ?? 'missing';
  await client.docker.getConfig({ containerId, serverId: 'local' });
  await client.docker.restartContainer({ containerId, serverId: 'local' });
  if (has([29, 0]))
    await client.compose.readLogs({
      composeId,
      containerId,
      tail: 10,
      since: 'all',
      search: 'listening',
    });
  await client.compose.stop({ composeId });
  await client.compose.start({ composeId });

  const domain = await client.domain.create({
    host: 'app.example.test',
    path: '/',
    port: 8000,
    https: true,
    certificateType: 'letsencrypt',
    customCertResolver: null,
    composeId,
    serviceName: 'web',
    domainType: 'compose',
    internalPath: '/',
    stripPath: false,
    middlewares: [],
    customEntrypoint: null,
    forwardAuthEnabled: false,
    applicationId: null,
    previewDeploymentId: null,
  });
  await client.domain.update({
    domainId: domain.domainId,
    host: 'app2.example.test',
    path: '/',
    port: 8000,
    https: false,
    certificateType: 'none',
    customCertResolver: null,
    serviceName: 'web',
    domainType: 'compose',
    internalPath: '/',
    stripPath: false,
    middlewares: null,
    customEntrypoint: null,
    forwardAuthEnabled: false,
    enabled: true,
  });
  await client.domain.byComposeId({ composeId });
  await client.domain.generateDomain({ appName: compose.appName, serverId: 'local' });
  await client.domain.validateDomain({ domain: 'app2.example.test', serverIp: '127.0.0.1' });
  await client.domain.delete({ domainId: domain.domainId });

  const mount = await client.mounts.create({
    type: 'file',
    serviceType: 'compose',
    serviceId: composeId,
    mountPath: '/',
    filePath: '/volumes/app.conf',
    content: 'a=1',
    hostPath: null,
    volumeName: null,
  });
  await client.mounts.update({
    mountId: mount?.mountId ?? '',
    type: 'file',
    serviceType: 'compose',
    mountPath: '/',
    hostPath: null,
    volumeName: null,
    filePath: '/volumes/app.conf',
    content: 'a=2',
    composeId,
  });
  await client.mounts.updateFile({
    mountId: mount?.mountId ?? '',
    content: 'a=3',
    filePath: '/volumes/app.conf',
  });

  await client.compose.templates({ baseUrl: 'https://templates.dokploy.com' });
  await client.compose.processTemplate({ composeId, base64: TEMPLATE_BASE64 });
  await client.compose.import({ composeId, base64: TEMPLATE_BASE64 });
  const templated = await client.compose.deployTemplate({
    ...owner,
    id: 'supabase',
    serverId: 'local',
    baseUrl: 'https://templates.dokploy.com',
  });
  await client.compose.delete({ composeId: templated.composeId, deleteVolumes: true });
  await client.compose.delete({ composeId, deleteVolumes: false });
  await client.project.remove({ projectId: project.projectId });
  sim.completeDeployments();
}
