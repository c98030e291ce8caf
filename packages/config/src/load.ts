import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile } from './config-file.js';
import { connectionStringForm } from './connection-string.js';
import { CONFIG_FILE_NAME, ENV_INSTANCE_NAME } from './constants.js';
import { ConfigFileError, type ConfigIssue, ConfigValidationError } from './errors.js';
import { envSchema, parseWith } from './issues.js';
import { absolutizeConfig, DEFAULT_MIGRATIONS_DIR, mergeConfigs } from './normalize.js';
import { supaopsPaths } from './paths.js';
import type { InstanceSelection, LoadConfigOptions, LoadedConfig, SupaopsConfig } from './types.js';
import { crossReferenceIssues, validateConfig } from './validate.js';

export { ENV_INSTANCE_NAME };

const optionsSchema = z
  .strictObject({
    cwd: z.string().min(1).optional(),
    env: envSchema.optional(),
    configPath: z.string().min(1).optional(),
    instance: z.string().min(1).optional(),
    instanceFrom: z.string().min(1).optional(),
  })
  .optional();

/**
 * Loads the configuration: SUPAOPS_CONFIG / configPath, else the nearest supaops.config.json
 * walking up from cwd, on top of the user file (<paths.config>/supaops.config.json); then the
 * environment: SUPAOPS_INSTANCE, SUPAOPS_DB_URL, SUPAOPS_AUDIT_LOG, SUPAOPS_SECRET_STORE.
 * Relative paths in a file are made absolute against that file's directory. The instance
 * selection (`instance` option > SUPAOPS_INSTANCE > SUPAOPS_DB_URL > defaultInstance) is recorded,
 * not checked: a name that is no instance fails in resolveInstance, only when it is used.
 */
export async function loadConfig(options?: LoadConfigOptions): Promise<LoadedConfig> {
  const opts = parseWith(optionsSchema, options, 'loadConfig options') ?? {};
  const env = options?.env ?? process.env;
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const paths = supaopsPaths(env);
  const userPath = path.join(paths.config, CONFIG_FILE_NAME);
  const applied: string[] = [];

  const explicit = opts.configPath ?? env.SUPAOPS_CONFIG;
  let projectPath: string | undefined;
  if (explicit) {
    projectPath = path.resolve(cwd, explicit);
    if (!opts.configPath) applied.push('SUPAOPS_CONFIG');
  } else {
    projectPath = await findUp(cwd, CONFIG_FILE_NAME);
    if (projectPath === userPath) projectPath = undefined;
  }

  const project = projectPath ? await loadFile(projectPath) : undefined;
  if (explicit && projectPath && !project) {
    const via = opts.configPath ? 'configPath' : 'SUPAOPS_CONFIG';
    throw new ConfigFileError(
      projectPath,
      `${projectPath} (from ${via}) does not exist. Fix: correct the path, or create the file (supaops init).`,
    );
  }
  const user = projectPath === userPath ? undefined : await loadFile(userPath);

  const empty: SupaopsConfig = { version: 1, instances: {}, dokployServers: {} };
  const config = mergeConfigs(user ?? empty, project ?? empty);
  const fileDefault = config.defaultInstance;
  const defaultFile = project?.defaultInstance !== undefined ? projectPath : userPath;
  const projectDir = projectPath ? path.dirname(projectPath) : cwd;
  applyEnv(config, env, cwd, projectDir, applied);

  const issues = crossReferenceIssues(config);
  if (issues.length > 0) {
    const files = [project && projectPath, user && userPath].filter(
      (f): f is string => typeof f === 'string',
    );
    throw new ConfigValidationError(
      'supaops configuration',
      issues,
      files.length ? { file: files.join(' + ') } : {},
    );
  }
  for (const instance of Object.values(config.instances)) {
    instance.migrationsDir ??= path.join(projectDir, DEFAULT_MIGRATIONS_DIR);
  }

  const sources: LoadedConfig['sources'] = { env: applied };
  if (project && projectPath) sources.project = projectPath;
  if (user) sources.user = userPath;
  const loaded: LoadedConfig = { config, sources, writePath: projectPath ?? userPath, paths, env };
  const selection = selectInstance(opts, env, fileDefault, defaultFile);
  if (selection) loaded.selection = selection;
  return loaded;
}

// Flags over environment over file. SUPAOPS_DB_URL selects its 'env' instance only when
// SUPAOPS_INSTANCE is unset, as it always has.
function selectInstance(
  opts: { instance?: string; instanceFrom?: string },
  env: NodeJS.ProcessEnv,
  fileDefault: string | undefined,
  defaultFile: string | undefined,
): InstanceSelection | undefined {
  if (opts.instance) {
    return {
      name: opts.instance,
      from: 'option',
      label: opts.instanceFrom ?? 'the instance option',
    };
  }
  if (env.SUPAOPS_INSTANCE) {
    return { name: env.SUPAOPS_INSTANCE, from: 'SUPAOPS_INSTANCE', label: 'SUPAOPS_INSTANCE' };
  }
  if (env.SUPAOPS_DB_URL) {
    return { name: ENV_INSTANCE_NAME, from: 'SUPAOPS_DB_URL', label: 'SUPAOPS_DB_URL' };
  }
  if (fileDefault !== undefined) {
    return {
      name: fileDefault,
      from: 'defaultInstance',
      label: defaultFile ? `defaultInstance in ${defaultFile}` : 'defaultInstance',
    };
  }
  return undefined;
}

async function loadFile(file: string): Promise<SupaopsConfig | undefined> {
  const raw = await readJsonFile(file);
  if (raw === undefined) return undefined;
  const config = validateConfig(raw, { crossReferences: false, file });
  return absolutizeConfig(config, path.dirname(file));
}

async function findUp(from: string, name: string): Promise<string | undefined> {
  let dir = from;
  // bounded by the depth of the path
  for (let i = 0; i < 256; i++) {
    const candidate = path.join(dir, name);
    try {
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // not here: go up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function applyEnv(
  config: SupaopsConfig,
  env: NodeJS.ProcessEnv,
  cwd: string,
  projectDir: string,
  applied: string[],
): void {
  const issues: ConfigIssue[] = [];
  const dbUrl = env.SUPAOPS_DB_URL;
  if (dbUrl) {
    if (connectionStringForm(dbUrl) === null) {
      issues.push({
        path: 'SUPAOPS_DB_URL',
        message:
          'is not a PostgreSQL connection string. Fix: set it to postgres://user:password@host:5432/postgres or unset it',
      });
    }
    // a reference, so the password never sits in the loaded config
    config.instances[ENV_INSTANCE_NAME] = {
      kind: 'self-hosted',
      description: 'from SUPAOPS_DB_URL',
      database: { session: 'env:SUPAOPS_DB_URL' },
      migrationsDir: path.join(projectDir, DEFAULT_MIGRATIONS_DIR),
    };
    applied.push('SUPAOPS_DB_URL');
  }
  const instance = env.SUPAOPS_INSTANCE;
  if (instance) {
    // A stale SUPAOPS_INSTANCE must not fail a run that names its instance: it shadows the
    // file's default, and resolveInstance reports it only when the default is used.
    if (Object.hasOwn(config.instances, instance)) config.defaultInstance = instance;
    else delete config.defaultInstance;
    applied.push('SUPAOPS_INSTANCE');
  } else if (dbUrl) {
    config.defaultInstance = ENV_INSTANCE_NAME;
  }
  const audit = env.SUPAOPS_AUDIT_LOG;
  if (audit) {
    config.audit =
      audit === 'off'
        ? { ...config.audit, enabled: false }
        : { ...config.audit, enabled: true, path: path.resolve(cwd, audit) };
    applied.push('SUPAOPS_AUDIT_LOG');
  }
  const store = env.SUPAOPS_SECRET_STORE;
  if (store) {
    config.secretStore = { ...config.secretStore, path: path.resolve(cwd, store) };
    applied.push('SUPAOPS_SECRET_STORE');
  }
  if (issues.length > 0) throw new ConfigValidationError('supaops environment', issues);
}
