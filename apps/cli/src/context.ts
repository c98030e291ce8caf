import type { InstancePart, LoadedConfig, ResolvedInstance } from '@supaops/config';
import type { Command } from 'commander';
import { CliError, usageError } from './errors.js';
import { EXIT_CODES } from './exit-codes.js';
import type { InstanceFlags } from './instance.js';
import { instanceDatabaseUrl, resolveCliInstance } from './instance.js';
import { type Colors, colorEnabled, createColors } from './output/colors.js';
import { type Progress, startProgress } from './output/progress.js';
import { Redactor } from './output/redact.js';

type Tty = { isTTY?: boolean };

/** Everything the CLI touches of its process, injectable so tests and embedders control it. */
export interface CliIo {
  stdout: NodeJS.WritableStream & Tty;
  stderr: NodeJS.WritableStream & Tty;
  stdin: NodeJS.ReadableStream & Tty;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT; long library operations receive it. */
  signal?: AbortSignal;
}

export interface GlobalOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  color: boolean | undefined;
  config: string | undefined;
}

export type { InstanceFlags } from './instance.js';

export type AuditOutcome = 'ok' | 'error' | 'refused' | 'dry-run';

const MAX_STDIN_BYTES = 64 * 1024 * 1024;

/** The per-run state handed to a command's action. */
export class CommandContext {
  readonly io: CliIo;
  readonly globals: GlobalOptions;
  readonly signal: AbortSignal;
  readonly colors: Colors;
  readonly errColors: Colors;
  readonly redactor = new Redactor();
  /** Set by actions: what the audit entry records besides the outcome. */
  audit: { instance?: string; outcome?: AuditOutcome } = {};
  /** The root of the commander tree (completion scripts are generated from it). */
  program: Command | undefined;
  #config: { instance: string | undefined; loaded: Promise<LoadedConfig> } | undefined;
  #cleanups: Array<() => Promise<void> | void> = [];

  constructor(io: CliIo, globals: GlobalOptions) {
    this.io = io;
    this.globals = globals;
    this.signal = io.signal ?? new AbortController().signal;
    const flag = globals.color;
    this.colors = createColors(
      colorEnabled({ flag, env: io.env, isTTY: io.stdout.isTTY === true }),
    );
    this.errColors = createColors(
      colorEnabled({ flag, env: io.env, isTTY: io.stderr.isTTY === true }),
    );
  }

  get interactive(): boolean {
    return this.io.stdin.isTTY === true && this.io.stdout.isTTY === true && !this.globals.json;
  }

  /** Informational line on stderr (hidden by --quiet). */
  info(message: string): void {
    if (!this.globals.quiet) this.io.stderr.write(`${this.redactor.redact(message)}\n`);
  }

  warn(message: string): void {
    if (!this.globals.quiet) {
      this.io.stderr.write(
        `${this.errColors.yellow('warning')} ${this.redactor.redact(message)}\n`,
      );
    }
  }

  /** Detail only --verbose shows. */
  debug(message: string): void {
    if (this.globals.verbose)
      this.io.stderr.write(`${this.errColors.dim(this.redactor.redact(message))}\n`);
  }

  onClose(cleanup: () => Promise<void> | void): void {
    this.#cleanups.push(cleanup);
  }

  async close(): Promise<void> {
    for (const cleanup of this.#cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        this.debug(`cleanup failed: ${(error as Error).message}`);
      }
    }
    this.#cleanups = [];
  }

  /**
   * The merged configuration (files and SUPAOPS_* environment), loaded once per run. A named
   * instance (`--instance`, or an argument) is the selection over SUPAOPS_INSTANCE and the
   * file's default; a stale SUPAOPS_INSTANCE only fails when it is what selects the instance.
   * A call without a name (the audit entry, `instances list`) reuses what was loaded.
   */
  config(selection: { instance?: string; from?: string } = {}): Promise<LoadedConfig> {
    const cached = this.#config;
    if (cached && (selection.instance === undefined || selection.instance === cached.instance)) {
      return cached.loaded;
    }
    const loaded = import('@supaops/config').then(({ loadConfig }) =>
      loadConfig({
        cwd: this.io.cwd,
        env: this.io.env,
        ...(this.globals.config ? { configPath: this.globals.config } : {}),
        ...(selection.instance
          ? { instance: selection.instance, instanceFrom: selection.from ?? '--instance' }
          : {}),
      }),
    );
    this.#config = { instance: selection.instance, loaded };
    return loaded;
  }

  /**
   * The selected instance with the parts in `need` resolved strictly (the others best-effort),
   * its secrets registered for redaction (see instance.ts).
   */
  async instance(flags: InstanceFlags, need: readonly InstancePart[]): Promise<ResolvedInstance> {
    const resolved = await resolveCliInstance(this, flags, need);
    this.audit.instance = resolved.name;
    return resolved;
  }

  /** The session connection (direct or Supavisor 5432), else the transaction one. */
  databaseUrl(instance: ResolvedInstance, purpose: 'session' | 'any' = 'any'): string {
    return instanceDatabaseUrl(instance, purpose);
  }

  /** All of stdin as text, bounded; an error when stdin is a terminal (nothing was piped). */
  async readStdin(what: string): Promise<string> {
    if (this.io.stdin.isTTY) {
      throw usageError(
        'STDIN_IS_TTY',
        `No ${what} was given and stdin is a terminal.`,
        `Pipe the ${what} in, or pass it as an argument or a file.`,
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.io.stdin) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += buf.length;
      if (size > MAX_STDIN_BYTES) {
        throw usageError(
          'STDIN_TOO_LARGE',
          `stdin holds more than ${MAX_STDIN_BYTES} bytes.`,
          'Pass a file instead.',
        );
      }
      chunks.push(buf);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /**
   * Asks before destructive work. `--yes` skips the question; without a terminal the command is
   * refused (exit 2) instead of hanging on a prompt nobody sees.
   */
  async confirm(question: string, yes: boolean): Promise<void> {
    if (yes) return;
    if (!this.interactive) {
      this.audit.outcome = 'refused';
      throw usageError(
        'CONFIRMATION_REQUIRED',
        `${question} Refused: no terminal to ask on.`,
        'Pass --yes to confirm.',
      );
    }
    const prompts = await import('@clack/prompts');
    const answer = await prompts.confirm({
      message: question,
      initialValue: false,
      input: this.io.stdin as NodeJS.ReadStream,
      output: this.io.stderr as NodeJS.WriteStream,
    });
    if (prompts.isCancel(answer)) {
      throw new CliError('INTERRUPTED', 'Cancelled.', { exitCode: EXIT_CODES.interrupted });
    }
    if (answer !== true) {
      this.audit.outcome = 'refused';
      throw new CliError('NOT_CONFIRMED', 'Not confirmed; nothing was changed.', {
        exitCode: EXIT_CODES.failedChecks,
      });
    }
  }

  /** A progress bar (terminal) or throttled lines (--verbose) on stderr. */
  progress(title: string, unit: 'bytes' | 'items'): Promise<Progress> {
    const silent = this.globals.quiet;
    const progress = startProgress({
      stream: this.io.stderr,
      bar: !silent && this.io.stderr.isTTY === true,
      lines: !silent && this.globals.verbose,
      unit,
      title,
    });
    return progress.then((p) => {
      this.onClose(() => p.stop());
      return p;
    });
  }
}
