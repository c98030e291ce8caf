import path from 'node:path';
import type { WizardInput } from '@supaops/selfhost';
import { optBool, optNumber, optString, optStrings } from '../../command.js';
import type { CommandContext } from '../../context.js';
import { CliError, usageError } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { configServer, type DeployServer, flagServer } from './server.js';

type Options = Record<string, unknown>;
type Prompts = typeof import('@clack/prompts');

function cancelled(): never {
  throw new CliError('INTERRUPTED', 'Cancelled; nothing was deployed.', {
    exitCode: EXIT_CODES.interrupted,
  });
}

/** Asks only on a terminal; without one, what the flags lack is a usage error. */
class Asker {
  readonly missing: string[] = [];
  #prompts: Prompts | undefined;
  constructor(readonly ctx: CommandContext) {}

  async prompts(): Promise<Prompts | undefined> {
    if (!this.ctx.interactive) return undefined;
    this.#prompts ??= await import('@clack/prompts');
    return this.#prompts;
  }

  get io() {
    return {
      input: this.ctx.io.stdin as NodeJS.ReadStream,
      output: this.ctx.io.stderr as NodeJS.WriteStream,
    };
  }

  async text(flag: string, message: string, initial?: string): Promise<string | undefined> {
    const p = await this.prompts();
    if (!p) {
      if (initial === undefined) this.missing.push(flag);
      return initial;
    }
    const value = await p.text({
      ...this.io,
      message,
      ...(initial ? { placeholder: initial, defaultValue: initial } : {}),
    });
    if (p.isCancel(value)) cancelled();
    return value || initial;
  }

  async select<T extends string>(
    flag: string,
    message: string,
    options: { value: T; label: string; hint?: string }[],
  ): Promise<T | undefined> {
    const p = await this.prompts();
    if (!p) {
      this.missing.push(flag);
      return undefined;
    }
    const value = await p.select<T>({ ...this.io, message, options: options as never });
    if (p.isCancel(value)) cancelled();
    return value as T;
  }

  async secret(flag: string, message: string): Promise<string | undefined> {
    const p = await this.prompts();
    if (!p) {
      this.missing.push(flag);
      return undefined;
    }
    const value = await p.password({ ...this.io, message });
    if (p.isCancel(value)) cancelled();
    if (value) this.ctx.redactor.add(value);
    return value || undefined;
  }
}

async function server(a: Asker, options: Options): Promise<DeployServer | undefined> {
  const url = optString(options.dokployUrl);
  if (url) return flagServer(a.ctx, url, optString(options.dokployKeyEnv));
  const named = optString(options.server);
  if (named) return configServer(a.ctx, named);
  const known = Object.keys((await a.ctx.config()).config.dokployServers);
  if (known.length === 1 && !a.ctx.interactive) return configServer(a.ctx, known[0] as string);
  if (known.length > 0) {
    const choice = await a.select('--server NAME', 'Dokploy server', [
      ...known.map((k) => ({ value: k, label: k })),
      { value: '\0new', label: 'another server (URL)' },
    ]);
    if (choice && choice !== '\0new') return configServer(a.ctx, choice);
    if (!choice) return undefined;
  }
  const asked = await a.text('--dokploy-url URL', 'Dokploy URL', undefined);
  if (!asked) return undefined;
  const keyEnv = await a.text(
    '--dokploy-key-env NAME',
    'Environment variable holding its API key',
    'DOKPLOY_API_KEY',
  );
  return flagServer(a.ctx, asked, keyEnv);
}

async function smtp(a: Asker, options: Options): Promise<WizardInput['smtp'] | undefined> {
  if (optBool(options.devAutoconfirm)) return { mode: 'development-autoconfirm' };
  let host = optString(options.smtpHost);
  if (!host) {
    const mode = await a.select('--smtp-host HOST … or --dev-autoconfirm', 'Mail (SMTP)', [
      { value: 'smtp', label: 'an SMTP server', hint: 'sign-up mails, password resets' },
      {
        value: 'dev',
        label: 'none: development only',
        hint: 'sign-ups confirmed without a mail',
      },
    ]);
    if (mode === undefined) return undefined;
    if (mode === 'dev') return { mode: 'development-autoconfirm' };
    host = await a.text('--smtp-host', 'SMTP host');
  }
  const port =
    optNumber(options.smtpPort) ?? Number(await a.text('--smtp-port', 'SMTP port', '587'));
  const user = optString(options.smtpUser) ?? (await a.text('--smtp-user', 'SMTP user'));
  const passEnv = optString(options.smtpPassEnv);
  let pass = passEnv ? a.ctx.io.env[passEnv] : undefined;
  if (passEnv && !pass) {
    throw new CliError('SMTP_PASS_UNSET', `${passEnv} is not set.`, {
      exitCode: EXIT_CODES.config,
      fix: `Export the SMTP password as ${passEnv}.`,
    });
  }
  if (pass) a.ctx.redactor.add(pass);
  else pass = await a.secret('--smtp-pass-env NAME', 'SMTP password');
  const adminEmail =
    optString(options.smtpAdminEmail) ?? (await a.text('--smtp-admin-email', 'Sender address'));
  if (!host || !user || !pass || !adminEmail) return undefined;
  const sender = optString(options.smtpSenderName);
  return {
    mode: 'smtp',
    host,
    port,
    user,
    pass,
    adminEmail,
    ...(sender ? { senderName: sender } : {}),
  };
}

async function domain(a: Asker, options: Options): Promise<WizardInput['domain'] | undefined> {
  const host = optString(options.domain);
  if (host) return { mode: 'own', host: host.toLowerCase() };
  if (optBool(options.generatedDomain)) return { mode: 'generated' };
  const mode = await a.select('--domain HOST or --generated-domain', 'Domain', [
    { value: 'own', label: 'my own domain', hint: 'its DNS points at the server' },
    { value: 'generated', label: 'a generated one', hint: '<app>.<ip>.sslip.io, for trying out' },
  ]);
  if (mode === 'generated') return { mode: 'generated' };
  if (mode === undefined) return undefined;
  const asked = await a.text('--domain', 'Host name (e.g. supabase.example.com)');
  return asked ? { mode: 'own', host: asked.toLowerCase() } : undefined;
}

async function secretsOutput(
  a: Asker,
  options: Options,
  project: string,
): Promise<WizardInput['secretsOutput'] | undefined> {
  const file = optString(options.secretsFile);
  if (file) return { mode: 'file', path: path.resolve(a.ctx.io.cwd, file) };
  if (optBool(options.printSecrets)) return { mode: 'print' };
  const fallback = `${project.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.secrets.env`;
  const mode = await a.select(
    '--secrets-file PATH or --print-secrets',
    'Where do the secrets go?',
    [
      { value: 'file', label: 'a file (mode 0600)', hint: fallback },
      { value: 'print', label: 'printed once, here' },
    ],
  );
  if (mode === 'print') return { mode: 'print' };
  if (mode === undefined) return undefined;
  const asked = await a.text('--secrets-file', 'Secrets file', fallback);
  return { mode: 'file', path: path.resolve(a.ctx.io.cwd, asked ?? fallback) };
}

/** Throws the usage error naming what the flags left out (nothing to ask on). */
function requireAnswers(a: Asker, what: string): void {
  if (a.missing.length === 0) return;
  throw usageError(
    `${what.toUpperCase()}_ANSWERS_MISSING`,
    `No terminal to ask on, and these are missing: ${a.missing.join(', ')}.`,
    `Pass them as flags (see supaops ${what} --help), or run on a terminal.`,
  );
}

/**
 * The SMTP answer of `--smtp-*` / `--dev-autoconfirm` (asking on a terminal for the rest), or
 * undefined when none of them was given: `clone` then keeps the source's settings.
 */
export async function smtpOverride(
  ctx: CommandContext,
  options: Options,
): Promise<WizardInput['smtp'] | undefined> {
  if (!optBool(options.devAutoconfirm) && !optString(options.smtpHost)) return undefined;
  const a = new Asker(ctx);
  const mail = await smtp(a, options);
  requireAnswers(a, 'clone');
  return mail;
}

/** `--secrets-file PATH` or `--print-secrets`, else asked on a terminal (clone). */
export async function secretsAnswer(
  ctx: CommandContext,
  options: Options,
  name: string,
): Promise<WizardInput['secretsOutput']> {
  const a = new Asker(ctx);
  const out = await secretsOutput(a, options, name);
  requireAnswers(a, 'clone');
  return out as WizardInput['secretsOutput'];
}

export interface DeployAnswers {
  server: DeployServer;
  input: WizardInput;
}

/** The wizard's input from the flags, and, on a terminal, from questions for the rest. */
export async function collectAnswers(
  ctx: CommandContext,
  options: Options,
): Promise<DeployAnswers> {
  const a = new Asker(ctx);
  const p = await a.prompts();
  p?.intro('supaops deploy', a.io);
  const srv = await server(a, options);
  const projectName =
    optString(options.project) ?? (await a.text('--project', 'Dokploy project', 'supabase'));
  const environmentName =
    optString(options.environment) ??
    (p ? await a.text('--environment', 'Environment (empty: the default one)', '') : undefined);
  const dom = await domain(a, options);
  const mail = await smtp(a, options);
  const out = await secretsOutput(a, options, projectName ?? 'supabase');
  if (a.missing.length > 0 || !srv || !projectName || !dom || !mail || !out) {
    throw usageError(
      'DEPLOY_ANSWERS_MISSING',
      `No terminal to ask on, and these are missing: ${a.missing.join(', ')}.`,
      'Pass them as flags (see supaops deploy --help), or run on a terminal.',
    );
  }
  const siteUrl = optString(options.siteUrl);
  const redirects = optStrings(options.redirectUrl);
  const timeout = optNumber(options.deployTimeout);
  const poll = optNumber(options.pollInterval);
  const input: WizardInput = {
    projectName,
    ...(environmentName ? { environmentName } : {}),
    ...(optString(options.composeName) ? { composeName: optString(options.composeName) } : {}),
    smtp: mail,
    domain: dom,
    ...(siteUrl ? { siteUrl } : {}),
    ...(redirects.length ? { additionalRedirectUrls: redirects } : {}),
    secretsOutput: out,
    ...(timeout ? { deployTimeoutMs: timeout * 1000 } : {}),
    ...(poll ? { deployPollMs: poll, validateRetryMs: Math.min(3000, poll * 10) } : {}),
  };
  return { server: srv, input };
}
