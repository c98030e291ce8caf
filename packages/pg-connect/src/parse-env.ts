import { ConnectionStringError } from './errors.js';
import { finishCore, type ParseDefaults } from './libpq-defaults.js';
import { type CoreDraft, normalizeSslmode } from './libpq-keys.js';
import { CHECKED_PARAMS, checkParams, parsePort } from './libpq-values.js';
import {
  type CoreFields,
  DEFAULT_PORT,
  type ParseNote,
  TRANSACTION_POOLER_PORT,
} from './target.js';

export type EnvRecord = Record<string, string | undefined>;

/** libpq environment variables (PostgreSQL 15–17) and the parameter each one sets. */
const PG_ENV_PARAMS: Record<string, string> = {
  PGHOSTADDR: 'hostaddr',
  PGSSLMODE: 'sslmode',
  PGSSLROOTCERT: 'sslrootcert',
  PGSSLCERT: 'sslcert',
  PGSSLKEY: 'sslkey',
  PGSSLCRL: 'sslcrl',
  PGSSLCRLDIR: 'sslcrldir',
  PGSSLSNI: 'sslsni',
  PGSSLCOMPRESSION: 'sslcompression',
  PGSSLMINPROTOCOLVERSION: 'ssl_min_protocol_version',
  PGSSLMAXPROTOCOLVERSION: 'ssl_max_protocol_version',
  PGSSLCERTMODE: 'sslcertmode',
  PGSSLNEGOTIATION: 'sslnegotiation',
  PGREQUIREPEER: 'requirepeer',
  PGREQUIREAUTH: 'require_auth',
  PGCHANNELBINDING: 'channel_binding',
  PGGSSENCMODE: 'gssencmode',
  PGGSSDELEGATION: 'gssdelegation',
  PGKRBSRVNAME: 'krbsrvname',
  PGGSSLIB: 'gsslib',
  PGPASSFILE: 'passfile',
  PGSERVICE: 'service',
  PGAPPNAME: 'application_name',
  PGOPTIONS: 'options',
  PGCONNECT_TIMEOUT: 'connect_timeout',
  PGTARGETSESSIONATTRS: 'target_session_attrs',
  PGLOADBALANCEHOSTS: 'load_balance_hosts',
  PGCLIENTENCODING: 'client_encoding',
};
const PG_ENV_CORE = ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'PGREQUIRESSL'];

export const DOTENV_KEYS = [
  'POSTGRES_PASSWORD',
  'POSTGRES_HOST',
  'POSTGRES_PORT',
  'POSTGRES_DB',
  'POOLER_TENANT_ID',
  'POOLER_PROXY_PORT_TRANSACTION',
];

export function hasPgEnv(env: EnvRecord): boolean {
  return [...PG_ENV_CORE, ...Object.keys(PG_ENV_PARAMS)].some((k) => env[k] !== undefined);
}

export function hasSelfHostEnv(env: EnvRecord): boolean {
  return env.POSTGRES_PASSWORD !== undefined || env.POOLER_TENANT_ID !== undefined;
}

/**
 * Reads PG* variables the way libpq does: PGHOST and PGHOSTADDR both kept (the connection goes
 * to the address, TLS verifies the name), PGREQUIRESSL=1 means sslmode=require unless PGSSLMODE
 * is set, an empty value counts as set where libpq checks it (PGSSLMODE= is refused), and what
 * is missing gets libpq's defaults (socket directory, OS user, database = user).
 */
export function parsePgEnv(env: EnvRecord, defaults: ParseDefaults = {}): CoreFields {
  if (!hasPgEnv(env)) {
    throw new ConnectionStringError(
      'environment',
      'No PG* variables are set (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE). Fix: set them, or pass a connection URL.',
    );
  }
  const params: Record<string, string> = {};
  for (const [name, key] of Object.entries(PG_ENV_PARAMS)) {
    const value = env[name];
    if (value === undefined) continue;
    // empty values libpq does not check (application_name, options, ...) change nothing
    if (value !== '' || CHECKED_PARAMS.has(key)) params[key] = value;
  }
  if (params.sslmode === undefined && env.PGREQUIRESSL?.startsWith('1')) params.sslmode = 'require';
  if (params.hostaddr === '') delete params.hostaddr;
  const notes: ParseNote[] = [];
  normalizeSslmode(params, notes);
  checkParams(params);
  const host = env.PGHOST;
  if (host?.includes(',')) {
    throw new ConnectionStringError(
      'PGHOST',
      `PGHOST lists several hosts ("${host}"). Fix: set one host.`,
    );
  }
  const draft: CoreDraft = {
    host,
    port: env.PGPORT ? parsePort(env.PGPORT, 'PGPORT') : undefined,
    user: env.PGUSER,
    password: env.PGPASSWORD,
    database: env.PGDATABASE,
  };
  return finishCore('env', draft, params, notes, defaults);
}

/** Parses the text of a `.env` file (KEY=value lines, `export`, quotes, comments). */
export function parseDotenvText(text: string): EnvRecord {
  const out: EnvRecord = {};
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      throw new ConnectionStringError(
        `.env line ${index + 1}`,
        `Line ${index + 1} of the .env text is not KEY=value. Fix: one KEY=value per line; comments start with #.`,
      );
    }
    const key = match[1]!;
    let value = match[2]!;
    const quote = value[0];
    if (quote === '"' || quote === "'") {
      const end = value.lastIndexOf(quote);
      if (end <= 0) {
        throw new ConnectionStringError(
          `.env ${key}`,
          `The value of ${key} (line ${index + 1}) opens a ${quote} quote that is not closed. Fix: close it on the same line.`,
        );
      }
      value = value.slice(1, end);
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    } else {
      const comment = value.search(/\s#/);
      if (comment >= 0) value = value.slice(0, comment);
      value = value.trim();
    }
    out[key] = value;
  }
  return out;
}

export interface DotenvOptions {
  /** How to connect: straight to `db`, or through Supavisor in session or transaction mode. Default `direct`. */
  via?: 'direct' | 'session' | 'transaction' | undefined;
  /** Host to use instead of POSTGRES_HOST (`db`) or `supavisor`, e.g. the server's IP or 127.0.0.1 of a tunnel. */
  host?: string | undefined;
  /** Port to use instead of the one from the .env. */
  port?: number | undefined;
  /** Role to log in as (default `postgres`). */
  user?: string | undefined;
}

/** Builds a target from a self-host Supabase `.env` (POSTGRES_*, POOLER_*). */
export function parseSelfHostEnv(env: EnvRecord, options: DotenvOptions = {}): CoreFields {
  const password = env.POSTGRES_PASSWORD;
  if (!password) {
    throw new ConnectionStringError(
      'POSTGRES_PASSWORD',
      'The .env has no POSTGRES_PASSWORD. Fix: pass the .env of the Supabase compose (it sets POSTGRES_PASSWORD).',
    );
  }
  const via = options.via ?? 'direct';
  const role = options.user ?? 'postgres';
  const database = env.POSTGRES_DB || 'postgres';
  const postgresPort = env.POSTGRES_PORT
    ? parsePort(env.POSTGRES_PORT, 'POSTGRES_PORT')
    : DEFAULT_PORT;
  if (via === 'direct') {
    return {
      source: 'dotenv',
      host: options.host ?? (env.POSTGRES_HOST || 'db'),
      port: options.port ?? postgresPort,
      user: role,
      password,
      database,
      params: {},
      notes: [],
    };
  }
  const tenant = env.POOLER_TENANT_ID;
  if (!tenant) {
    throw new ConnectionStringError(
      'POOLER_TENANT_ID',
      `Connecting through Supavisor (${via} mode) needs POOLER_TENANT_ID: the pooler user is <role>.<POOLER_TENANT_ID>. Fix: add POOLER_TENANT_ID to the .env, or use via: 'direct'.`,
    );
  }
  const port =
    options.port ??
    (via === 'transaction'
      ? env.POOLER_PROXY_PORT_TRANSACTION
        ? parsePort(env.POOLER_PROXY_PORT_TRANSACTION, 'POOLER_PROXY_PORT_TRANSACTION')
        : TRANSACTION_POOLER_PORT
      : postgresPort);
  return {
    source: 'dotenv',
    host: options.host ?? 'supavisor',
    port,
    user: `${role}.${tenant}`,
    password,
    database,
    params: {},
    notes: [],
  };
}
