import { z } from 'zod';
import { connectionStringForm, redactConnectionString } from './connection-string.js';
import { envSchema, parseWith } from './issues.js';
import { parseSecretRef } from './secret-ref.js';
import type { InstanceConfig, InstanceSummary, LoadedConfig } from './types.js';

const loadedSchema = z.looseObject({
  config: z.looseObject({ instances: z.record(z.string(), z.unknown()) }),
  env: envSchema,
});

/** Every instance without secret values, sorted by name: safe to print. */
export function listInstances(loaded: LoadedConfig): InstanceSummary[] {
  parseWith(loadedSchema, loaded, 'loaded config (from loadConfig)');
  const { config } = loaded;
  return Object.entries(config.instances)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, instance]) => summarize(name, instance, loaded));
}

function summarize(name: string, instance: InstanceConfig, loaded: LoadedConfig): InstanceSummary {
  const { labels = {} } = instance;
  const summary: InstanceSummary = {
    name,
    kind: instance.kind,
    production: labels.production === true,
    isDefault: loaded.config.defaultInstance === name,
    hasSession: instance.database?.session !== undefined || instance.kind === 'sandbox',
    hasTransaction: instance.database?.transaction !== undefined,
    labels: { ...labels },
  };
  if (instance.description !== undefined) summary.description = instance.description;
  if (instance.api) summary.apiUrl = instance.api.url;
  if (instance.dokploy) summary.dokploy = { ...instance.dokploy };
  const shown = displayableSession(instance.database?.session, loaded.env);
  if (shown !== undefined) summary.sessionUrlRedacted = redactConnectionString(shown);
  return summary;
}

// A literal URL, or one behind env: (cheap and synchronous to look at); file:/store: stay hidden.
function displayableSession(session: string | undefined, env: NodeJS.ProcessEnv) {
  if (session === undefined) return undefined;
  const ref = parseSecretRef(session);
  if (!ref) return session;
  if (ref.scheme !== 'env') return undefined;
  const value = env[ref.name];
  return value && connectionStringForm(value) ? value : undefined;
}
