import path from 'node:path';
import { z } from 'zod';
import {
  connectionStringForm,
  connectionStringPassword,
  withPassword,
} from './connection-string.js';
import { ConfigValidationError, InstanceNotFoundError } from './errors.js';
import { parseWith } from './issues.js';
import { DEFAULT_MIGRATIONS_DIR } from './normalize.js';
import { resolveSecret } from './resolve-secret.js';
import { isSecretRef } from './secret-ref.js';
import { openSecretStore } from './secret-store.js';
import type {
  InstanceConfig,
  LoadedConfig,
  ResolvedInstance,
  ResolveOptions,
  SecretStore,
} from './types.js';

/** The instance a missing name falls back to when `allowSandboxDefault` is set. */
export const SANDBOX_INSTANCE_NAME = 'sandbox';

const optionsSchema = z
  .strictObject({
    sandbox: z.function().optional(),
    allowSandboxDefault: z.boolean().optional(),
    secretStore: z.custom<SecretStore>((v) => typeof v === 'object' && v !== null).optional(),
    passphrase: z.string().min(1).optional(),
  })
  .optional();

/**
 * An instance with every secret resolved. `name` undefined -> config.defaultInstance -> the only
 * instance -> the sandbox (with allowSandboxDefault) -> InstanceNotFoundError with the fix.
 */
export async function resolveInstance(
  loaded: LoadedConfig,
  name: string | undefined,
  options: ResolveOptions = {},
): Promise<ResolvedInstance> {
  parseWith(z.string().min(1).optional(), name, 'instance name');
  const opts = parseWith(optionsSchema, options, 'resolveInstance options') ?? {};
  const { config } = loaded;
  const known = Object.keys(config.instances);
  const chosen = name ?? config.defaultInstance ?? (known.length === 1 ? known[0] : undefined);
  const instance = chosen === undefined ? undefined : config.instances[chosen];

  if (!instance) {
    const sandboxFallback =
      options.sandbox &&
      ((chosen === undefined && opts.allowSandboxDefault) || chosen === SANDBOX_INSTANCE_NAME);
    if (sandboxFallback) {
      return resolveWith(loaded, SANDBOX_INSTANCE_NAME, { kind: 'sandbox' }, options, opts);
    }
    throw notFound(chosen, known);
  }
  return resolveWith(loaded, chosen as string, instance, options, opts);
}

async function resolveWith(
  loaded: LoadedConfig,
  name: string,
  instance: InstanceConfig,
  options: ResolveOptions,
  opts: { secretStore?: SecretStore; passphrase?: string },
): Promise<ResolvedInstance> {
  const baseDir = path.dirname(loaded.writePath);
  const secrets: string[] = [];
  let store: Promise<SecretStore> | undefined;
  const getStore = () => {
    store ??= opts.secretStore
      ? Promise.resolve(opts.secretStore)
      : openSecretStore({
          ...(loaded.config.secretStore?.path ? { path: loaded.config.secretStore.path } : {}),
          ...(loaded.config.secretStore?.keyEnv
            ? { keyEnv: loaded.config.secretStore.keyEnv }
            : {}),
          ...(opts.passphrase ? { passphrase: opts.passphrase } : {}),
          env: loaded.env,
        });
    return store;
  };
  const secret = async (ref: string, record = true): Promise<string> => {
    const needsStore = ref.startsWith('store:');
    const value = await resolveSecret(ref, {
      env: loaded.env,
      baseDir,
      ...(needsStore ? { store: await getStore() } : {}),
    });
    if (record) secrets.push(value);
    return value;
  };
  const optionalSecret = async (ref: string | undefined) =>
    ref === undefined ? undefined : secret(ref);
  const connection = async (value: string | undefined, passwordRef: string | undefined) => {
    if (value === undefined) return undefined;
    // only the password of a connection string is a secret: hosts stay readable in output
    let url = isSecretRef(value) ? await secret(value, false) : value;
    const inUrl = connectionStringPassword(url);
    if (inUrl !== undefined) secrets.push(inUrl);
    else if (passwordRef !== undefined) url = withPassword(url, await secret(passwordRef));
    return url;
  };

  const labels = { ...(instance.labels ?? {}) };
  const resolved: ResolvedInstance = {
    name,
    kind: instance.kind,
    production: labels.production === true,
    labels,
    database: {},
    migrationsDir: path.resolve(
      baseDir,
      instance.migrationsDir ?? path.join(process.cwd(), DEFAULT_MIGRATIONS_DIR),
    ),
    allowServiceKey: instance.allowServiceKey === true,
    secrets,
  };

  if (instance.kind === 'sandbox' && !instance.database?.session) {
    if (!options.sandbox) {
      throw new ConfigValidationError('resolveInstance options', [
        {
          path: 'sandbox',
          message: `is required: instance "${name}" is a sandbox. Fix: pass options.sandbox (e.g. () => startSandbox() from @supaops/sandbox)`,
        },
      ]);
    }
    const sandbox = await options.sandbox();
    const password = connectionStringPassword(sandbox.url);
    if (password !== undefined) secrets.push(password);
    resolved.database.session = sandbox.url;
  } else {
    const session = await connection(instance.database?.session, instance.database?.password);
    const transaction = await connection(
      instance.database?.transaction,
      instance.database?.password,
    );
    if (session !== undefined) resolved.database.session = session;
    if (transaction !== undefined) resolved.database.transaction = transaction;
  }

  if (instance.api) {
    const { url, ...keys } = instance.api;
    const api: NonNullable<ResolvedInstance['api']> = { url };
    for (const [key, ref] of Object.entries(keys) as [keyof typeof keys, string | undefined][]) {
      const value = await optionalSecret(ref);
      if (value !== undefined) api[key] = value;
    }
    resolved.api = api;
  }

  if (instance.dokploy) {
    const serverName = instance.dokploy.server;
    const server = loaded.config.dokployServers[serverName];
    if (!server) {
      const servers = Object.keys(loaded.config.dokployServers);
      throw new InstanceNotFoundError(
        serverName,
        servers,
        `Instance "${name}" uses Dokploy server "${serverName}", which is not registered (known: ${servers.join(', ') || 'none'}). Fix: supaops dokploy add ${serverName} --url ... --api-key env:NAME.`,
      );
    }
    resolved.dokploy = {
      serverName,
      url: server.url,
      apiKey: await secret(server.apiKey),
      composeId: instance.dokploy.composeId,
    };
  }

  if (instance.backups) {
    const { storage, encryptionKey, retention } = instance.backups;
    const backups: NonNullable<ResolvedInstance['backups']> = {
      storage:
        storage.type === 'local'
          ? { type: 'local', dir: path.resolve(baseDir, storage.dir) }
          : { ...storage },
    };
    if (storage.type === 's3' && backups.storage.type === 's3') {
      const accessKeyId = await optionalSecret(storage.accessKeyId);
      const secretAccessKey = await optionalSecret(storage.secretAccessKey);
      if (accessKeyId === undefined) delete backups.storage.accessKeyId;
      else backups.storage.accessKeyId = accessKeyId;
      if (secretAccessKey === undefined) delete backups.storage.secretAccessKey;
      else backups.storage.secretAccessKey = secretAccessKey;
    }
    const key = await optionalSecret(encryptionKey);
    if (key !== undefined) backups.encryptionKey = key;
    if (retention) backups.retention = { ...retention };
    resolved.backups = backups;
  }
  resolved.secrets = [...new Set(secrets)].filter((s) => s.length > 0);
  return resolved;
}

function notFound(chosen: string | undefined, known: string[]): InstanceNotFoundError {
  const list = known.map((k) => `"${k}"`).join(', ');
  if (chosen !== undefined) {
    return new InstanceNotFoundError(
      chosen,
      known,
      `No instance "${chosen}" is configured (known: ${list || 'none'}). Fix: use one of the known names, or add it (supaops instance add ${chosen} ...).`,
    );
  }
  return new InstanceNotFoundError(
    undefined,
    known,
    known.length > 0
      ? `Several instances are configured (${list}) and none is the default. Fix: name one (--instance NAME or SUPAOPS_INSTANCE), or set defaultInstance in the config.`
      : 'No instance is configured. Fix: add one (supaops instance add NAME ...), set SUPAOPS_DB_URL, or pass --db-url.',
  );
}

const adHocSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    migrationsDir: z.string().min(1).optional(),
    cwd: z.string().min(1).optional(),
  })
  .optional();

/** An instance for a connection string given on the command line (--db-url); nothing is read. */
export function adHocInstance(
  url: string,
  options?: { name?: string; migrationsDir?: string; cwd?: string },
): ResolvedInstance {
  parseWith(z.string(), url, 'connection string');
  const opts = parseWith(adHocSchema, options, 'adHocInstance options') ?? {};
  if (connectionStringForm(url) === null) {
    throw new ConfigValidationError('connection string', [
      {
        path: 'url',
        message:
          'is not a PostgreSQL connection string. Fix: pass postgres://user:password@host:5432/postgres',
      },
    ]);
  }
  const password = connectionStringPassword(url);
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  return {
    name: opts.name ?? 'db-url',
    kind: 'self-hosted',
    production: false,
    labels: {},
    database: { session: url },
    migrationsDir: path.resolve(cwd, opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR),
    allowServiceKey: false,
    secrets: password === undefined || password === '' ? [] : [password],
  };
}
