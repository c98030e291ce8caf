import { parseArgs } from 'node:util';
import { z } from 'zod';
import { McpOptionsError } from './errors.js';
import { FEATURE_GROUPS, type FeatureGroup } from './registry/types.js';

export interface ServerOptions {
  /** Where the project config search starts (default process.cwd()). */
  cwd?: string;
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** An explicit supaops.config.json (also env SUPAOPS_CONFIG). */
  configPath?: string;
  /** Write tools are not registered and SQL runs in read-only transactions. */
  readOnly?: boolean;
  /** Only these feature groups (default: all). */
  features?: FeatureGroup[];
  /** Scope to one instance: the instance argument disappears from every schema. */
  instance?: string;
  /** With no instance configured, start (or reuse) the local sandbox (default true). */
  sandbox?: boolean;
  /** Lifetime of confirmation tokens (default 5 min; env SUPAOPS_MCP_CONFIRM_TTL_MS). */
  confirmationTtlMs?: number;
  /** Rows in the first page of a result (default 50). */
  pageRows?: number;
  /** Bytes of row JSON in a page (default 16 KiB). */
  pageBytes?: number;
  /** Where log lines go (default stderr). Every line is redacted first. */
  log?: (line: string) => void;
  /** For embedders and tests of the Dokploy write tools: the deploy waits and the HTTP checks. */
  selfhost?: SelfhostToolOptions;
}

export interface SelfhostToolOptions {
  /** The fetch of the post-deploy HTTP checks (default the global fetch). */
  httpFetch?: typeof fetch;
  deployPollMs?: number;
  validateAttempts?: number;
  validateRetryMs?: number;
}

export interface RunOptions extends ServerOptions {
  transport?: 'stdio' | 'http';
  http?: { port?: number; host?: string };
}

const featureList = z
  .array(z.enum(FEATURE_GROUPS, { error: () => `one of ${FEATURE_GROUPS.join(', ')}` }))
  .min(1, 'name at least one feature group');

const serverOptionsSchema = z.object({
  cwd: z.string().min(1).optional(),
  env: z.record(z.string(), z.string().optional()).optional(),
  configPath: z.string().min(1).optional(),
  readOnly: z.boolean().optional(),
  features: featureList.optional(),
  instance: z.string().min(1).max(100).optional(),
  sandbox: z.boolean().optional(),
  confirmationTtlMs: z.number().int().min(1).max(3_600_000).optional(),
  pageRows: z.number().int().min(1).max(1000).optional(),
  pageBytes: z.number().int().min(256).max(1_048_576).optional(),
  log: z.custom<(line: string) => void>((v) => typeof v === 'function').optional(),
  selfhost: z
    .object({
      httpFetch: z.custom<typeof fetch>((v) => typeof v === 'function').optional(),
      deployPollMs: z.number().int().min(5).max(60_000).optional(),
      validateAttempts: z.number().int().min(1).max(100).optional(),
      validateRetryMs: z.number().int().min(0).max(60_000).optional(),
    })
    .strict()
    .optional(),
});

const runOptionsSchema = serverOptionsSchema.extend({
  transport: z.enum(['stdio', 'http']).optional(),
  http: z
    .object({
      port: z.number().int().min(0).max(65535).optional(),
      host: z.string().min(1).optional(),
    })
    .optional(),
});

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

export function validateServerOptions(options: unknown): ServerOptions {
  const parsed = serverOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) throw new McpOptionsError(issuesOf(parsed.error));
  return parsed.data as ServerOptions;
}

export function validateRunOptions(options: unknown): RunOptions {
  const parsed = runOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) throw new McpOptionsError(issuesOf(parsed.error));
  return parsed.data as RunOptions;
}

export const USAGE = `Usage: supaops-mcp [options]

The supaops MCP server. stdio by default; logs go to stderr.

Options:
  --http                 Serve Streamable HTTP instead of stdio (127.0.0.1, bearer token)
  --port <n>             HTTP port (default 3939, or config mcp.http.port)
  --host <addr>          HTTP bind address (default 127.0.0.1)
  --read-only            Register no write tool; SQL runs in read-only transactions
  --features <list>      Feature groups, comma separated: ${FEATURE_GROUPS.join(',')}
  --instance <name>      Scope to one instance (the instance argument disappears)
  --config <file>        Use this supaops.config.json
  --no-sandbox           Do not start the local sandbox when no instance is configured
  -h, --help             Show this help
  -v, --version          Show the version`;

export type ParsedArgv = { kind: 'run'; options: RunOptions } | { kind: 'help' | 'version' };

/** Parses supaops-mcp's flags (the CLI's `supaops mcp` passes the same ones). */
export function parseArgv(argv: string[]): ParsedArgv {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        http: { type: 'boolean' },
        port: { type: 'string' },
        host: { type: 'string' },
        'read-only': { type: 'boolean' },
        features: { type: 'string' },
        instance: { type: 'string' },
        config: { type: 'string' },
        'no-sandbox': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    }));
  } catch (error) {
    throw new McpOptionsError([{ path: 'argv', message: (error as Error).message }], {
      cause: error,
    });
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const port = values.port === undefined ? undefined : Number(values.port);
  const raw: Record<string, unknown> = {
    ...(values.http ? { transport: 'http' } : {}),
    ...(values['read-only'] ? { readOnly: true } : {}),
    ...(values['no-sandbox'] ? { sandbox: false } : {}),
    ...(typeof values.instance === 'string' ? { instance: values.instance } : {}),
    ...(typeof values.config === 'string' ? { configPath: values.config } : {}),
    ...(typeof values.features === 'string'
      ? {
          features: values.features
            .split(',')
            .map((f) => f.trim())
            .filter(Boolean),
        }
      : {}),
  };
  if (port !== undefined || values.host !== undefined) {
    raw.http = {
      ...(port === undefined ? {} : { port }),
      ...(typeof values.host === 'string' ? { host: values.host } : {}),
    };
  }
  return { kind: 'run', options: validateRunOptions(raw) };
}
