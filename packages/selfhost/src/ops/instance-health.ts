import type { DokployClient } from '@supaops/dokploy-client';
import { z } from 'zod';
import { parseEnv, toEnvRecord } from '../env/parse.js';
import { parseInput } from '../errors.js';
import type { ContainerHealth } from '../validate/containers.js';
import type { DeploymentCheck } from '../validate/http-checks.js';
import { validateDeployment } from '../validate/validate-deployment.js';
import type { ServiceLogs } from '../workflow-errors.js';
import { callOf, clientSchema, fetchSchema, signalSchema } from './common.js';
import { type ConnectionPressure, checkHealth, connectionPressure } from './health.js';

/** The parts an instance's health is made of; each is checked only when configured. */
export type InstancePart = 'dokploy' | 'api' | 'database';

export interface InstanceHealthInput {
  /** A Dokploy-backed instance: container states and health (checkHealth). */
  dokploy?: { client: DokployClient; composeId: string };
  /** The instance's database (URL, pg-connect target or pool): connection pressure. */
  database?: unknown;
  /** The API gateway: the HTTP checks with these keys (without serviceKey, the anon ones only). */
  api?: {
    url: string;
    anonKey?: string;
    serviceKey?: string;
    /** `sb_publishable_…`: used as the anon credential when there is no anonKey. */
    publishableKey?: string;
    /** `sb_secret_…`: used as the service credential when there is no serviceKey. */
    secretKey?: string;
  };
  /** Percent of max_connections that counts as critical (default 90). */
  criticalPercent?: number;
  /** The pooler's pool size for the pool advice (default: the Dokploy env's, when there is one). */
  poolerDefaultPoolSize?: number;
  fetch?: typeof fetch;
  /** HTTP checks' attempts while transient failures last (default 1). */
  attempts?: number;
  retryMs?: number;
  signal?: AbortSignal;
  /** The clock of `checkedAt` (tests). */
  now?: () => Date;
}

/** How one part went: checked (and its outcome) or why it was not. */
export interface InstancePartStatus {
  readonly checked: boolean;
  readonly ok?: boolean;
  readonly reason?: string;
}

export interface InstanceHealthReport {
  /** Every configured part passed; a part that was not configured does not count. */
  readonly ok: boolean;
  /** Every check in part order: containers, the HTTP checks, connections (or database). */
  readonly checks: DeploymentCheck[];
  readonly parts: Readonly<Record<InstancePart, InstancePartStatus>>;
  readonly containers?: ContainerHealth[];
  readonly connections?: ConnectionPressure;
  readonly database?: { readonly reachable: false; readonly reason: string };
  readonly publicUrl?: string;
  readonly composeId?: string;
  readonly appName?: string;
  /** With Dokploy and a failing check: the logs of the services it points at. */
  readonly logs: ServiceLogs[];
  /** What did not run, and why (`api: not configured`, …). */
  readonly skipped: string[];
  readonly checkedAt: string;
}

const schema = z
  .object({
    dokploy: z
      .object({ client: clientSchema, composeId: z.string().min(1) })
      .strict()
      .optional(),
    database: z.unknown().optional(),
    api: z
      .object({
        url: z.url({ protocol: /^https?$/ }),
        anonKey: z.string().min(1).optional(),
        serviceKey: z.string().min(1).optional(),
        publishableKey: z.string().min(1).optional(),
        secretKey: z.string().min(1).optional(),
      })
      .strict()
      .refine((a) => a.anonKey !== undefined || a.publishableKey !== undefined, {
        message: 'give anonKey or publishableKey: the checks need an anon credential',
        path: ['anonKey'],
      })
      .optional(),
    criticalPercent: z.number().min(1).max(100).optional(),
    poolerDefaultPoolSize: z.number().int().min(1).optional(),
    fetch: fetchSchema.optional(),
    attempts: z.number().int().min(1).max(100).optional(),
    retryMs: z.number().int().min(0).optional(),
    signal: signalSchema.optional(),
    now: z.custom<() => Date>((v) => typeof v === 'function').optional(),
  })
  .strict()
  .refine((v) => v.dokploy || v.api || v.database !== undefined, {
    message: 'give at least one of dokploy, api or database',
  });

type Parsed = z.output<typeof schema>;

/** The checks that need the service key (dropped when only the anon key is known). */
const SERVICE_KEY_CHECKS = [
  'rest-service',
  'rest-privileges-differ',
  'auth-admin',
  'storage-buckets',
];

interface PartResult {
  checks: DeploymentCheck[];
  skipped: string[];
  containers?: ContainerHealth[];
  logs?: ServiceLogs[];
  appName?: string;
  publicUrl?: string;
  poolSize?: number;
}

function httpOptions(o: Parsed) {
  return {
    attempts: o.attempts ?? 1,
    ...(o.retryMs !== undefined ? { retryMs: o.retryMs } : {}),
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  };
}

/** The API part, with Dokploy's containers too when both are configured (one validation). */
async function apiAndContainers(o: Parsed): Promise<PartResult> {
  const api = o.api as NonNullable<Parsed['api']>;
  const skipped: string[] = [];
  // Kong takes the sb_ keys as credentials of the same consumers and signs the request itself
  const anonKey = (api.anonKey ?? api.publishableKey) as string;
  const serviceKey = api.serviceKey ?? api.secretKey;
  const report = await validateDeployment({
    publicUrl: api.url,
    anonKey,
    serviceKey: serviceKey ?? anonKey,
    ...(o.dokploy ? { client: o.dokploy.client, composeId: o.dokploy.composeId } : {}),
    ...httpOptions(o),
  });
  let checks = report.checks;
  if (!serviceKey) {
    checks = checks.filter((c) => !SERVICE_KEY_CHECKS.includes(c.name));
    skipped.push(`api: no service key was given, so ${SERVICE_KEY_CHECKS.join(', ')} did not run`);
  }
  return {
    checks,
    skipped,
    ...(report.containers ? { containers: report.containers } : {}),
    logs: report.logs,
    publicUrl: report.publicUrl,
  };
}

async function dokployPart(o: Parsed): Promise<PartResult> {
  const { client, composeId } = o.dokploy as NonNullable<Parsed['dokploy']>;
  try {
    const compose = await client.compose.one({ composeId }, callOf(o.signal));
    const env = toEnvRecord(parseEnv(compose.env ?? '', { interpolate: false }));
    const pool = Number(env.POOLER_DEFAULT_POOL_SIZE);
    const base = {
      appName: compose.appName,
      ...(Number.isInteger(pool) && pool > 0 ? { poolSize: pool } : {}),
    };
    if (o.api) return { ...base, ...(await apiAndContainers(o)) };
    const health = await checkHealth({ client, composeId, ...httpOptions(o) });
    return {
      ...base,
      checks: health.checks,
      containers: health.containers,
      // the database and the API are parts of their own here
      skipped: health.skipped.filter((x) => !/^(connections|http):/.test(x)),
      ...(health.checks.length > 1 && env.SUPABASE_PUBLIC_URL
        ? { publicUrl: env.SUPABASE_PUBLIC_URL }
        : {}),
    };
  } catch (error) {
    if (o.signal?.aborted) throw error;
    const failed: DeploymentCheck = {
      name: 'dokploy',
      ok: false,
      reason: `Dokploy could not be read for compose ${composeId}: ${(error as Error).message}`,
    };
    if (!o.api) return { checks: [failed], skipped: [] };
    // the gateway can still be checked on its own
    const api = await apiAndContainers({ ...o, dokploy: undefined });
    return { ...api, checks: [failed, ...api.checks] };
  }
}

async function databasePart(
  o: Parsed,
  poolSize: number | undefined,
): Promise<{ check: DeploymentCheck } & Awaited<ReturnType<typeof connectionPressure>>> {
  const pressure = await connectionPressure(o.database, {
    criticalPercent: o.criticalPercent,
    poolerDefaultPoolSize: o.poolerDefaultPoolSize ?? poolSize,
  });
  if ('reason' in pressure)
    return {
      ...pressure,
      check: {
        name: 'database',
        ok: false,
        reason: `the database is not reachable: ${pressure.reason}`,
      },
    };
  const c = pressure.connections;
  return {
    ...pressure,
    check: {
      name: 'connections',
      ok: c.level !== 'critical',
      reason: `${c.used} of ${c.maxConnections} connections in use (${c.percentUsed} %, ${c.level})`,
    },
  };
}

/**
 * The health of any configured instance, not only a Dokploy-backed one: whichever of its parts
 * are configured — Dokploy's containers (checkHealth), the API gateway's HTTP checks with the
 * given keys (those of validateDeployment: GoTrue, PostgREST with both keys and different
 * privileges, the admin API, Storage), and the database's connection pressure through
 * pg-connect — in one report. Never throws for an unhealthy or unreachable part: it is a
 * failing check; a part not configured is in `skipped` and does not count.
 */
export async function checkInstanceHealth(
  input: InstanceHealthInput,
): Promise<InstanceHealthReport> {
  const o = parseInput('checkInstanceHealth', schema, input);
  const skipped: string[] = [];
  const parts: Record<InstancePart, InstancePartStatus> = {
    dokploy: { checked: false, reason: 'not configured (no dokploy { client, composeId } given)' },
    api: { checked: false, reason: 'not configured (no api { url, anonKey } given)' },
    database: { checked: false, reason: 'not configured (no database given)' },
  };
  let front: PartResult | undefined;
  if (o.dokploy) front = await dokployPart(o);
  else if (o.api) front = await apiAndContainers(o);
  const checks = [...(front?.checks ?? [])];
  skipped.push(...(front?.skipped ?? []));
  const containerChecks = checks.filter((c) => c.name === 'containers' || c.name === 'dokploy');
  const httpChecks = checks.filter((c) => !containerChecks.includes(c));
  if (o.dokploy) parts.dokploy = { checked: true, ok: containerChecks.every((c) => c.ok) };
  if (o.api || httpChecks.length > 0)
    parts.api = { checked: true, ok: httpChecks.every((c) => c.ok) };
  else if (o.dokploy && containerChecks.every((c) => c.name === 'containers'))
    parts.api = {
      checked: false,
      reason:
        "no api was given and the compose env has no http(s) SUPABASE_PUBLIC_URL with ANON_KEY and SERVICE_ROLE_KEY to check Dokploy's gateway with",
    };
  let db: Awaited<ReturnType<typeof databasePart>> | undefined;
  if (o.database !== undefined) {
    db = await databasePart(o, front?.poolSize);
    checks.push(db.check);
    parts.database = { checked: true, ok: db.check.ok };
  }
  for (const [name, part] of Object.entries(parts))
    if (!part.checked) skipped.push(`${name}: ${part.reason}`);
  return {
    ok: checks.length > 0 && checks.every((c) => c.ok),
    checks,
    parts,
    ...(front?.containers ? { containers: front.containers } : {}),
    ...(db && 'connections' in db ? { connections: db.connections } : {}),
    ...(db && 'reason' in db ? { database: { reachable: false as const, reason: db.reason } } : {}),
    ...(front?.publicUrl ? { publicUrl: front.publicUrl } : {}),
    ...(o.dokploy ? { composeId: o.dokploy.composeId } : {}),
    ...(front?.appName ? { appName: front.appName } : {}),
    logs: front?.logs ?? [],
    skipped: [...new Set(skipped)],
    checkedAt: (o.now ?? (() => new Date()))().toISOString(),
  };
}
