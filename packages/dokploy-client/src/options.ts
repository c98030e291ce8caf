import { z } from 'zod';
import { type DokployBaseUrl, normalizeBaseUrl } from './base-url.js';
import { DokployConfigError } from './errors.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import type { DokployLogger, DokployRetryEvent } from './transport.js';
import { type DokployVersion, parseDokployVersion } from './version.js';

export interface DokployClientOptions {
  /** The Dokploy address, with or without `/api` and a trailing slash. */
  baseUrl: string;
  /** API key from Settings → API Keys; sent as `x-api-key`. */
  apiKey: string;
  /** A label for logs and the registry. Default `default`. */
  name?: string;
  /** Extra headers on every request (e.g. Cloudflare Access). `x-api-key`, `content-type` and `accept` are reserved. */
  headers?: Record<string, string>;
  /** Per-attempt timeout in ms. Default 30 000. */
  timeoutMs?: number;
  /** Retry policy for idempotent calls, or `false` for none. */
  retry?: Partial<RetryPolicy> | false;
  /** The server version if already known (skips `settings.getDokployVersion`). */
  version?: string;
  /** Receives redacted debug/warn lines. Without one, warnings go to `process.emitWarning`. */
  logger?: DokployLogger;
  /** Called before each retry. */
  onRetry?: (event: DokployRetryEvent) => void;
  /** Extra values to mask in errors and logs. */
  secrets?: string[];
  /**
   * Send every request through this `fetch` (axios's fetch adapter) instead of Node's http
   * adapter: an undici dispatcher, a proxy, a test double.
   */
  fetch?: typeof fetch;
}

const RESERVED = new Set(['x-api-key', 'content-type', 'accept']);

const optionsSchema = z.object({
  baseUrl: z.string().min(1, 'baseUrl is required'),
  apiKey: z
    .string()
    .min(1, 'apiKey is required')
    .refine((k) => !/\s/.test(k), 'apiKey must not contain whitespace'),
  name: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,64}$/, 'name: 1-64 letters, digits, ".", "_" or "-"')
    .optional(),
  headers: z.record(z.string().min(1), z.string()).optional(),
  timeoutMs: z.number().int().min(1).max(600_000).optional(),
  retry: z
    .union([
      z.literal(false),
      z
        .object({
          retries: z.number().int().min(0).max(10).optional(),
          minDelayMs: z.number().min(0).max(60_000).optional(),
          maxDelayMs: z.number().min(0).max(300_000).optional(),
          factor: z.number().min(1).max(10).optional(),
        })
        .strict(),
    ])
    .optional(),
  version: z.string().optional(),
  logger: z
    .custom<DokployLogger>((v) => typeof v === 'object' && v !== null, 'logger must be an object')
    .optional(),
  onRetry: z
    .custom<(e: DokployRetryEvent) => void>(
      (v) => typeof v === 'function',
      'onRetry must be a function',
    )
    .optional(),
  secrets: z.array(z.string()).optional(),
  fetch: z
    .custom<typeof fetch>((v) => typeof v === 'function', 'fetch must be a function')
    .optional(),
});

export interface ResolvedOptions {
  name: string;
  base: DokployBaseUrl;
  apiKey: string;
  headers: Record<string, string>;
  timeoutMs: number;
  retry: RetryPolicy;
  version: DokployVersion | undefined;
  logger: DokployLogger | undefined;
  onRetry: ((event: DokployRetryEvent) => void) | undefined;
  secrets: string[];
  fetch: typeof fetch | undefined;
}

export function resolveOptions(options: DokployClientOptions): ResolvedOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new DokployConfigError(
      `Invalid Dokploy client options: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}. Fix: pass { baseUrl, apiKey } and valid optional settings.`,
    );
  }
  const o = parsed.data;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.headers ?? {})) {
    if (RESERVED.has(k.toLowerCase())) {
      throw new DokployConfigError(
        `Header "${k}" is set by the client itself. Fix: remove it from \`headers\` (the key goes in \`apiKey\`).`,
      );
    }
    headers[k] = v;
  }
  let retry: RetryPolicy = DEFAULT_RETRY;
  if (o.retry === false) retry = { ...DEFAULT_RETRY, retries: 0 };
  else if (o.retry)
    retry = {
      ...DEFAULT_RETRY,
      ...Object.fromEntries(Object.entries(o.retry).filter(([, v]) => v !== undefined)),
    };
  if (retry.maxDelayMs < retry.minDelayMs) {
    throw new DokployConfigError(
      'retry.maxDelayMs is below retry.minDelayMs. Fix: raise maxDelayMs or lower minDelayMs.',
    );
  }
  return {
    name: o.name ?? 'default',
    base: normalizeBaseUrl(o.baseUrl),
    apiKey: o.apiKey,
    headers,
    timeoutMs: o.timeoutMs ?? 30_000,
    retry,
    version: o.version === undefined ? undefined : parseDokployVersion(o.version),
    logger: o.logger,
    onRetry: o.onRetry,
    // header values may be credentials too (CF-Access-Client-Secret)
    secrets: [...(o.secrets ?? []), ...Object.values(headers)],
    fetch: o.fetch,
  };
}
