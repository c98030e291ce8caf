import { z } from 'zod';
import { ConnectionStringError, validate } from './errors.js';
import type { ParseDefaults } from './libpq-defaults.js';
import {
  type DotenvOptions,
  type EnvRecord,
  hasPgEnv,
  hasSelfHostEnv,
  parseDotenvText,
  parsePgEnv,
  parseSelfHostEnv,
} from './parse-env.js';
import { isKeyValue, parseKeyValue } from './parse-keyvalue.js';
import { isPostgresUrl, parseUrl } from './parse-url.js';
import {
  type ConnectionMode,
  type ConnectionTarget,
  type CoreFields,
  completeTarget,
} from './target.js';

const modeSchema = z.enum(['direct', 'session', 'transaction']);

const optionsSchema = z
  .object({
    format: z.enum(['url', 'keyvalue', 'env', 'dotenv']).optional(),
    mode: modeSchema.optional(),
    via: modeSchema.optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    user: z.string().min(1).optional(),
    defaults: z
      .object({
        host: z.string().optional(),
        port: z.number().int().min(1).max(65535).optional(),
        user: z.string().optional(),
        password: z.string().optional(),
        database: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export interface ParseOptions extends DotenvOptions {
  /** Force the input format instead of detecting it. */
  format?: 'url' | 'keyvalue' | 'env' | 'dotenv' | undefined;
  /** Force the mode instead of detecting it from host, port and user. */
  mode?: ConnectionMode | undefined;
  /** Values used when the input leaves them out. */
  defaults?: ParseDefaults | undefined;
}

const inputSchema = z.union([
  z.string().min(1, 'the connection string is empty'),
  z.record(z.string(), z.union([z.string(), z.undefined()])),
]);

function detectFormat(input: string): 'url' | 'keyvalue' | 'dotenv' {
  const text = input.trim();
  if (isPostgresUrl(text)) return 'url';
  if (/^(?:export\s+)?(?:POSTGRES_|POOLER_|PG)[A-Z_]*\s*=/m.test(text) && /^[A-Z#]/.test(text)) {
    return 'dotenv';
  }
  if (isKeyValue(text)) return 'keyvalue';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1];
  if (scheme) {
    throw new ConnectionStringError(
      'scheme',
      `"${scheme}://" is not a Postgres URL. Fix: use postgresql://user:password@host:5432/postgres.`,
    );
  }
  if (/^db\.[a-z0-9]+\.supabase\.co(?::\d+)?$/i.test(text) || /^[\w.-]+:\d+$/.test(text)) {
    throw new ConnectionStringError(
      'scheme',
      `"${text}" is a host, not a connection string. Fix: postgresql://postgres:PASSWORD@${text}/postgres.`,
    );
  }
  if (/^[^\s:@/=]+:.*@/s.test(text)) {
    // the scheme-less pooler form postgres.<tenant>:password@host:6543 (the password stays out)
    throw new ConnectionStringError(
      'scheme',
      'The input looks like user:password@host without a scheme. Fix: put postgresql:// in front (postgresql://postgres.<tenant>:PASSWORD@host:6543/postgres).',
    );
  }
  throw new ConnectionStringError(
    'format',
    'The input is neither a postgresql:// URL, nor libpq key=value pairs, nor a .env. Fix: pass e.g. postgresql://postgres:PASSWORD@host:5432/postgres or host=... user=... dbname=....',
  );
}

function fromRecord(env: EnvRecord, options: ParseOptions, forced?: 'env' | 'dotenv'): CoreFields {
  const kind = forced ?? (hasSelfHostEnv(env) ? 'dotenv' : hasPgEnv(env) ? 'env' : undefined);
  if (kind === 'dotenv') return parseSelfHostEnv(env, options);
  if (kind === 'env') return parsePgEnv(env, options.defaults);
  throw new ConnectionStringError(
    'environment',
    'The variables hold neither PG* (PGHOST, PGUSER, ...) nor a Supabase self-host .env (POSTGRES_PASSWORD, POOLER_TENANT_ID). Fix: pass one of them or a URL.',
  );
}

/**
 * Parses any supported connection format into one normalized `ConnectionTarget`:
 * postgres(ql):// URLs, libpq key=value, PG* environment variables (a record such as
 * process.env), and a Supabase self-host `.env` (text or record). Errors name the offending
 * part and never contain the password.
 */
export function parseConnectionTarget(
  input: string | Record<string, string | undefined>,
  options: ParseOptions = {},
): ConnectionTarget {
  const opts = validate(optionsSchema, options, 'parseConnectionTarget options') as ParseOptions;
  if (typeof input === 'string' && input.trim() === '') {
    throw new ConnectionStringError(
      'input',
      'The connection string is empty. Fix: pass e.g. postgresql://postgres:PASSWORD@host:5432/postgres.',
    );
  }
  const value = validate(inputSchema, input, 'connection input');
  let core: CoreFields;
  let mode = opts.mode;
  if (typeof value === 'string') {
    const format = opts.format ?? detectFormat(value);
    if (format === 'url') core = parseUrl(value, opts.defaults);
    else if (format === 'keyvalue') core = parseKeyValue(value, opts.defaults);
    else
      core = fromRecord(parseDotenvText(value), opts, opts.format as 'env' | 'dotenv' | undefined);
  } else {
    const forced = opts.format === 'env' || opts.format === 'dotenv' ? opts.format : undefined;
    core = fromRecord(value, opts, forced);
  }
  if (core.source === 'dotenv' && !mode) mode = opts.via ?? 'direct';
  if (core.source !== 'dotenv') {
    if (opts.host) core.host = opts.host;
    if (opts.port) core.port = opts.port;
  }
  return completeTarget(core, { mode });
}
