import { type ConnectionTarget, renderUrl } from '@supaops/pg-connect';
import { z } from 'zod';
import { poolerConnectionStrings } from '../wizard/steps/summary.js';
import { DatabaseUnresolvedError } from './clone-errors.js';

/** What a database function is given: the Dokploy compose and its env (secrets included). */
export interface InstanceInfo {
  readonly composeId: string;
  readonly appName: string;
  readonly env: Readonly<Record<string, string>>;
}

type Resolved = string | ConnectionTarget;

/**
 * A database: a postgres:// URL, a pg-connect `ConnectionTarget` (`parseConnectionTarget`), or a
 * function of the instance that gives one. Without one, the instance's Supavisor session string.
 */
export type DatabaseRef = Resolved | ((instance: InstanceInfo) => Resolved | Promise<Resolved>);

const isTarget = (v: unknown): v is ConnectionTarget =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ConnectionTarget).host === 'string' &&
  typeof (v as ConnectionTarget).port === 'number' &&
  typeof (v as ConnectionTarget).database === 'string';

export const databaseRefSchema = z.union([
  z.string().min(1),
  z.custom<ConnectionTarget>(isTarget, 'a pg-connect ConnectionTarget'),
  z.custom<(instance: InstanceInfo) => Resolved>(
    (v) => typeof v === 'function',
    'a function of { composeId, appName, env }',
  ),
]);

function publicHost(env: Readonly<Record<string, string>>): string | undefined {
  if (env.SUPABASE_HOST) return env.SUPABASE_HOST;
  const url = env.SUPABASE_PUBLIC_URL ?? env.API_EXTERNAL_URL;
  try {
    return url ? new URL(url).hostname : undefined;
  } catch {
    return undefined;
  }
}

/** The instance's Supavisor session-mode string (5432, user `postgres.<tenant>`). */
export function sessionPoolerUrl(env: Readonly<Record<string, string>>, which: string): string {
  const host = publicHost(env);
  const tenantId = env.POOLER_TENANT_ID;
  const password = env.POSTGRES_PASSWORD;
  const missing = [
    ...(host ? [] : ['SUPABASE_HOST']),
    ...(tenantId ? [] : ['POOLER_TENANT_ID']),
    ...(password ? [] : ['POSTGRES_PASSWORD']),
  ];
  if (missing.length > 0)
    throw new DatabaseUnresolvedError(
      which,
      `its env lacks ${missing.join(', ')}, so no pooler string can be built.`,
    );
  return poolerConnectionStrings({
    host: host as string,
    tenantId: tenantId as string,
    password: password as string,
    ...(env.POSTGRES_DB ? { database: env.POSTGRES_DB } : {}),
  }).session;
}

/** Turns a DatabaseRef (or none) into a connection URL for the backup engine and the migrator. */
export async function resolveDatabase(
  ref: DatabaseRef | undefined,
  instance: InstanceInfo | undefined,
  which: string,
): Promise<string> {
  let value: Resolved;
  if (ref === undefined) {
    if (!instance) throw new DatabaseUnresolvedError(which, 'none was given.');
    return sessionPoolerUrl(instance.env, which);
  }
  if (typeof ref === 'function') {
    if (!instance)
      throw new DatabaseUnresolvedError(which, 'a function was given, but no instance to call it.');
    try {
      value = await ref(instance);
    } catch (cause) {
      throw new DatabaseUnresolvedError(which, 'the database function threw.', { cause });
    }
  } else value = ref;
  if (typeof value === 'string' && value.length > 0) return value;
  if (isTarget(value)) {
    try {
      return renderUrl(value);
    } catch (cause) {
      throw new DatabaseUnresolvedError(which, 'the target could not be written as a URL.', {
        cause,
      });
    }
  }
  throw new DatabaseUnresolvedError(
    which,
    'the database function gave neither a URL nor a target.',
  );
}
