import type { SimApiKey } from './state.js';
import { SimTrpcError } from './trpc-error.js';
import { atLeast, type SimVersion } from './version.js';

/**
 * The permission each procedure checks (routers at v0.30.2: `checkPermission`,
 * `checkServiceAccess`, `checkServicePermissionAndAccess`, `withPermission`). Owners and admins
 * pass; a member key needs the grant. Procedures not listed check nothing beyond the key.
 */
export const REQUIRED_PERMISSIONS: Readonly<Record<string, string>> = {
  'project.create': 'project:create',
  'project.remove': 'project:delete',
  'environment.create': 'environment:create',
  'environment.remove': 'environment:delete',
  'environment.duplicate': 'environment:read',
  'environment.one': 'environment:read',
  'compose.create': 'service:create',
  'compose.one': 'service:read',
  'compose.update': 'service:create',
  'compose.saveEnvironment': 'envVars:write',
  'compose.deploy': 'deployment:create',
  'compose.redeploy': 'deployment:create',
  'compose.stop': 'deployment:create',
  'compose.start': 'deployment:create',
  'compose.delete': 'service:delete',
  'compose.deployTemplate': 'service:create',
  'compose.processTemplate': 'service:create',
  'compose.import': 'service:create',
  'compose.loadServices': 'service:read',
  'compose.getDefaultCommand': 'service:create',
  'compose.readLogs': 'service:read',
  'domain.create': 'domain:create',
  'domain.update': 'domain:create',
  'domain.delete': 'domain:delete',
  'domain.byComposeId': 'domain:read',
  'domain.generateDomain': 'domain:create',
  'domain.validateDomain': 'domain:read',
  'deployment.allByCompose': 'deployment:read',
  'deployment.readLogs': 'deployment:read',
  'docker.getContainersByAppNameMatch': 'service:read',
  'docker.getConfig': 'docker:read',
  'docker.restartContainer': 'docker:read',
  'mounts.create': 'volume:create',
  'mounts.update': 'volume:create',
};

/** Routers whose try/catch rewraps every error, the permission denial included, as 400. */
const REWRAPPED_AS_BAD_REQUEST: Readonly<Record<string, string>> = {
  'project.create': 'Error creating the project: ',
  'domain.create': '',
};

export function hasPermission(key: SimApiKey, permission: string): boolean {
  return key.role === 'owner' || key.role === 'admin' || key.permissions.includes(permission);
}

/** The message Dokploy's checks give a member who lacks `permission`. */
export function denialMessage(key: SimApiKey, permission: string, version: SimVersion): string {
  // before v0.28.7 members had boolean flags and the checks said only this
  if (!atLeast(version, '0.28.7')) return 'Permission denied';
  const [resource] = permission.split(':');
  // better-auth's role.authorize(): no statement for the resource at all, or not this action
  return key.permissions.some((p) => p.startsWith(`${resource}:`))
    ? `unauthorized to access resource "${resource}"`
    : `You are not allowed to access resource: ${resource}`;
}

/** Throws the TRPCError Dokploy would raise when `key` may not call `procedure`. */
export function checkProcedurePermission(
  key: SimApiKey,
  procedure: string,
  version: SimVersion,
): void {
  const permission = REQUIRED_PERMISSIONS[procedure];
  if (!permission || hasPermission(key, permission)) return;
  const message = denialMessage(key, permission, version);
  const prefix = REWRAPPED_AS_BAD_REQUEST[procedure];
  if (prefix !== undefined) throw new SimTrpcError('BAD_REQUEST', `${prefix}${message}`);
  throw new SimTrpcError('UNAUTHORIZED', message);
}
