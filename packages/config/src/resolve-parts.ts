import path from 'node:path';
import { openConfiguredSecretStore } from './configured-secret-store.js';
import { connectionStringPassword, withPassword } from './connection-string.js';
import { ConfigValidationError, InstanceNotFoundError } from './errors.js';
import { DEFAULT_MIGRATIONS_DIR } from './normalize.js';
import { redactString } from './redact.js';
import { resolveSecret } from './resolve-secret.js';
import { isSecretRef } from './secret-ref.js';
import type {
  InstanceConfig,
  InstancePart,
  LoadedConfig,
  ResolvedInstance,
  ResolveOptions,
  SecretStore,
  UnresolvedField,
} from './types.js';

export interface PartOptions {
  sandbox?: ResolveOptions['sandbox'];
  secretStore?: SecretStore;
  passphrase?: string;
  need?: InstancePart[];
}

/**
 * Resolves the references of one instance part by part. A failure in a needed part is thrown;
 * in any other part it becomes a note in `unresolved` and the part is left out whole, so a
 * half-resolved part (backups without their encryption key, say) is never mistaken for a
 * complete one.
 */
class PartResolver {
  readonly secrets: string[] = [];
  readonly unresolved: UnresolvedField[] = [];
  readonly #failed = new Set<InstancePart>();
  readonly #baseDir: string;
  #store: Promise<SecretStore> | undefined;

  constructor(
    readonly loaded: LoadedConfig,
    readonly options: PartOptions,
  ) {
    this.#baseDir = path.dirname(loaded.writePath);
  }

  get baseDir(): string {
    return this.#baseDir;
  }

  needed(part: InstancePart): boolean {
    return this.options.need?.includes(part) === true;
  }

  failed(part: InstancePart): boolean {
    return this.#failed.has(part);
  }

  note(field: string, reason: string, code?: string): void {
    const entry: UnresolvedField = { field, reason: redactString(reason, this.secrets) };
    if (code !== undefined) entry.code = code;
    this.unresolved.push(entry);
  }

  async attempt<T>(
    part: InstancePart,
    field: string,
    fn: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      if (this.needed(part)) throw error;
      this.#failed.add(part);
      const code = (error as { code?: unknown }).code;
      this.note(field, (error as Error).message, typeof code === 'string' ? code : undefined);
      return undefined;
    }
  }

  async secret(ref: string, record = true): Promise<string> {
    const value = await resolveSecret(ref, {
      env: this.loaded.env,
      baseDir: this.#baseDir,
      ...(ref.startsWith('store:') ? { store: await this.#openStore() } : {}),
    });
    if (record) this.secrets.push(value);
    return value;
  }

  #openStore(): Promise<SecretStore> {
    this.#store ??= this.options.secretStore
      ? Promise.resolve(this.options.secretStore)
      : openConfiguredSecretStore(
          this.loaded,
          this.options.passphrase ? { passphrase: this.options.passphrase } : {},
        );
    return this.#store;
  }
}

export async function resolveParts(
  loaded: LoadedConfig,
  name: string,
  instance: InstanceConfig,
  options: PartOptions,
): Promise<ResolvedInstance> {
  const r = new PartResolver(loaded, options);
  const labels = { ...(instance.labels ?? {}) };
  const resolved: ResolvedInstance = {
    name,
    kind: instance.kind,
    production: labels.production === true,
    labels,
    database: await database(r, name, instance),
    migrationsDir: path.resolve(
      r.baseDir,
      instance.migrationsDir ?? path.join(process.cwd(), DEFAULT_MIGRATIONS_DIR),
    ),
    allowServiceKey: instance.allowServiceKey === true,
    secrets: r.secrets,
  };
  const api = await apiPart(r, instance);
  if (api) resolved.api = api;
  const dokploy = await dokployPart(r, name, instance);
  if (dokploy) resolved.dokploy = dokploy;
  const backups = await backupsPart(r, instance);
  if (backups) resolved.backups = backups;
  resolved.secrets = [...new Set(r.secrets)].filter((s) => s.length > 0);
  if (r.unresolved.length > 0) resolved.unresolved = r.unresolved;
  return resolved;
}

async function database(
  r: PartResolver,
  name: string,
  instance: InstanceConfig,
): Promise<ResolvedInstance['database']> {
  if (instance.kind === 'sandbox' && !instance.database?.session) {
    return sandboxDatabase(r, name);
  }
  const db = instance.database ?? {};
  const urls: { session?: string; transaction?: string } = {};
  for (const key of ['session', 'transaction'] as const) {
    const value = db[key];
    if (value === undefined) continue;
    // only the password of a connection string is a secret: hosts stay readable in output
    const url = isSecretRef(value)
      ? await r.attempt('database', `database.${key}`, () => r.secret(value, false))
      : value;
    if (url !== undefined) urls[key] = url;
  }
  const passwordRef = db.password;
  let password: string | undefined;
  const lacking = Object.values(urls).some((url) => connectionStringPassword(url) === undefined);
  if (lacking && passwordRef !== undefined) {
    password = await r.attempt('database', 'database.password', () => r.secret(passwordRef));
  }
  const out: ResolvedInstance['database'] = {};
  for (const [key, url] of Object.entries(urls) as ['session' | 'transaction', string][]) {
    const inUrl = connectionStringPassword(url);
    if (inUrl !== undefined) r.secrets.push(inUrl);
    out[key] = inUrl === undefined && password !== undefined ? withPassword(url, password) : url;
  }
  return r.failed('database') ? {} : out;
}

async function sandboxDatabase(r: PartResolver, name: string) {
  // starting a server is not a lookup: done only when the database is wanted
  if (r.options.need && !r.needed('database')) {
    r.note(
      'database.session',
      `not resolved: instance "${name}" is a sandbox, which is started only when "database" is in need.`,
    );
    return {};
  }
  const url = await r.attempt('database', 'database.session', async () => {
    if (!r.options.sandbox) {
      throw new ConfigValidationError('resolveInstance options', [
        {
          path: 'sandbox',
          message: `is required: instance "${name}" is a sandbox. Fix: pass options.sandbox (e.g. () => startSandbox() from @supaops/sandbox)`,
        },
      ]);
    }
    return (await r.options.sandbox()).url;
  });
  if (url === undefined) return {};
  const password = connectionStringPassword(url);
  if (password !== undefined) r.secrets.push(password);
  return { session: url };
}

async function apiPart(r: PartResolver, instance: InstanceConfig) {
  if (!instance.api) return undefined;
  const { url, ...keys } = instance.api;
  const api: NonNullable<ResolvedInstance['api']> = { url };
  for (const [key, ref] of Object.entries(keys) as [keyof typeof keys, string | undefined][]) {
    if (ref === undefined) continue;
    const value = await r.attempt('api', `api.${key}`, () => r.secret(ref));
    if (value !== undefined) api[key] = value;
  }
  return r.failed('api') ? undefined : api;
}

async function dokployPart(r: PartResolver, name: string, instance: InstanceConfig) {
  if (!instance.dokploy) return undefined;
  const { server: serverName, composeId } = instance.dokploy;
  const servers = r.loaded.config.dokployServers;
  const server = Object.hasOwn(servers, serverName) ? servers[serverName] : undefined;
  if (!server) {
    await r.attempt('dokploy', 'dokploy.server', async () => {
      const known = Object.keys(servers);
      throw new InstanceNotFoundError(
        serverName,
        known,
        `Instance "${name}" uses Dokploy server "${serverName}", which is not registered (known: ${known.join(', ') || 'none'}). Fix: supaops dokploy add ${serverName} --url ... --api-key env:NAME.`,
      );
    });
    return undefined;
  }
  const apiKey = await r.attempt('dokploy', 'dokploy.apiKey', () => r.secret(server.apiKey));
  if (apiKey === undefined) return undefined;
  return { serverName, url: server.url, apiKey, composeId };
}

async function backupsPart(r: PartResolver, instance: InstanceConfig) {
  if (!instance.backups) return undefined;
  const { storage, encryptionKey, retention } = instance.backups;
  const backups: NonNullable<ResolvedInstance['backups']> = {
    storage:
      storage.type === 'local'
        ? { type: 'local', dir: path.resolve(r.baseDir, storage.dir) }
        : { ...storage },
  };
  if (storage.type === 's3' && backups.storage.type === 's3') {
    const s3 = backups.storage;
    for (const key of ['accessKeyId', 'secretAccessKey'] as const) {
      const ref = storage[key];
      delete s3[key];
      if (ref === undefined) continue;
      const value = await r.attempt('backups', `backups.storage.${key}`, () => r.secret(ref));
      if (value !== undefined) s3[key] = value;
    }
  }
  if (encryptionKey !== undefined) {
    const key = await r.attempt('backups', 'backups.encryptionKey', () => r.secret(encryptionKey));
    if (key !== undefined) backups.encryptionKey = key;
  }
  if (retention) backups.retention = { ...retention };
  return r.failed('backups') ? undefined : backups;
}
