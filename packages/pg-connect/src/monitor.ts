import { z } from 'zod';
import { validate } from './errors.js';
import { lease, type Queryable } from './resolve-db.js';
import { redactSqlSecrets } from './sql.js';

export type SupabaseService =
  | 'postgrest'
  | 'auth'
  | 'storage'
  | 'realtime'
  | 'meta-studio'
  | 'pooler'
  | 'functions'
  | 'replication'
  | 'supaops'
  | 'user'
  | 'other';

export type UsageLevel = 'ok' | 'warn' | 'critical';

export interface ConnectionGroup {
  user: string | null;
  application: string;
  state: string | null;
  service: SupabaseService;
  count: number;
}

export interface SessionInfo {
  pid: number;
  user: string | null;
  application: string;
  service: SupabaseService;
  state: string | null;
  /** Seconds since the transaction (idle in transaction) or the query (active) started. */
  seconds: number;
  query: string;
}

export interface Recommendation {
  code: string;
  message: string;
}

export interface ConnectionReport {
  maxConnections: number;
  superuserReservedConnections: number;
  /** `reserved_connections` (PostgreSQL 16+; 0 before). */
  reservedConnections: number;
  /** Client backends connected now (all databases). */
  used: number;
  /** Slots left for non-superusers. */
  availableForNonSuperusers: number;
  percentUsed: number;
  level: UsageLevel;
  thresholds: { warn: number; critical: number };
  groups: ConnectionGroup[];
  byService: Partial<Record<SupabaseService, number>>;
  idleInTransaction: SessionInfo[];
  longRunning: SessionInfo[];
  /** Largest POOLER_DEFAULT_POOL_SIZE that leaves room for the services and reserved slots. */
  recommendedPoolerPoolSize: number;
  recommendations: Recommendation[];
  /** Whether pg_stat_activity showed other users' query text (superuser or pg_read_all_stats). */
  fullVisibility: boolean;
}

const optionsSchema = z
  .object({
    warnPercent: z.number().min(1).max(100).optional(),
    criticalPercent: z.number().min(1).max(100).optional(),
    longRunningSeconds: z.number().min(0).optional(),
    idleInTransactionSeconds: z.number().min(0).optional(),
    poolerDefaultPoolSize: z.number().int().min(0).optional(),
    headroom: z.number().int().min(0).optional(),
  })
  .strict();

export interface MonitorOptions {
  /** Warn at this percentage of max_connections (default 80). */
  warnPercent?: number;
  /** Critical at this percentage (default 90). */
  criticalPercent?: number;
  /** Active queries running longer than this are listed (default 60). */
  longRunningSeconds?: number;
  /** Sessions idle in transaction longer than this are listed (default 30). */
  idleInTransactionSeconds?: number;
  /** The POOLER_DEFAULT_POOL_SIZE configured (self-host .env), to check it against what is free. */
  poolerDefaultPoolSize?: number;
  /** Slots kept free for admin work when recommending a pool size (default 5). */
  headroom?: number;
}

/** Which Supabase service a session belongs to, from its user and application_name. */
export function serviceFor(user: string | null, application: string): SupabaseService {
  const app = application.toLowerCase();
  if (app.startsWith('supaops')) return 'supaops';
  if (app.includes('supavisor') || user === 'pgbouncer') return 'pooler';
  switch (user) {
    case 'authenticator':
      return 'postgrest';
    case 'supabase_auth_admin':
      return 'auth';
    case 'supabase_storage_admin':
      return 'storage';
    case 'supabase_functions_admin':
      return 'functions';
    case 'supabase_replication_admin':
      return 'replication';
    case 'supabase_realtime_admin':
      return 'realtime';
    case 'supabase_admin':
      return app.includes('realtime') ? 'realtime' : 'meta-studio';
    case 'postgres':
      return 'user';
    default:
      return app.includes('realtime') ? 'realtime' : 'other';
  }
}

interface ActivityRow {
  pid: number;
  usename: string | null;
  application_name: string | null;
  state: string | null;
  xact_seconds: number | null;
  query_seconds: number | null;
  query: string | null;
}

/**
 * Reports connection usage: max_connections and reserved slots, pg_stat_activity grouped by
 * user, application and state and mapped to Supabase services, idle-in-transaction sessions
 * and long-running queries, percent used (warn 80%, critical 90%) and recommendations such
 * as POOLER_DEFAULT_POOL_SIZE. Connect as a superuser to see every session's query.
 */
export async function monitorConnections(
  db: Queryable,
  options: MonitorOptions = {},
): Promise<ConnectionReport> {
  const o = validate(optionsSchema, options, 'monitorConnections options');
  const thresholds = { warn: o.warnPercent ?? 80, critical: o.criticalPercent ?? 90 };
  const longSeconds = o.longRunningSeconds ?? 60;
  const idleTxSeconds = o.idleInTransactionSeconds ?? 30;
  const headroom = o.headroom ?? 5;
  const l = await lease(db, { statementTimeoutMs: 10_000, retry: { retries: 1 } });
  let settings: { max: number; su: number; reserved: number; full: boolean };
  let activity: ActivityRow[];
  try {
    const s = await l.client.query<{ max: number; su: number; reserved: number; full: boolean }>(
      `SELECT current_setting('max_connections')::int AS max,
              current_setting('superuser_reserved_connections')::int AS su,
              coalesce(current_setting('reserved_connections', true), '0')::int AS reserved,
              (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                OR pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER') AS full`,
    );
    settings = s.rows[0]!;
    const a = await l.client.query<ActivityRow>(
      `SELECT pid, usename::text, application_name, state,
              extract(epoch FROM now() - xact_start)::float8 AS xact_seconds,
              extract(epoch FROM now() - query_start)::float8 AS query_seconds,
              left(query, 500) AS query
         FROM pg_stat_activity
        WHERE backend_type = 'client backend'`,
    );
    activity = a.rows;
  } finally {
    await l.release();
  }

  const groups = new Map<string, ConnectionGroup>();
  const byService: Partial<Record<SupabaseService, number>> = {};
  const idleInTransaction: SessionInfo[] = [];
  const longRunning: SessionInfo[] = [];
  for (const row of activity) {
    const application = row.application_name ?? '';
    const service = serviceFor(row.usename, application);
    const key = `${row.usename}\u0000${application}\u0000${row.state}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { user: row.usename, application, state: row.state, service, count: 1 });
    byService[service] = (byService[service] ?? 0) + 1;
    const info = (seconds: number): SessionInfo => ({
      pid: row.pid,
      user: row.usename,
      application,
      service,
      state: row.state,
      seconds: Math.round(seconds * 10) / 10,
      query: redactSqlSecrets(row.query ?? ''),
    });
    if (row.state?.startsWith('idle in transaction') && (row.xact_seconds ?? 0) >= idleTxSeconds) {
      idleInTransaction.push(info(row.xact_seconds ?? 0));
    }
    if (row.state === 'active' && (row.query_seconds ?? 0) >= longSeconds) {
      longRunning.push(info(row.query_seconds ?? 0));
    }
  }

  const used = activity.length;
  const max = settings.max;
  const percentUsed = Math.round((used / max) * 1000) / 10;
  const level: UsageLevel =
    percentUsed >= thresholds.critical
      ? 'critical'
      : percentUsed >= thresholds.warn
        ? 'warn'
        : 'ok';
  const availableForNonSuperusers = Math.max(0, max - settings.su - settings.reserved - used);
  const serviceHeld = activity.filter((r) => {
    const s = serviceFor(r.usename, r.application_name ?? '');
    return s !== 'pooler' && s !== 'user' && s !== 'supaops';
  }).length;
  const recommendedPoolerPoolSize = Math.max(
    1,
    max - settings.su - settings.reserved - serviceHeld - headroom,
  );

  const recommendations: Recommendation[] = [];
  if (level !== 'ok') {
    recommendations.push({
      code: level === 'critical' ? 'CONNECTIONS_CRITICAL' : 'CONNECTIONS_WARN',
      message: `${used} of ${max} connections are in use (${percentUsed}%); only ${availableForNonSuperusers} remain for non-superusers. New clients will get "remaining connection slots are reserved" or "too many clients".`,
    });
  }
  const top = [...groups.values()].sort((a, b) => b.count - a.count)[0];
  if (top && level !== 'ok') {
    recommendations.push({
      code: 'TOP_HOLDER',
      message: `The largest group is ${top.count} × ${top.user ?? '?'} (${top.service}${top.application ? `, ${top.application}` : ''}, ${top.state ?? 'unknown'}). Lower that client's pool size or route it through Supavisor.`,
    });
  }
  if (
    o.poolerDefaultPoolSize !== undefined &&
    o.poolerDefaultPoolSize > recommendedPoolerPoolSize
  ) {
    recommendations.push({
      code: 'POOLER_POOL_SIZE_TOO_HIGH',
      message: `POOLER_DEFAULT_POOL_SIZE=${o.poolerDefaultPoolSize} exceeds what is free: max_connections ${max} − reserved ${settings.su + settings.reserved} − services ${serviceHeld} − headroom ${headroom} = ${recommendedPoolerPoolSize}. Set POOLER_DEFAULT_POOL_SIZE=${recommendedPoolerPoolSize} in the .env (or raise max_connections) and restart supavisor.`,
    });
  } else {
    recommendations.push({
      code: 'POOLER_POOL_SIZE',
      message: `Keep POOLER_DEFAULT_POOL_SIZE at or below ${recommendedPoolerPoolSize} (max_connections ${max} − reserved ${settings.su + settings.reserved} − held by services ${serviceHeld} − headroom ${headroom}).`,
    });
  }
  if (idleInTransaction.length) {
    recommendations.push({
      code: 'IDLE_IN_TRANSACTION',
      message: `${idleInTransaction.length} session(s) sit idle in a transaction (pids ${idleInTransaction.map((s) => s.pid).join(', ')}), holding slots and locks. End them with SELECT pg_terminate_backend(pid) and set idle_in_transaction_session_timeout.`,
    });
  }
  if (longRunning.length) {
    recommendations.push({
      code: 'LONG_RUNNING',
      message: `${longRunning.length} quer(ies) run longer than ${longSeconds}s (pids ${longRunning.map((s) => s.pid).join(', ')}). Cancel with SELECT pg_cancel_backend(pid) or set statement_timeout.`,
    });
  }
  if ((byService['meta-studio'] ?? 0) > Math.max(20, max * 0.3)) {
    recommendations.push({
      code: 'SUPABASE_ADMIN_CONNECTIONS',
      message: `supabase_admin (Studio, postgres-meta, Realtime) holds ${byService['meta-studio']} connections. Restart the meta/realtime containers or lower their pool sizes (see supabase/supabase#33099).`,
    });
  }
  if (!settings.full) {
    recommendations.push({
      code: 'LIMITED_VISIBILITY',
      message:
        "This role cannot see other users' queries. Run the monitor as supabase_admin (or a member of pg_read_all_stats) for full detail.",
    });
  }
  return {
    maxConnections: max,
    superuserReservedConnections: settings.su,
    reservedConnections: settings.reserved,
    used,
    availableForNonSuperusers,
    percentUsed,
    level,
    thresholds,
    groups: [...groups.values()].sort((a, b) => b.count - a.count),
    byService,
    idleInTransaction,
    longRunning,
    recommendedPoolerPoolSize,
    recommendations,
    fullVisibility: settings.full,
  };
}
