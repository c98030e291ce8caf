/** How a connection reaches Postgres: straight to the server, or through a pooler in session or transaction mode. */
export type ConnectionMode = 'direct' | 'session' | 'transaction';

/** Where the input came from. */
export type TargetSource = 'url' | 'keyvalue' | 'env' | 'dotenv';

/** What kind of host this is; drives diagnostics and network advice. */
export type HostKind =
  | 'socket'
  | 'loopback'
  | 'docker-internal'
  | 'supabase-cloud-direct'
  | 'supabase-cloud-pooler'
  | 'ip'
  | 'hostname';

export type Pooler = 'supavisor' | 'pgbouncer' | null;

/** Session features a mode does not allow (`true` = forbidden). */
export interface ModeForbids {
  /** Session-level `pg_advisory_lock` (migrators rely on them). */
  advisoryLocks: boolean;
  /** `SET` without `LOCAL`: the next transaction may run on another server connection. */
  sessionSet: boolean;
  /** Named prepared statements (Supavisor transaction mode does not support them). */
  preparedStatements: boolean;
  /** `LISTEN`/`NOTIFY` across transactions. */
  listenNotify: boolean;
  /** Temporary tables that outlive a transaction. */
  sessionTempTables: boolean;
}

/** Problems noticed while parsing (the input itself), kept on the target for `diagnoseTarget`. */
export interface ParseNote {
  code: string;
  message: string;
  fix: string;
  /** How `diagnoseTarget` reports it; `warning` when absent. */
  severity?: 'error' | 'warning' | 'info' | undefined;
}

/** One typed, normalized connection target, whatever the input format. */
export interface ConnectionTarget {
  source: TargetSource;
  /**
   * Host name, IP (IPv6 without brackets) or a unix socket directory (starts with `/`). With a
   * `params.hostaddr`, the connection goes to that address and `host` is the name TLS verifies
   * (libpq's precedence); without a host, it is the hostaddr itself.
   */
  host: string;
  port: number;
  /** The user exactly as sent to the server (with the `.tenant` suffix for Supavisor). */
  user: string;
  password: string | undefined;
  database: string;
  /** libpq parameters: sslmode, sslrootcert, application_name, options, connect_timeout, ... */
  params: Record<string, string>;
  mode: ConnectionMode;
  pooler: Pooler;
  /** The role part of the user (`postgres` for `postgres.<tenant>`). */
  role: string;
  /** Supavisor tenant (self-hosted POOLER_TENANT_ID, or the cloud project ref). */
  tenant: string | null;
  /** Supabase cloud project ref when the host tells it. */
  projectRef: string | null;
  /** Supabase cloud region (from `aws-0-<region>.pooler.supabase.com`). */
  region: string | null;
  hostKind: HostKind;
  forbids: ModeForbids;
  notes: ParseNote[];
}

export const DEFAULT_PORT = 5432;
export const TRANSACTION_POOLER_PORT = 6543;

const CLOUD_DIRECT = /^db\.([a-z0-9]+)\.supabase\.co$/i;
const CLOUD_POOLER = /^(?:aws-\d+-)?([a-z0-9-]+)\.pooler\.supabase\.com$/i;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/** Compose service names Supabase uses for its pooler. */
const POOLER_SERVICES = new Set(['supavisor', 'supabase-pooler', 'pooler', 'pgbouncer']);

export function classifyHost(host: string): HostKind {
  if (host.startsWith('/')) return 'socket';
  const lower = host.toLowerCase();
  if (lower === 'localhost' || lower === '::1' || lower.startsWith('127.')) return 'loopback';
  if (CLOUD_DIRECT.test(lower)) return 'supabase-cloud-direct';
  if (CLOUD_POOLER.test(lower)) return 'supabase-cloud-pooler';
  if (IPV4.test(lower) || lower.includes(':')) return 'ip';
  if (!lower.includes('.') || lower.endsWith('.internal') || lower.endsWith('.docker'))
    return 'docker-internal';
  return 'hostname';
}

export function forbidsFor(mode: ConnectionMode): ModeForbids {
  const tx = mode === 'transaction';
  return {
    advisoryLocks: tx,
    sessionSet: tx,
    preparedStatements: tx,
    listenNotify: tx,
    sessionTempTables: tx,
  };
}

/** Where the TCP connection goes: hostaddr when given (libpq), else the host. */
export function connectAddress(target: { host: string; params: Record<string, string> }): string {
  return target.params.hostaddr || target.host;
}

/** `postgres.<tenant>` → role `postgres`, tenant `<tenant>`. */
export function splitPoolerUser(user: string): { role: string; tenant: string | null } {
  const dot = user.indexOf('.');
  if (dot <= 0 || dot === user.length - 1) return { role: user, tenant: null };
  return { role: user.slice(0, dot), tenant: user.slice(dot + 1) };
}

export interface CoreFields {
  source: TargetSource;
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  params: Record<string, string>;
  notes: ParseNote[];
}

/** Adds mode, pooler, tenant, host kind and what the mode forbids to the parsed core fields. */
export function completeTarget(
  core: CoreFields,
  override?: { mode?: ConnectionMode | undefined },
): ConnectionTarget {
  const hostaddr = core.params.hostaddr;
  // a hostaddr makes it TCP even when host names a socket directory (libpq)
  const hostKind =
    hostaddr && core.host.startsWith('/') ? classifyHost(hostaddr) : classifyHost(core.host);
  const lowerHost = core.host.toLowerCase();
  const { role, tenant } = splitPoolerUser(core.user);
  const directMatch = CLOUD_DIRECT.exec(lowerHost);
  const poolerMatch = CLOUD_POOLER.exec(lowerHost);
  let projectRef: string | null = directMatch?.[1] ?? null;
  const region = poolerMatch?.[1] ?? null;

  let pooler: Pooler = null;
  let mode: ConnectionMode = 'direct';
  const isPoolerHost = hostKind === 'supabase-cloud-pooler' || POOLER_SERVICES.has(lowerHost);
  if (isPoolerHost || (tenant !== null && hostKind !== 'supabase-cloud-direct')) {
    pooler = lowerHost === 'pgbouncer' ? 'pgbouncer' : 'supavisor';
    mode = core.port === TRANSACTION_POOLER_PORT ? 'transaction' : 'session';
  } else if (core.port === TRANSACTION_POOLER_PORT) {
    // 6543 is the conventional transaction-pooler port (Supavisor, or the PgBouncer on db.<ref>)
    pooler = hostKind === 'supabase-cloud-direct' ? 'pgbouncer' : 'supavisor';
    mode = 'transaction';
  }
  if (core.params.pgbouncer === 'true' && mode === 'direct') {
    pooler = 'pgbouncer';
    mode = 'transaction';
  }
  if (override?.mode) {
    mode = override.mode;
    if (mode === 'direct') pooler = null;
    else pooler ??= 'supavisor';
  }
  if (hostKind === 'supabase-cloud-pooler' && tenant) projectRef = tenant;
  return {
    ...core,
    mode,
    pooler,
    role: pooler === 'supavisor' ? role : core.user,
    tenant: pooler === 'supavisor' ? tenant : null,
    projectRef,
    region,
    hostKind,
    forbids: forbidsFor(mode),
  };
}
