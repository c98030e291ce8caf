import { type DokployVersion, hasFeature } from './version.js';

/** The permission Dokploy checks for a procedure, and what a member needed before roles. */
export interface ProcedurePermission {
  /** `resource:action` as Dokploy's roles spell it (v0.28.7+), e.g. `envVars:write`. */
  readonly permission: string;
  /** Before v0.28.7: the member flag or access list that gated it. */
  readonly legacy: string;
}

const SERVICE_ACCESS = 'access to the service (the member’s accessedServices)';

const p = (permission: string, legacy = SERVICE_ACCESS): ProcedurePermission => ({
  permission,
  legacy,
});

/**
 * What each procedure of this client checks, from Dokploy's routers at v0.30.2
 * (`checkPermission`, `checkServiceAccess`, `checkServicePermissionAndAccess`, `withPermission`).
 * Owners and admins pass every check; members and custom roles need the grant.
 */
export const PROCEDURE_PERMISSIONS: Readonly<Record<string, ProcedurePermission>> = {
  'project.create': p('project:create', 'the member flag canCreateProjects'),
  'project.remove': p('project:delete', 'the member flag canDeleteProjects'),
  'environment.create': p('environment:create', 'the member flag canCreateEnvironments'),
  'environment.remove': p('environment:delete', 'the member flag canDeleteEnvironments'),
  'environment.one': p('environment:read', 'access to the environment'),
  'environment.duplicate': p('environment:read', 'access to the environment'),
  'compose.create': p('service:create', 'the member flag canCreateServices'),
  'compose.deployTemplate': p('service:create', 'the member flag canCreateServices'),
  'compose.one': p('service:read'),
  'compose.loadServices': p('service:read'),
  'compose.readLogs': p('service:read'),
  'compose.update': p('service:create'),
  'compose.getDefaultCommand': p('service:create'),
  'compose.processTemplate': p('service:create'),
  'compose.import': p('service:create'),
  'compose.delete': p('service:delete', 'the member flag canDeleteServices'),
  'compose.saveEnvironment': p('envVars:write'),
  'compose.deploy': p('deployment:create'),
  'compose.redeploy': p('deployment:create'),
  'compose.stop': p('deployment:create'),
  'compose.start': p('deployment:create'),
  'deployment.allByCompose': p('deployment:read'),
  'deployment.readLogs': p('deployment:read'),
  'domain.create': p('domain:create'),
  'domain.update': p('domain:create'),
  'domain.generateDomain': p('domain:create'),
  'domain.byComposeId': p('domain:read'),
  'domain.validateDomain': p('domain:read'),
  'domain.delete': p('domain:delete'),
  'docker.getContainersByAppNameMatch': p('service:read'),
  'docker.getConfig': p('docker:read', 'the member flag canAccessToDocker'),
  'docker.restartContainer': p('docker:read', 'the member flag canAccessToDocker'),
  'mounts.create': p('volume:create'),
  'mounts.update': p('volume:create'),
};

/** better-auth's role check and Dokploy's access checks, as the body's message says them. */
const DENIAL_RE =
  /not allowed to access resource|unauthorized to access resource|^Permission denied$|You don't have (access|permission)|You are not authorized to access/;

/**
 * Whether an error answer is a permission denial rather than a bad key. Dokploy's wrapper
 * answers a bad key with 401 `{"message":"Unauthorized"}` and no `code`; procedures deny with
 * 401 `code: "UNAUTHORIZED"` and a specific message, and some routers rewrap that as 400.
 */
export function isPermissionDenial(
  status: number,
  code: string | undefined,
  message: string | undefined,
): boolean {
  if (!message) return false;
  if (status === 401) return code === 'UNAUTHORIZED' && !/^unauthorized$/i.test(message.trim());
  return status === 400 && DENIAL_RE.test(message);
}

/** The resource better-auth names (`… resource: envVars`, `… resource "service"`). */
export function deniedResource(message: string): string | undefined {
  return /access resource(?::\s*|\s+")([A-Za-z]+)/.exec(message)?.[1];
}

/** What the permission error says is missing, and how to grant it, for this procedure and version. */
export function describeDenial(
  procedure: string,
  serverMessage: string,
  version: DokployVersion | undefined,
): { permission: string | undefined; explanation: string } {
  const known = PROCEDURE_PERMISSIONS[procedure];
  const resource = deniedResource(serverMessage);
  const permission =
    known && (!resource || known.permission.startsWith(`${resource}:`))
      ? known.permission
      : resource
        ? `${resource}:*`
        : known?.permission;
  if (/You are not authorized to access/.test(serverMessage)) {
    return {
      permission,
      explanation:
        'the key belongs to another organization than this resource (its metadata.organizationId). Fix: use a key created in the organization that owns it',
    };
  }
  if (/You don't have access to this/.test(serverMessage)) {
    return {
      permission,
      explanation: `the key's user has not been given access to it (a member's project/service access list). Fix: grant the user access to it under Settings → Users, or use a key of an owner or admin`,
    };
  }
  const roles = version === undefined || hasFeature(version, 'rolePermissions');
  const legacy = known && !roles ? ` (before v0.28.7: ${known.legacy})` : '';
  return {
    permission,
    explanation: `the key is valid, but its user lacks the permission ${permission ?? 'this procedure checks'}${legacy}. Fix: give the user a role with ${permission ?? 'that permission'} under Settings → Users (custom roles), or use a key of an owner or admin`,
  };
}
