/** Rows the simulator keeps, shaped like Dokploy's tables (only the fields the API exposes). */
export interface SimProject {
  projectId: string;
  name: string;
  description: string | null;
  env: string;
  organizationId: string;
  createdAt: string;
}

export interface SimEnvironment {
  environmentId: string;
  name: string;
  description: string | null;
  projectId: string;
  isDefault: boolean;
  env: string;
  createdAt: string;
}

export type ComposeStatus = 'idle' | 'running' | 'done' | 'error';

export interface SimCompose {
  composeId: string;
  name: string;
  appName: string;
  description: string | null;
  env: string | null;
  composeFile: string;
  sourceType: 'git' | 'github' | 'gitlab' | 'bitbucket' | 'gitea' | 'raw';
  composeType: 'docker-compose' | 'stack';
  composeStatus: ComposeStatus;
  composePath: string;
  command: string;
  environmentId: string | null;
  /** Only on servers before v0.25.0, where composes hang off projects. */
  projectId: string | null;
  serverId: string | null;
  randomize: boolean;
  suffix: string;
  isolatedDeployment: boolean;
  createEnvFile: boolean;
  createdAt: string;
  [extra: string]: unknown;
}

export type DeploymentStatus = 'running' | 'done' | 'error' | 'cancelled';

export interface SimDeployment {
  deploymentId: string;
  title: string;
  description: string | null;
  status: DeploymentStatus;
  logPath: string;
  pid: string | null;
  composeId: string;
  serverId: string | null;
  errorMessage: string | null;
  createdAt: string;
  startedAt: string;
  finishedAt: string | null;
}

export interface SimDomain {
  domainId: string;
  host: string;
  path: string | null;
  port: number | null;
  https: boolean;
  certificateType: 'letsencrypt' | 'none' | 'custom';
  customCertResolver: string | null;
  composeId: string | null;
  applicationId: string | null;
  previewDeploymentId: string | null;
  serviceName: string | null;
  domainType: 'compose' | 'application' | 'preview' | null;
  internalPath: string | null;
  stripPath: boolean;
  middlewares: string[] | null;
  customEntrypoint: string | null;
  forwardAuthEnabled: boolean;
  enabled: boolean;
  uniqueConfigKey: number;
  createdAt: string;
}

export interface SimMount {
  mountId: string;
  type: 'bind' | 'volume' | 'file';
  hostPath: string | null;
  volumeName: string | null;
  filePath: string | null;
  content: string | null;
  mountPath: string;
  serviceType: string;
  composeId: string | null;
  applicationId: string | null;
  postgresId: string | null;
  [extra: string]: unknown;
}

export type ContainerHealth = 'healthy' | 'unhealthy' | 'starting' | 'none';

/** A Traefik route a container got from a domain at its last deploy. */
export interface SimRoute {
  host: string;
  path: string;
  port: number;
  https: boolean;
  certificateType: 'letsencrypt' | 'none' | 'custom';
  customCertResolver: string | null;
  uniqueConfigKey: number;
}

export interface SimContainer {
  containerId: string;
  name: string;
  appName: string;
  service: string;
  /** The compose that deployed it; the row may be gone (orphaned container). */
  composeId: string;
  state: 'running' | 'exited' | 'restarting' | 'created';
  health: ContainerHealth;
  startedAt: string;
  logs: string[];
  /** Routes from the domains as they were at the deploy that created the container. */
  routes: SimRoute[];
}

export type SimRole = 'owner' | 'admin' | 'member';

export interface SimApiKey {
  /** Without it Dokploy treats the key as unauthenticated (401). */
  organizationId: string | null;
  userId: string;
  /** Owners and admins pass every permission check. */
  role: SimRole;
  /** A member's grants as `resource:action` (`service:read`, `envVars:write`, `docker:read`, …). */
  permissions: string[];
}

/** Everything the simulator knows. Tests may read and change it directly. */
export interface SimulatorState {
  organizationId: string;
  user: { id: string; name: string; email: string };
  projects: Map<string, SimProject>;
  environments: Map<string, SimEnvironment>;
  composes: Map<string, SimCompose>;
  deployments: Map<string, SimDeployment & { logs: string[] }>;
  domains: Map<string, SimDomain>;
  mounts: Map<string, SimMount>;
  containers: Map<string, SimContainer>;
  apiKeys: Map<string, SimApiKey>;
  /**
   * host → IP (or comma-separated IPs) for `domain.validateDomain`, checked before any loopback
   * DNS server; sslip.io/traefik.me names resolve by themselves.
   */
  dns: Map<string, string>;
  /** Compose services whose containers report `unhealthy` after a deploy. */
  unhealthyServices: Set<string>;
  /**
   * The compose file on disk (`/etc/dokploy/compose/<appName>/code/docker-compose.yml`) per
   * compose: written at deploy and by `loadServices {type: "fetch"}`, read by `type: "cache"`.
   */
  composeFilesOnDisk: Map<string, string>;
  /** Which `BETTER_AUTH_SECRET` generation each compose env was encrypted with (v0.29.12+). */
  envSecretGenerations: Map<string, number>;
  /** Bumped by `changeAuthSecret()`; envs written under an older one read back as ciphertext. */
  authSecretGeneration: number;
}

export function createState(organizationId: string): SimulatorState {
  return {
    organizationId,
    user: { id: 'user-1', name: 'Simulated Owner', email: 'owner@example.test' },
    projects: new Map(),
    environments: new Map(),
    composes: new Map(),
    deployments: new Map(),
    domains: new Map(),
    mounts: new Map(),
    containers: new Map(),
    apiKeys: new Map(),
    dns: new Map(),
    unhealthyServices: new Set(),
    composeFilesOnDisk: new Map(),
    envSecretGenerations: new Map(),
    authSecretGeneration: 1,
  };
}
