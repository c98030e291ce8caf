import { type ConfigIssue, ConfigValidationError } from './errors.js';
import { parseWith } from './issues.js';
import { configSchema } from './schema.js';
import type { SupaopsConfig } from './types.js';

export interface ValidateConfigOptions {
  /**
   * Check that names point at something (defaultInstance, instances.*.dokploy.server).
   * Default true; off for one file of several (a project file may use a server of the user file).
   */
  crossReferences?: boolean;
  /** Named in the error. */
  file?: string;
}

/**
 * Validates a raw config and fills defaults. Throws ConfigValidationError whose issues name each
 * field path (`instances.prod.database.session`) and the fix; literal secrets are rejected.
 */
export function validateConfig(raw: unknown, options: ValidateConfigOptions = {}): SupaopsConfig {
  const config = parseWith(configSchema, raw, 'supaops configuration', options);
  if (options.crossReferences !== false) {
    const issues = crossReferenceIssues(config);
    if (issues.length > 0) {
      throw new ConfigValidationError(
        'supaops configuration',
        issues,
        options.file ? { file: options.file } : {},
      );
    }
  }
  return config;
}

export function crossReferenceIssues(
  config: SupaopsConfig,
  origin: { defaultInstance?: string } = {},
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const instances = Object.keys(config.instances);
  const servers = Object.keys(config.dokployServers);
  if (config.defaultInstance !== undefined && !instances.includes(config.defaultInstance)) {
    const from = origin.defaultInstance ? ` (from ${origin.defaultInstance})` : '';
    issues.push({
      path: 'defaultInstance',
      message: `names "${config.defaultInstance}"${from}, which is not an instance. Fix: use one of ${list(instances)} or add the instance`,
    });
  }
  for (const [name, instance] of Object.entries(config.instances)) {
    const server = instance.dokploy?.server;
    if (server !== undefined && !servers.includes(server)) {
      issues.push({
        path: `instances.${name}.dokploy.server`,
        message: `names Dokploy server "${server}", which is not registered. Fix: add it under dokployServers (supaops dokploy add ${server} --url ... --api-key env:NAME) or use one of ${list(servers)}`,
      });
    }
  }
  return issues;
}

function list(names: string[]): string {
  return names.length ? names.map((n) => `"${n}"`).join(', ') : '(none registered)';
}
