import {
  type AuditLog,
  type InstancePart,
  type InstanceSummary,
  type LoadedConfig,
  listInstances,
  loadConfig,
  openAuditLog,
  type ResolvedInstance,
  resolveInstance,
} from '@supaops/config';
import type { SupaopsPool } from '@supaops/pg-connect';
import { McpOptionsError } from './errors.js';
import { pgConnect, sandbox as sandboxLib } from './libs.js';
import { type ServerOptions, validateServerOptions } from './options.js';
import { ConfirmationTokens } from './safety/confirmation.js';
import { Redactor } from './safety/redactor.js';

/** The name the embedded sandbox is registered under. */
export const SANDBOX_INSTANCE = 'sandbox';

export interface SandboxState {
  url: string;
  dataDir: string;
  port: number | undefined;
  reused: boolean;
}

/**
 * Process-wide state shared by every MCP session: the loaded config, resolved instances (with the
 * sandbox injected), one pool per instance, the audit log, the confirmation key and the redactor.
 */
export class Runtime {
  readonly options: ServerOptions;
  readonly loaded: LoadedConfig;
  readonly redactor = new Redactor();
  readonly tokens: ConfirmationTokens;
  readonly audit: AuditLog;
  /** No instance is configured: the local sandbox serves as instance `sandbox`. */
  readonly embeddedSandbox: boolean;
  readonly #instances = new Map<string, Promise<ResolvedInstance>>();
  readonly #pools = new Map<string, Promise<SupaopsPool>>();
  #sandbox: Promise<SandboxState> | undefined;
  #ready: Promise<void> | undefined;
  #warmedUp = false;
  #closed = false;

  private constructor(options: ServerOptions, loaded: LoadedConfig) {
    this.options = options;
    this.loaded = loaded;
    const ttlFromEnv = Number(options.env?.SUPAOPS_MCP_CONFIRM_TTL_MS ?? Number.NaN);
    this.tokens = new ConfirmationTokens({
      ttlMs: options.confirmationTtlMs ?? (ttlFromEnv > 0 ? ttlFromEnv : undefined),
    });
    this.embeddedSandbox =
      Object.keys(loaded.config.instances).length === 0 && options.sandbox !== false;
    // a disabled audit log (config or SUPAOPS_AUDIT_LOG=off) makes append a no-op
    this.audit = openAuditLog(loaded);
  }

  static async create(options: ServerOptions = {}): Promise<Runtime> {
    const o = validateServerOptions(options);
    const env = o.env ?? process.env;
    // --instance is the selection (over SUPAOPS_INSTANCE); config names it so in its errors
    const loaded = await loadConfig({
      env,
      ...(o.cwd ? { cwd: o.cwd } : {}),
      ...(o.configPath ? { configPath: o.configPath } : {}),
      ...(o.instance ? { instance: o.instance, instanceFrom: '--instance' } : {}),
    });
    const runtime = new Runtime({ ...o, env }, loaded);
    const scope = o.instance;
    if (scope && !runtime.summaries().some((i) => i.name === scope)) {
      const known = listInstances(loaded).map((i) => i.name);
      throw new McpOptionsError([
        {
          path: 'instance',
          message: `no instance "${scope}" in the config (known: ${known.join(', ') || 'none'}). Fix: pass one of them, or add it with \`supaops instances add ${scope}\``,
        },
      ]);
    }
    return runtime;
  }

  get env(): NodeJS.ProcessEnv {
    return this.options.env ?? process.env;
  }

  /** Redacted, to stderr unless options.log says otherwise. */
  log(message: string): void {
    const line = `supaops-mcp: ${this.redactor.redactString(message)}`;
    if (this.options.log) this.options.log(line);
    else process.stderr.write(`${line}\n`);
  }

  /** Loads pg-connect's connection-string redaction before the first output is redacted. */
  ready(): Promise<void> {
    this.#ready ??= pgConnect().then((pg) => {
      this.redactor.useConnectionStringRedactor(pg.redactConnectionString);
    });
    return this.#ready;
  }

  /**
   * Starts the embedded sandbox in the background, once. The transports call it after the first
   * tools/list is answered (or a second after start), so the handshake does not wait for it.
   */
  warmUp(): void {
    if (this.#warmedUp || this.#closed || !this.embeddedSandbox) return;
    this.#warmedUp = true;
    this.log(
      `no instance is configured: using the local sandbox as instance "${SANDBOX_INSTANCE}"`,
    );
    this.sandbox().catch((error: unknown) => {
      this.log(`could not start the sandbox: ${(error as Error).message}`);
    });
  }

  /** Starts (or reuses) the sandbox once; concurrent callers share the same start. */
  sandbox(): Promise<SandboxState> {
    this.#sandbox ??= (async () => {
      const { startSandbox } = await sandboxLib();
      const sb = await startSandbox({ env: this.env });
      this.redactor.add([sb.password]);
      const state = { url: sb.url(), dataDir: sb.dataDir, port: sb.port, reused: sb.reused };
      this.log(
        `${sb.reused ? 'reusing the running' : 'started the'} local sandbox (PostgreSQL on ${sb.host}:${sb.port}, data in ${sb.dataDir}) as instance "${SANDBOX_INSTANCE}"`,
      );
      return state;
    })();
    this.#sandbox.catch(() => {
      this.#sandbox = undefined; // let the next call try again
    });
    return this.#sandbox;
  }

  /**
   * Resolves (and caches) an instance with the parts a tool needs resolved strictly (their
   * unresolvable references throw); the other parts are best-effort. Its secrets join the
   * redactor. The cache key holds the parts: a tool needing less never gets an entry that
   * failed for more, nor one resolved without a part it needs.
   */
  instance(name: string | undefined, need: readonly InstancePart[]): Promise<ResolvedInstance> {
    const requested = name ?? this.options.instance;
    const key = `${requested ?? ''}|${[...need].sort()}`;
    let found = this.#instances.get(key);
    if (!found) {
      found = resolveInstance(this.loaded, requested, {
        need: [...need],
        sandbox: async () => {
          const s = await this.sandbox();
          return { url: s.url, dataDir: s.dataDir };
        },
        allowSandboxDefault: this.embeddedSandbox,
      }).then((instance) => {
        this.redactor.add(instance.secrets);
        return instance;
      });
      this.#instances.set(key, found);
      found.catch(() => this.#instances.delete(key));
    }
    return found;
  }

  /** Configured instances without secrets, plus the embedded sandbox. */
  summaries(): InstanceSummary[] {
    const list = listInstances(this.loaded);
    if (this.embeddedSandbox && !list.some((i) => i.name === SANDBOX_INSTANCE)) {
      list.push({
        name: SANDBOX_INSTANCE,
        kind: 'sandbox',
        description: 'Local PostgreSQL sandbox started by supaops (no instance is configured)',
        production: false,
        isDefault: true,
        hasSession: true,
        hasTransaction: false,
        labels: {},
      });
    }
    const scope = this.options.instance;
    return scope ? list.filter((i) => i.name === scope) : list;
  }

  /** One pool per instance, created on first use. */
  pool(instance: ResolvedInstance, url: string): Promise<SupaopsPool> {
    let pool = this.#pools.get(instance.name);
    if (!pool) {
      pool = pgConnect().then((pg) =>
        pg.createPool(pg.parseConnectionTarget(url), { max: 10, applicationName: 'supaops-mcp' }),
      );
      this.#pools.set(instance.name, pool);
      pool.catch(() => this.#pools.delete(instance.name));
    }
    return pool;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.then((pool) => pool.end()).catch(() => {})));
  }
}
