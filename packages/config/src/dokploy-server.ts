import path from 'node:path';
import { z } from 'zod';
import { openConfiguredSecretStore } from './configured-secret-store.js';
import { DokployServerNotFoundError } from './errors.js';
import { parseWith } from './issues.js';
import { resolveSecret } from './resolve-secret.js';
import type {
  LoadedConfig,
  ResolveDokployServerOptions,
  ResolvedDokployServer,
  SecretStore,
} from './types.js';

const optionsSchema = z
  .strictObject({
    secretStore: z.custom<SecretStore>((v) => typeof v === 'object' && v !== null).optional(),
    passphrase: z.string().min(1).optional(),
  })
  .optional();

/**
 * A `dokployServers` entry by name (default: the only one) with its API key resolved. The secret
 * store is opened only for a `store:` key. No such server, none configured, or several and none
 * named: DokployServerNotFoundError listing the known names and the fix.
 */
export async function resolveDokployServer(
  loaded: LoadedConfig,
  name?: string,
  options?: ResolveDokployServerOptions,
): Promise<ResolvedDokployServer> {
  parseWith(z.string().min(1).optional(), name, 'Dokploy server name');
  const opts = parseWith(optionsSchema, options, 'resolveDokployServer options') ?? {};
  // a LoadedConfig built by hand may lack the (normally defaulted) map
  const servers = loaded.config.dokployServers ?? {};
  const known = Object.keys(servers);
  const chosen = name ?? (known.length === 1 ? known[0] : undefined);
  const server =
    chosen !== undefined && Object.hasOwn(servers, chosen) ? servers[chosen] : undefined;
  if (chosen === undefined || server === undefined) throw notFound(name, known, loaded.writePath);

  const ref = server.apiKey;
  const store = ref.startsWith('store:')
    ? (opts.secretStore ??
      (await openConfiguredSecretStore(
        loaded,
        opts.passphrase ? { passphrase: opts.passphrase } : {},
      )))
    : undefined;
  const apiKey = await resolveSecret(ref, {
    env: loaded.env,
    baseDir: path.dirname(loaded.writePath),
    ...(store ? { store } : {}),
  });
  return {
    name: chosen,
    url: server.url,
    apiKey,
    apiKeyRef: ref,
    ...(server.description !== undefined ? { description: server.description } : {}),
  };
}

function notFound(
  name: string | undefined,
  known: string[],
  file: string,
): DokployServerNotFoundError {
  const list = known.map((k) => `"${k}"`).join(', ');
  const where = `under "dokployServers" in ${file} ({ "url": "https://…", "apiKey": "env:NAME" }, or addDokployServer())`;
  if (name !== undefined) {
    return new DokployServerNotFoundError(
      name,
      known,
      `No Dokploy server "${name}" is configured (known: ${list || 'none'}). Fix: use one of the known names, or add it ${where}.`,
    );
  }
  return new DokployServerNotFoundError(
    undefined,
    known,
    known.length > 0
      ? `Several Dokploy servers are configured (${list}) and none was named. Fix: name one of them.`
      : `No Dokploy server is configured. Fix: add one ${where}.`,
  );
}
