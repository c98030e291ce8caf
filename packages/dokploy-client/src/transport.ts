import type { DokployBaseUrl } from './base-url.js';
import {
  DokployAbortError,
  DokployConflictError,
  DokployError,
  DokployForbiddenError,
  DokployHttpError,
  type DokployIssue,
  DokployNetworkError,
  DokployNotFoundError,
  DokployPermissionError,
  type DokployRequestInfo,
  DokployResponseError,
  DokployServerError,
  DokployTimeoutError,
  DokployUnauthorizedError,
  DokployValidationError,
} from './errors.js';
import { createHttp, type HttpAnswer, HttpFailure, type HttpSend } from './http.js';
import { describeDenial, isPermissionDenial } from './permissions.js';
import type { Redactor } from './redact.js';
import { backoffDelay, type RetryPolicy, sleep } from './retry.js';
import { type DokployVersion, knownAuthIssuesFor } from './version.js';

/** Receives the client's log lines, already redacted. */
export interface DokployLogger {
  debug?(message: string): void;
  warn?(message: string): void;
}

/** Passed to `onRetry` before each retry sleep. */
export interface DokployRetryEvent {
  procedure: string;
  method: string;
  /** 1 for the first retry. */
  retry: number;
  delayMs: number;
  /** Why: `status 503`, `network`, `timeout`. */
  reason: string;
}

export interface CallSpec {
  readonly method: 'GET' | 'POST';
  /** `compose.one`, or `health` for the plain `/api/health` route. */
  readonly procedure: string;
  /** Safe to send twice: only these are retried. */
  readonly idempotent: boolean;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  /**
   * `compose.update` / `saveEnvironment` refuse an `env` that does not parse as `KEY=VALUE`
   * lines (see `diagnoseEnv`); `true` sends it anyway.
   */
  allowUnreadableEnv?: boolean | undefined;
}

export interface TransportConfig {
  base: DokployBaseUrl;
  apiKey: string;
  headers: Record<string, string>;
  timeoutMs: number;
  retry: RetryPolicy;
  redactor: Redactor;
  logger: DokployLogger | undefined;
  /** Runs the exchanges on this `fetch` (axios's fetch adapter); Node's http adapter when unset. */
  fetch: typeof fetch | undefined;
  onRetry: ((event: DokployRetryEvent) => void) | undefined;
  knownVersion(): DokployVersion | undefined;
}

interface ErrorBody {
  message?: string;
  code?: string;
  issues?: DokployIssue[];
}

function toQuery(input: unknown): string {
  if (input === undefined || input === null || typeof input !== 'object') return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function parseErrorBody(text: string): ErrorBody {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object') {
      const o = parsed as Record<string, unknown>;
      const issues = Array.isArray(o.issues)
        ? o.issues.map((i) => {
            const r = (i ?? {}) as Record<string, unknown>;
            return {
              message: String(r.message ?? 'invalid'),
              ...(Array.isArray(r.path) ? { path: r.path as (string | number)[] } : {}),
              ...(typeof r.code === 'string' ? { code: r.code } : {}),
            };
          })
        : undefined;
      return {
        ...(typeof o.message === 'string' ? { message: o.message } : {}),
        ...(typeof o.code === 'string' ? { code: o.code } : {}),
        ...(issues ? { issues } : {}),
      };
    }
  } catch {
    // not JSON: a proxy page or plain text
  }
  return text.trim() ? { message: text.trim().slice(0, 300) } : {};
}

export function formatIssues(issues: DokployIssue[]): string {
  return issues
    .map((i) => (i.path?.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

function unauthorizedMessage(
  req: DokployRequestInfo,
  version: DokployVersion | undefined,
  server: string | undefined,
): string {
  const issues = knownAuthIssuesFor(version);
  const where = version
    ? `Dokploy ${version.raw}`
    : 'this Dokploy (version not read yet: it needs a working key)';
  return [
    `Dokploy answered 401 Unauthorized for ${req.method} ${req.procedure}${server && server !== 'Unauthorized' ? ` (${server})` : ''}.`,
    'Check: (1) the key is current and was copied whole (the client sends it as x-api-key, never as Bearer);',
    '(2) the key was created with metadata.organizationId (Settings → API Keys in the UI does this; a key created through user.createApiKey without it is treated as no key);',
    '(3) the key is not rate-limited or out of `remaining` requests: Dokploy answers those with 401, not 429.',
    issues.length
      ? `Known 401 bugs for ${where}: ${issues.map((i) => `${i.summary} (${i.url})`).join('; ')}.`
      : '',
    'Fix: create a new key under Settings → API Keys for an owner or admin of the organization, then retry.',
  ]
    .filter(Boolean)
    .join(' ');
}

/** Sends one procedure call with auth, timeouts, retries and typed errors. */
export class Transport {
  readonly #c: TransportConfig;
  readonly #headers: Record<string, string>;
  readonly #postHeaders: Record<string, string>;

  readonly #http: HttpSend;

  constructor(config: TransportConfig) {
    this.#c = config;
    this.#http = createHttp(config.fetch);
    this.#headers = { accept: 'application/json', ...config.headers, 'x-api-key': config.apiKey };
    this.#postHeaders = { ...this.#headers, 'content-type': 'application/json' };
  }

  get config(): TransportConfig {
    return this.#c;
  }

  #log(level: 'debug' | 'warn', message: string): void {
    const fn = this.#c.logger?.[level];
    if (fn) fn.call(this.#c.logger, this.#c.redactor.redact(message));
  }

  async call(spec: CallSpec, input: unknown, options: CallOptions = {}): Promise<unknown> {
    const c = this.#c;
    const req: DokployRequestInfo = { method: spec.method, procedure: spec.procedure };
    const url =
      spec.method === 'GET'
        ? `${c.base.api}/${spec.procedure}${toQuery(input)}`
        : `${c.base.api}/${spec.procedure}`;
    const body = spec.method === 'POST' ? JSON.stringify(input ?? {}) : undefined;
    const timeoutMs = options.timeoutMs ?? c.timeoutMs;
    const maxRetries = spec.idempotent ? c.retry.retries : 0;
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      let retryReason: string | undefined;
      let failure: DokployError;
      try {
        const res = await this.#http({
          method: spec.method,
          url,
          headers: spec.method === 'POST' ? this.#postHeaders : this.#headers,
          body,
          signal,
        });
        const text = res.text;
        if (res.status >= 200 && res.status < 300) {
          this.#log(
            'debug',
            `${spec.method} ${spec.procedure} → ${res.status} in ${Math.round(performance.now() - started)} ms`,
          );
          return this.#parseSuccess(req, res, text);
        }
        failure = this.#httpError(req, res.status, text, attempt + 1);
        if (res.status >= 500) retryReason = `status ${res.status}`;
      } catch (error) {
        if (options.signal?.aborted) {
          throw new DokployAbortError(
            `${spec.method} ${spec.procedure} was aborted by the caller.`,
            { cause: options.signal.reason },
          );
        }
        if (DokployError.isInstance(error)) throw error;
        // never chain the HTTP library's error: it carries the request headers (the key)
        const cause =
          error instanceof HttpFailure
            ? new HttpFailure(this.#c.redactor.redact(error.message), error.code)
            : error;
        if (timeout.aborted) {
          retryReason = 'timeout';
          failure = new DokployTimeoutError(
            `${spec.method} ${spec.procedure} got no answer within ${timeoutMs} ms (attempt ${attempt + 1}). Fix: check that ${c.base.root} is reachable, or raise timeoutMs.`,
            { timeoutMs },
            { cause },
          );
        } else {
          retryReason = 'network';
          const detail = this.#c.redactor.redact(
            String((cause as { code?: string }).code ?? (cause as Error).message),
          );
          failure = new DokployNetworkError(
            `${spec.method} ${spec.procedure} could not reach ${c.base.api} (${detail}) after ${attempt + 1} attempt(s).${
              spec.idempotent
                ? ''
                : ' Not retried: the call is not idempotent; check its effect (e.g. deployment.allByCompose) before sending it again.'
            } Fix: check the address, DNS and that Dokploy is running.`,
            { request: req, attempts: attempt + 1 },
            { cause },
          );
        }
      }
      if (retryReason === undefined || attempt >= maxRetries) throw failure;
      const delayMs = backoffDelay(c.retry, attempt);
      this.#log(
        'warn',
        `${spec.method} ${spec.procedure} failed (${retryReason}); retry ${attempt + 1}/${maxRetries} in ${delayMs} ms`,
      );
      c.onRetry?.({
        procedure: spec.procedure,
        method: spec.method,
        retry: attempt + 1,
        delayMs,
        reason: retryReason,
      });
      try {
        await sleep(delayMs, options.signal);
      } catch (cause) {
        throw new DokployAbortError(
          `${spec.method} ${spec.procedure} was aborted by the caller while waiting to retry.`,
          { cause },
        );
      }
    }
  }

  #parseSuccess(req: DokployRequestInfo, res: HttpAnswer, text: string): unknown {
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      const type = res.contentType ?? 'unknown';
      throw new DokployResponseError(
        `${req.method} ${req.procedure} answered ${res.status} with a non-JSON body (${type}: "${this.#c.redactor.redact(text.slice(0, 80))}…"). Fix: check that baseUrl points at Dokploy itself and not at a login page or proxy (Cloudflare Access needs its headers in \`headers\`).`,
        { request: req },
        { cause },
      );
    }
  }

  #httpError(
    req: DokployRequestInfo,
    status: number,
    text: string,
    attempts: number,
  ): DokployHttpError {
    const r = this.#c.redactor;
    const body = parseErrorBody(text);
    const serverMessage = body.message === undefined ? undefined : r.redact(body.message);
    const issues = (body.issues ?? []).map((i) => ({ ...i, message: r.redact(i.message) }));
    const init = {
      status,
      request: req,
      ...(body.code ? { dokployCode: body.code } : {}),
      ...(serverMessage ? { serverMessage } : {}),
    };
    const said = serverMessage ? `: ${serverMessage}` : '';
    const what = `${req.method} ${req.procedure}`;
    if (serverMessage && isPermissionDenial(status, body.code, serverMessage)) {
      const version = this.#c.knownVersion();
      const { permission, explanation } = describeDenial(req.procedure, serverMessage, version);
      return new DokployPermissionError(
        `Dokploy refused ${what} (${status} "${serverMessage}"): ${explanation}.`,
        { ...init, permission, ...(version ? { serverVersion: version.raw } : {}) },
      );
    }
    switch (status) {
      case 400:
        return new DokployValidationError(
          issues.length
            ? `Dokploy rejected the input of ${what}${said}: ${formatIssues(issues)}. Fix: correct these fields; on an older Dokploy the field names may differ (see the version table).`
            : `Dokploy refused ${what} (400${said}). Fix: read the server's message above and correct the request.`,
          { ...init, issues },
        );
      case 401: {
        const version = this.#c.knownVersion();
        return new DokployUnauthorizedError(unauthorizedMessage(req, version, serverMessage), {
          ...init,
          ...(version ? { serverVersion: version.raw } : {}),
        });
      }
      case 403:
        return new DokployForbiddenError(
          `Dokploy answered 403 Forbidden for ${what}${said}. Fix: use a key of a user with the needed permission (e.g. envVars:write, docker:read, service:read) or an owner/admin key.`,
          init,
        );
      case 404: {
        const version = this.#c.knownVersion();
        return new DokployNotFoundError(
          `Dokploy answered 404 for ${what}${said}. Fix: check the id you passed${
            serverMessage === undefined || serverMessage === 'Not found'
              ? `; if the id is right, this Dokploy${version ? ` (${version.raw})` : ''} may not have the procedure ${req.procedure}: upgrade Dokploy`
              : ''
          }.`,
          init,
        );
      }
      case 409:
        return new DokployConflictError(
          `Dokploy answered 409 Conflict for ${what}${said}. Fix: pick another name (appName must be unique).`,
          init,
        );
      default:
        if (status >= 500) {
          return new DokployServerError(
            `Dokploy answered ${status} for ${what}${said} (${attempts} attempt(s)). Fix: check Dokploy's logs (docker service logs dokploy) and retry later.`,
            { ...init, attempts },
          );
        }
        return new DokployHttpError(
          `Dokploy answered ${status} for ${what}${said}. Fix: this is unexpected; check baseUrl and any proxy in front of Dokploy.`,
          init,
        );
    }
  }
}
