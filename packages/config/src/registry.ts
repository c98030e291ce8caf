import { z } from 'zod';
import { readConfigFile } from './config-file.js';
import { ENV_INSTANCE_NAME } from './constants.js';
import { ConfigValidationError, InstanceNotFoundError } from './errors.js';
import { parseWith } from './issues.js';
import { dokployServerSchema, instanceSchema, NAME_FIX, NAME_PATTERN } from './schema.js';
import type { DokployServerConfig, InstanceConfig, LoadedConfig, SupaopsConfig } from './types.js';
import { writeConfigFile } from './write.js';

const nameSchema = z
  .string()
  .regex(NAME_PATTERN, { error: `is not a valid name. Fix: ${NAME_FIX}` });
const addOptionsSchema = z
  .strictObject({ replace: z.boolean().optional(), default: z.boolean().optional() })
  .optional();
const setDefaultOptionsSchema = z
  .strictObject({
    loaded: z
      .custom<LoadedConfig>(
        (v) =>
          typeof v === 'object' && v !== null && typeof (v as LoadedConfig).config === 'object',
        { error: 'must be the result of loadConfig()' },
      )
      .optional(),
  })
  .optional();

/**
 * Adds (or with `replace`, replaces) an instance in the file at `path`, creating the file.
 * With `default: true` it also becomes the file's defaultInstance, in the same write.
 */
export async function addInstance(
  path: string,
  name: string,
  instance: InstanceConfig,
  opts?: { replace?: boolean; default?: boolean },
): Promise<SupaopsConfig> {
  const valid = validateEntry(name, instance, opts, instanceSchema, 'instances');
  const config = await readConfigFile(path, { missingOk: true });
  refuseExisting(config.instances, name, opts, 'instances', 'instance', path);
  config.instances[name] = valid;
  if (opts?.default) config.defaultInstance = name;
  await writeConfigFile(path, config);
  return config;
}

/**
 * Sets (a name) or clears (undefined) the defaultInstance of the file at `path`. The name must be
 * an instance of that file, or, with `opts.loaded`, of the loaded configuration (a project file
 * may make an instance of the user file its default); the SUPAOPS_DB_URL 'env' instance lives in
 * no file and is refused. Clearing a file that does not exist writes nothing.
 */
export async function setDefaultInstance(
  path: string,
  name: string | undefined,
  opts?: { loaded?: LoadedConfig },
): Promise<SupaopsConfig> {
  parseWith(z.string().min(1), path, 'config file path');
  if (name !== undefined) parseWith(nameSchema, name, 'instance name');
  const { loaded } = parseWith(setDefaultOptionsSchema, opts, 'options') ?? {};
  const config = await readConfigFile(path, { missingOk: true });
  if (name === undefined) {
    // nothing to clear (a missing file reads as empty): leave the file untouched
    if (config.defaultInstance === undefined) return config;
    delete config.defaultInstance;
  } else {
    const known = new Set(Object.keys(config.instances));
    for (const other of Object.keys(loaded?.config.instances ?? {})) {
      const fromEnv = other === ENV_INSTANCE_NAME && loaded?.sources.env.includes('SUPAOPS_DB_URL');
      if (!fromEnv) known.add(other);
    }
    if (!known.has(name)) {
      const list = [...known].map((k) => `"${k}"`).join(', ') || 'none';
      throw new InstanceNotFoundError(
        name,
        [...known],
        `Cannot make "${name}" the default instance in ${path}: no such instance (known: ${list}). Fix: use one of the known names, or add it first (supaops instances add ${name} ...).`,
      );
    }
    config.defaultInstance = name;
  }
  await writeConfigFile(path, config);
  return config;
}

/** Removes an instance (and `defaultInstance` when it named it) from the file at `path`. */
export async function removeInstance(path: string, name: string): Promise<SupaopsConfig> {
  parseWith(nameSchema, name, 'instance name');
  const config = await readConfigFile(path, { missingOk: true });
  if (!(name in config.instances)) throw notFound('instance', name, config.instances, path);
  delete config.instances[name];
  if (config.defaultInstance === name) delete config.defaultInstance;
  await writeConfigFile(path, config);
  return config;
}

/** Registers (or with `replace`, replaces) a Dokploy server; several may be registered. */
export async function addDokployServer(
  path: string,
  name: string,
  server: DokployServerConfig,
  opts?: { replace?: boolean },
): Promise<SupaopsConfig> {
  const valid = validateEntry(name, server, opts, dokployServerSchema, 'dokployServers');
  const config = await readConfigFile(path, { missingOk: true });
  refuseExisting(config.dokployServers, name, opts, 'dokployServers', 'Dokploy server', path);
  config.dokployServers[name] = valid;
  await writeConfigFile(path, config);
  return config;
}

/** Removes a Dokploy server no instance of the file uses. */
export async function removeDokployServer(path: string, name: string): Promise<SupaopsConfig> {
  parseWith(nameSchema, name, 'Dokploy server name');
  const config = await readConfigFile(path, { missingOk: true });
  if (!(name in config.dokployServers)) {
    throw notFound('Dokploy server', name, config.dokployServers, path);
  }
  const users = Object.entries(config.instances)
    .filter(([, instance]) => instance.dokploy?.server === name)
    .map(([instanceName]) => instanceName);
  if (users.length > 0) {
    throw new ConfigValidationError('removal', [
      {
        path: `dokployServers.${name}`,
        message: `is used by instance${users.length > 1 ? 's' : ''} ${users.map((u) => `"${u}"`).join(', ')}. Fix: remove ${users.length > 1 ? 'them' : 'it'} first or point ${users.length > 1 ? 'them' : 'it'} at another server`,
      },
    ]);
  }
  delete config.dokployServers[name];
  await writeConfigFile(path, config);
  return config;
}

function validateEntry<T>(
  name: string,
  value: unknown,
  opts: unknown,
  schema: z.ZodType<T>,
  section: string,
): T {
  parseWith(nameSchema, name, 'name', { prefix: [section] });
  parseWith(addOptionsSchema, opts, 'options');
  return parseWith(schema, value, section === 'instances' ? 'instance' : 'Dokploy server', {
    prefix: [section, name],
  });
}

function refuseExisting(
  records: Record<string, unknown>,
  name: string,
  opts: { replace?: boolean } | undefined,
  section: string,
  what: string,
  file: string,
): void {
  if (name in records && !opts?.replace) {
    throw new ConfigValidationError(
      what,
      [
        {
          path: `${section}.${name}`,
          message: `already exists. Fix: pass { replace: true } (--replace) to overwrite it, or choose another name`,
        },
      ],
      { file },
    );
  }
}

function notFound(
  what: string,
  name: string,
  records: Record<string, unknown>,
  file: string,
): InstanceNotFoundError {
  const known = Object.keys(records);
  const list = known.length ? known.map((k) => `"${k}"`).join(', ') : 'none';
  return new InstanceNotFoundError(
    name,
    known,
    `No ${what} "${name}" in ${file} (known: ${list}). Fix: use one of the known names.`,
  );
}
