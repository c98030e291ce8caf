import type { DokployClient } from '@supaops/dokploy-client';
import {
  type ConnectionReport,
  monitorConnections,
  type Queryable,
  redactConnectionString,
} from '@supaops/pg-connect';
import { z } from 'zod';
import { parseEnv, toEnvRecord } from '../env/parse.js';
import { parseInput } from '../errors.js';
import { type ContainerHealth, readContainerHealth } from '../validate/containers.js';
import type { DeploymentCheck } from '../validate/http-checks.js';
import { validateDeployment } from '../validate/validate-deployment.js';
import { callOf, clientSchema, fetchSchema, signalSchema } from './common.js';

/** Connection pressure, as pg-connect's monitor reads it (no query text, no user secrets). */
export interface ConnectionPressure {
  readonly maxConnections: number;
  readonly used: number;
  readonly percentUsed: number;
  readonly level: ConnectionReport['level'];
  readonly byService: ConnectionReport['byService'];
  readonly recommendedPoolerPoolSize: number;
  readonly recommendations: ConnectionReport['recommendations'];
}

export interface HealthReport {
  readonly composeId: string;
  readonly appName: string;
  /** Containers running and healthy, every HTTP check passing, pool not critical. */
  readonly ok: boolean;
  readonly containers: ContainerHealth[];
  /** `containers` plus the HTTP checks of validateDeployment (when the env has URL and keys). */
  readonly checks: DeploymentCheck[];
  /** With a database: its connection pressure, or why it could not be read. */
  readonly connections?: ConnectionPressure;
  readonly database?: { readonly reachable: false; readonly reason: string };
  /** Checks that could not run, and why. */
  readonly skipped: string[];
  readonly checkedAt: string;
}

export interface CheckHealthInput {
  client: DokployClient;
  composeId: string;
  /** A PostgreSQL URL, pg-connect target or pool of the stack's database: connection pressure. */
  database?: unknown;
  /** Percent of max_connections that counts as critical (default 90). */
  criticalPercent?: number;
  /** Default: the env's SUPABASE_PUBLIC_URL. */
  publicUrl?: string;
  fetch?: typeof fetch;
  /** HTTP checks' attempts while transient failures last (default 1). */
  attempts?: number;
  retryMs?: number;
  signal?: AbortSignal;
  /** The clock of `checkedAt` (tests). */
  now?: () => Date;
}

const schema = z
  .object({
    client: clientSchema,
    composeId: z.string().min(1),
    database: z.unknown().optional(),
    criticalPercent: z.number().min(1).max(100).optional(),
    publicUrl: z.url({ protocol: /^https?$/ }).optional(),
    fetch: fetchSchema.optional(),
    attempts: z.number().int().min(1).max(100).optional(),
    retryMs: z.number().int().min(0).optional(),
    signal: signalSchema.optional(),
    now: z.custom<() => Date>((v) => typeof v === 'function').optional(),
  })
  .strict();

/** pg-connect's report cut down to the numbers an operator acts on. */
export async function connectionPressure(
  database: unknown,
  options: { criticalPercent?: number | undefined; poolerDefaultPoolSize?: number | undefined },
): Promise<{ connections: ConnectionPressure } | { reason: string }> {
  try {
    const r = await monitorConnections(database as Queryable, {
      criticalPercent: options.criticalPercent ?? 90,
      warnPercent: Math.min(80, options.criticalPercent ?? 90),
      ...(options.poolerDefaultPoolSize !== undefined
        ? { poolerDefaultPoolSize: options.poolerDefaultPoolSize }
        : {}),
    });
    return {
      connections: {
        maxConnections: r.maxConnections,
        used: r.used,
        percentUsed: r.percentUsed,
        level: r.level,
        byService: r.byService,
        recommendedPoolerPoolSize: r.recommendedPoolerPoolSize,
        recommendations: r.recommendations,
      },
    };
  } catch (error) {
    return { reason: redactConnectionString((error as Error)?.message ?? String(error)) };
  }
}

/**
 * One health check of a Supabase compose: container states and health (Dokploy), the HTTP
 * checks of validateDeployment against the public URL with the env's keys, and with a
 * database its connection pressure through pg-connect. Never throws for an unhealthy stack or
 * an unreachable database: those are in the report.
 */
export async function checkHealth(input: CheckHealthInput): Promise<HealthReport> {
  const o = parseInput('checkHealth', schema, input);
  const { client, composeId } = o;
  const compose = await client.compose.one({ composeId }, callOf(o.signal));
  const env = toEnvRecord(parseEnv(compose.env ?? '', { interpolate: false }));
  const skipped: string[] = [];
  const publicUrl = o.publicUrl ?? env.SUPABASE_PUBLIC_URL;
  let containers: ContainerHealth[];
  let checks: DeploymentCheck[];
  if (publicUrl && /^https?:\/\/[^$]+$/.test(publicUrl) && env.ANON_KEY && env.SERVICE_ROLE_KEY) {
    const report = await validateDeployment({
      publicUrl,
      anonKey: env.ANON_KEY,
      serviceKey: env.SERVICE_ROLE_KEY,
      client,
      composeId,
      attempts: o.attempts ?? 1,
      ...(o.retryMs !== undefined ? { retryMs: o.retryMs } : {}),
      ...(o.fetch ? { fetch: o.fetch } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    containers = report.containers ?? [];
    checks = report.checks;
  } else {
    containers = await readContainerHealth(client, compose.appName, o.signal);
    const bad = containers.filter((c) => !c.ok);
    checks = [
      {
        name: 'containers',
        ok: containers.length > 0 && bad.length === 0,
        reason:
          containers.length === 0
            ? 'the compose has no containers (never deployed?)'
            : bad.length === 0
              ? `${containers.length} containers running, every health check healthy`
              : `not healthy: ${bad.map((c) => `${c.service} (${c.state}, ${c.health})`).join(', ')}`,
      },
    ];
    skipped.push(
      'http: the env has no http(s) SUPABASE_PUBLIC_URL or no ANON_KEY/SERVICE_ROLE_KEY',
    );
  }
  let pressure: Awaited<ReturnType<typeof connectionPressure>> | undefined;
  if (o.database !== undefined) {
    const pool = Number(env.POOLER_DEFAULT_POOL_SIZE);
    pressure = await connectionPressure(o.database, {
      criticalPercent: o.criticalPercent,
      poolerDefaultPoolSize: Number.isInteger(pool) && pool > 0 ? pool : undefined,
    });
  } else skipped.push('connections: no database was given');
  const critical =
    pressure && 'connections' in pressure && pressure.connections.level === 'critical';
  return {
    composeId,
    appName: compose.appName,
    ok: checks.every((c) => c.ok) && !critical,
    containers,
    checks,
    ...(pressure && 'connections' in pressure ? { connections: pressure.connections } : {}),
    ...(pressure && 'reason' in pressure
      ? { database: { reachable: false as const, reason: pressure.reason } }
      : {}),
    skipped,
    checkedAt: (o.now ?? (() => new Date()))().toISOString(),
  };
}
