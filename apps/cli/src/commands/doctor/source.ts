import type { DoctorResult } from '@supaops/selfhost';
import type { CommandContext, InstanceFlags } from '../../context.js';
import { CliError, usageError } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { isSecretName, readTextFile, resolvePath } from '../shared.js';

/** What the doctor looked at, for the report's header and the JSON document. */
export interface DoctorSource {
  source: 'file' | 'stdin' | 'instance';
  file?: string;
  instance?: string;
}

export interface DoctorRun extends DoctorSource {
  result: DoctorResult;
}

/** Env text read for the doctor; its secret values go to the redactor before anything prints. */
async function readEnv(
  ctx: CommandContext,
  file: string,
): Promise<{ text: string } & DoctorSource> {
  const fromStdin = file === '-';
  const text = fromStdin ? await ctx.readStdin('.env text') : await readTextFile(ctx, file);
  const { isSecretVariable, parseEnv, toEnvRecord } = await import('@supaops/selfhost');
  for (const [key, value] of Object.entries(toEnvRecord(parseEnv(text, { interpolate: false })))) {
    if (isSecretVariable(key) || isSecretName(key)) ctx.redactor.add(value);
  }
  return fromStdin
    ? { text, source: 'stdin' }
    : { text, source: 'file', file: resolvePath(ctx, file) };
}

/**
 * Offline: @supaops/selfhost's checks on an .env (`--db-url` adds the pool-size check against
 * that database). Nothing else is contacted.
 */
export async function doctorOffline(
  ctx: CommandContext,
  file: string,
  options: { database?: string | undefined; composeFile?: string | undefined },
): Promise<DoctorRun> {
  const env = await readEnv(ctx, file);
  const compose = options.composeFile ? await readTextFile(ctx, options.composeFile) : undefined;
  const { composeServiceNames, validateConfig, validateEnv } = await import('@supaops/selfhost');
  const services = compose === undefined ? {} : { services: composeServiceNames(compose) };
  const result = options.database
    ? await validateConfig({ env: env.text, database: options.database, ...services })
    : validateEnv(env.text, services);
  const { text: _text, ...source } = env;
  return { ...source, result };
}

/**
 * Online: the instance's Dokploy compose, read through @supaops/dokploy-client (env, compose
 * file, domains, names, version). The instance's database, when it resolves, adds the pool-size
 * check; `useDatabase: false` leaves it out.
 */
export async function doctorOnline(
  ctx: CommandContext,
  flags: InstanceFlags,
  useDatabase: boolean,
): Promise<DoctorRun> {
  const instance = await ctx.instance(flags, ['dokploy']);
  const dokploy = instance.dokploy;
  if (!dokploy) {
    throw new CliError(
      'INSTANCE_NO_DOKPLOY',
      `Instance "${instance.name}" has no Dokploy compose configured, so there is nothing to read online.`,
      {
        exitCode: EXIT_CODES.config,
        fix: `Check an .env instead (supaops doctor --env FILE), or give the instance "dokploy": { "server": NAME, "composeId": ID } and the server under "dokployServers" in ${(await ctx.config()).writePath}.`,
      },
    );
  }
  const [{ createDokployClient }, { validateConfig }] = await Promise.all([
    import('@supaops/dokploy-client'),
    import('@supaops/selfhost'),
  ]);
  const client = createDokployClient({
    baseUrl: dokploy.url,
    apiKey: dokploy.apiKey,
    secrets: [...instance.secrets],
    logger: { debug: (m) => ctx.debug(m), warn: (m) => ctx.warn(m) },
  });
  const database = useDatabase
    ? (instance.database.session ?? instance.database.transaction)
    : undefined;
  const result = await validateConfig({
    dokploy: client,
    composeId: dokploy.composeId,
    ...(database ? { database } : {}),
  });
  return { source: 'instance', instance: instance.name, result };
}

/** `--env FILE` (offline) or an instance (online), not both; `--db-url` goes with `--env`. */
export function assertOneSource(env: string | undefined, flags: InstanceFlags): void {
  if (env && flags.instance) {
    throw usageError(
      'DOCTOR_SOURCE_CONFLICT',
      'Both --env and --instance were given.',
      'Pass --env FILE to check an .env offline, or --instance NAME to read its Dokploy compose.',
    );
  }
  if (!env && flags.dbUrl) {
    throw usageError(
      'DOCTOR_DB_URL_NEEDS_ENV',
      '--db-url only adds the pool-size check to an offline run.',
      'Pass --env FILE with it, or --instance NAME to check a Dokploy compose.',
    );
  }
}
