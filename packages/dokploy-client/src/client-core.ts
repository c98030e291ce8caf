import type { z } from 'zod';
import { ENDPOINTS, type EndpointName } from './endpoints.js';
import { describeEnvProblems, diagnoseEnv } from './env-check.js';
import {
  DokployEnvError,
  DokployInputError,
  DokployNotFoundError,
  DokployResponseError,
  DokployVersionError,
} from './errors.js';
import type { ResolvedOptions } from './options.js';
import { Redactor } from './redact.js';
import { type CallOptions, Transport } from './transport.js';
import {
  DOKPLOY_FEATURES,
  type DokployFeature,
  type DokployVersion,
  hasFeature,
  parseDokployVersion,
} from './version.js';

/** Validates `input` with `schema`, or throws `DokployInputError` (nothing is sent). */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  procedure: string,
  redactor: Redactor,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    message: redactor.redact(i.message),
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    code: i.code,
  }));
  const list = issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
  throw new DokployInputError(
    `Invalid input for ${procedure}: ${list}. Fix: correct these fields (nothing was sent).`,
    issues,
  );
}

/**
 * What every method group of a client shares: the transport, the redactor, the cached server
 * version and the version gates. Internal: `DokployClient` keeps it in a private field.
 */
export class ClientCore {
  readonly transport: Transport;
  readonly redactor: Redactor;
  readonly options: ResolvedOptions;
  #version: DokployVersion | undefined;
  #versionPromise: Promise<DokployVersion> | undefined;
  /** Composes whose env came back unreadable (warned once each). */
  readonly #unreadable = new Set<string>();

  constructor(o: ResolvedOptions) {
    this.options = o;
    this.redactor = new Redactor([o.apiKey, ...o.secrets]);
    this.#version = o.version;
    this.transport = new Transport({
      base: o.base,
      apiKey: o.apiKey,
      headers: o.headers,
      timeoutMs: o.timeoutMs,
      retry: o.retry,
      redactor: this.redactor,
      logger: o.logger,
      fetch: o.fetch,
      onRetry: o.onRetry,
      knownVersion: () => this.#version,
    });
  }

  get version(): DokployVersion | undefined {
    return this.#version;
  }

  forgetVersion(): void {
    this.#version = undefined;
    this.#versionPromise = undefined;
  }

  /** Reads `settings.getDokployVersion` once and caches it (a failed read is not cached). */
  async getVersion(options?: CallOptions): Promise<DokployVersion> {
    if (this.#version) return this.#version;
    this.#versionPromise ??= this.get('settings.getDokployVersion', undefined, {}, options).then(
      (raw) => {
        let v: DokployVersion;
        try {
          if (typeof raw !== 'string') throw new TypeError('not a string');
          v = parseDokployVersion(raw);
        } catch (cause) {
          throw new DokployResponseError(
            `settings.getDokployVersion answered "${this.redactor.redact(String(raw))}", which is not a version. Fix: pass \`version\` in the client options.`,
            { request: { method: 'GET', procedure: 'settings.getDokployVersion' } },
            { cause },
          );
        }
        this.#version = v;
        return v;
      },
      (error: unknown) => {
        this.#versionPromise = undefined;
        throw error;
      },
    );
    return this.#versionPromise;
  }

  async has(feature: DokployFeature, options?: CallOptions): Promise<boolean> {
    return hasFeature(await this.getVersion(options), feature);
  }

  /** Throws `DokployVersionError` ("upgrade Dokploy") when the server lacks `feature`. */
  async require(
    feature: DokployFeature,
    what: string,
    alternative: string,
    options?: CallOptions,
  ): Promise<DokployVersion> {
    const v = await this.getVersion(options);
    if (!hasFeature(v, feature)) {
      throw new DokployVersionError(
        `${what} needs Dokploy v${DOKPLOY_FEATURES[feature]} or later; this server runs ${v.raw}. Fix: upgrade Dokploy${alternative}.`,
        { serverVersion: v.raw, requiredVersion: `v${DOKPLOY_FEATURES[feature]}` },
      );
    }
    return v;
  }

  /** Validates the input against the endpoint's schema and sends it. */
  async send(name: EndpointName, input: unknown, options?: CallOptions): Promise<unknown> {
    const ep = ENDPOINTS[name];
    const data = parseWith(ep.input, input ?? {}, name, this.redactor);
    return this.transport.call(ep, data, options);
  }

  /** Reads a 2xx body with a lenient response schema, or throws `DokployResponseError`. */
  read<S extends z.ZodType>(schema: S, raw: unknown, procedure: string): z.output<S> {
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    const list = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new DokployResponseError(
      `${procedure} answered a body this client cannot read (${list}). Fix: check that baseUrl points at Dokploy; if it does, report the Dokploy version (${this.#version?.raw ?? 'unknown'}) to supaops.`,
      { request: { method: ENDPOINTS[procedure as EndpointName]?.method ?? 'GET', procedure } },
    );
  }

  /** `send` then `read`; `schema` undefined returns the raw body. */
  async get<S extends z.ZodType>(
    name: EndpointName,
    schema: S | undefined,
    input: unknown,
    options?: CallOptions,
  ): Promise<z.output<S>> {
    const raw = await this.send(name, input, options);
    return schema ? this.read(schema, raw, name) : (raw as z.output<S>);
  }

  /** `environmentId` on v0.25.0+ (resolving a `projectId` to its default environment), `projectId` before. */
  async owner(
    input: { environmentId?: string | undefined; projectId?: string | undefined },
    procedure: string,
    byProjectId: (
      projectId: string,
    ) => Promise<{ environmentId: string; name: string; isDefault?: boolean | undefined }[]>,
    options?: CallOptions,
  ): Promise<{ environmentId: string } | { projectId: string }> {
    const v = await this.getVersion(options);
    if (!hasFeature(v, 'environments')) {
      if (input.projectId === undefined) {
        throw new DokployVersionError(
          `${procedure}: this Dokploy (${v.raw}) has no environments (they came in v0.25.0), so environmentId cannot be used. Fix: pass projectId, or upgrade Dokploy.`,
          { serverVersion: v.raw, requiredVersion: `v${DOKPLOY_FEATURES.environments}` },
        );
      }
      return { projectId: input.projectId };
    }
    if (input.environmentId !== undefined) return { environmentId: input.environmentId };
    const envs = await byProjectId(input.projectId as string);
    const chosen =
      envs.find((e) => e.isDefault === true) ??
      envs.find((e) => e.name === 'production') ??
      envs[0];
    if (!chosen) {
      throw new DokployNotFoundError(
        `${procedure}: project ${input.projectId} has no environment to put the compose in. Fix: create one with environment.create, or pass environmentId.`,
        { status: 404, request: { method: 'GET', procedure: 'environment.byProjectId' } },
      );
    }
    return { environmentId: chosen.environmentId };
  }

  /** A redacted warning to the logger, or `process.emitWarning` without one. */
  warn(message: string, code = 'SUPAOPS_DOKPLOY'): void {
    const logger = this.options.logger;
    const text = this.redactor.redact(message);
    if (logger?.warn) logger.warn(text);
    else process.emitWarning(text, { code });
  }

  /**
   * Remembers the secret values of a row's env so later errors and logs mask them, and warns
   * (once per compose) when the env Dokploy returned does not parse, e.g. ciphertext.
   */
  trackEnv<T extends { env?: string | null | undefined; composeId?: string }>(row: T): T {
    const d = diagnoseEnv(row.env ?? null);
    if (d.readable) {
      this.redactor.addEnv(row.env ?? undefined);
      this.#unreadable.delete(row.composeId ?? '');
    } else if (!this.#unreadable.has(row.composeId ?? '')) {
      this.#unreadable.add(row.composeId ?? '');
      this.warn(
        `The env Dokploy returned for compose ${row.composeId ?? '(unknown)'} does not parse as KEY=VALUE lines (${describeEnvProblems(d.problems)})${
          d.looksEncrypted
            ? ": it is Dokploy's at-rest ciphertext, returned when BETTER_AUTH_SECRET or ENCRYPTION_KEY changed after it was written (v0.29.12+)"
            : ''
        }. Do not edit and write it back. Fix: restore the previous secret in Dokploy's settings, or write a complete new env.`,
        'SUPAOPS_DOKPLOY_ENV_UNREADABLE',
      );
    }
    return row;
  }

  /** Refuses to send an env that does not parse (unless the caller insists). */
  checkEnvToWrite(
    env: string | null | undefined,
    composeId: string,
    procedure: string,
    options: CallOptions | undefined,
  ): void {
    if (options?.allowUnreadableEnv) return;
    const d = diagnoseEnv(env ?? null);
    if (d.readable) return;
    throw new DokployEnvError(
      `${procedure}: refusing to write an env for compose ${composeId} that does not parse as KEY=VALUE lines (${describeEnvProblems(d.problems)})${
        d.looksEncrypted
          ? ". It is Dokploy's at-rest ciphertext: compose.one returns it instead of the env when BETTER_AUTH_SECRET or ENCRYPTION_KEY changed (v0.29.12+), and writing it back would store something no key can decrypt"
          : ''
      }. Nothing was sent. Fix: restore the previous secret so Dokploy can decrypt the env, or write a complete plaintext env (pass { allowUnreadableEnv: true } only if the lines are meant as they are).`,
      { composeId, looksEncrypted: d.looksEncrypted, problems: d.problems },
    );
  }
}
