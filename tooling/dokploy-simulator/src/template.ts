import { parse as parseToml } from 'toml';
import { generateDomain } from './domain-name.js';
import { processValue, processVariables, type TemplateSchema } from './template-helpers.js';

export { generateDomain, slugify } from './domain-name.js';
export { loadBundledTemplate, type SimTemplate } from './template-bundle.js';
export { generatePassword, processValue, type TemplateSchema } from './template-helpers.js';

export interface ProcessedTemplate {
  readonly envs: string[];
  readonly mounts: { filePath: string; content: string }[];
  /** `port` stays absent when the template has none: the domain row then takes the DB default 3000. */
  readonly domains: { host: string; port?: number; serviceName: string; path?: string }[];
}

interface TemplateConfig {
  variables?: Record<string, unknown>;
  config?: {
    env?: unknown;
    domains?: { serviceName?: unknown; port?: unknown; host?: unknown; path?: unknown }[];
    mounts?: { filePath?: unknown; content?: unknown }[];
  };
}

function envLines(
  env: unknown,
  variables: Record<string, string>,
  schema: TemplateSchema,
): string[] {
  if (!env || (typeof env === 'object' && Object.keys(env).length === 0)) return [];
  if (Array.isArray(env)) {
    return env.map((entry: unknown) => {
      if (typeof entry === 'string') return processValue(entry, variables, schema);
      if (entry && typeof entry === 'object') {
        const [key] = Object.keys(entry);
        if (key !== undefined) return `${key}=${String((entry as Record<string, unknown>)[key])}`;
      }
      return String(entry);
    });
  }
  return Object.entries(env as Record<string, unknown>).map(([key, value]) =>
    typeof value === 'string'
      ? `${key}=${processValue(value, variables, schema)}`
      : `${key}=${String(value)}`,
  );
}

/**
 * Runs a template (TOML config) through Dokploy's processors (templates/processors.ts
 * processTemplate): variables in two passes, then domains, env and mounts. `extraVariables`
 * are declared first (Dokploy injects `APP_NAME`).
 */
export function processTemplate(
  tomlText: string,
  schema: TemplateSchema,
  extraVariables: Record<string, string> = {},
): ProcessedTemplate {
  const parsed = parseToml(tomlText) as TemplateConfig;
  const variables = processVariables({ ...extraVariables, ...(parsed.variables ?? {}) }, schema);
  const config = parsed.config ?? {};
  const domains = config.domains ?? [];
  const mounts = config.mounts ?? [];
  return {
    envs: envLines(config.env, variables, schema),
    mounts: mounts.every((m) => !m.filePath && !m.content)
      ? []
      : mounts.map((m) => ({
          filePath: processValue(String(m.filePath ?? ''), variables, schema),
          content: processValue(String(m.content ?? ''), variables, schema),
        })),
    domains: domains.every((d) => !d.serviceName)
      ? []
      : domains.map((d) => ({
          host:
            typeof d.host === 'string' && d.host
              ? processValue(d.host, variables, schema)
              : generateDomain(schema.projectName, schema.serverIp, schema.version),
          serviceName: String(d.serviceName ?? ''),
          ...(d.port === undefined ? {} : { port: Number(d.port) }),
          ...(typeof d.path === 'string' ? { path: d.path } : {}),
        })),
  };
}
