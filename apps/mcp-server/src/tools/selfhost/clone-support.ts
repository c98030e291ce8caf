import { readFile } from 'node:fs/promises';
import type { DokployClient } from '@supaops/dokploy-client';
import type { CloneDataOptions, InstanceInfo } from '@supaops/selfhost';
import { CloneSmtpUnusableError, McpServerError, ToolCancelledError } from '../../errors.js';
import { selfhost } from '../../libs.js';
import type { ToolContext } from '../../registry/types.js';
import { redactEnvSecrets, redactRecordSecrets } from '../env-source.js';

/** A database URL as the plan shows it: host, port and database, no user or password. */
function where(url: URL): string {
  return `${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}

function parsed(value: string): URL {
  try {
    const url = new URL(value);
    if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') return url;
  } catch {
    // reported below
  }
  throw new McpServerError(
    'MCP_TOOL_FAILED',
    'targetDb is not a postgres:// URL. Fix: pass the clone database as postgres://user[:password]@host:port/db (without a password the clone POSTGRES_PASSWORD is used), or leave it out for the clone Supavisor session string.',
  );
}

/**
 * The data copy of a clone: from the instance's own database into `targetDb` (a URL; without a
 * password the clone's freshly generated POSTGRES_PASSWORD is put in, as the clone's database
 * does not exist before the clone), by default the clone's Supavisor session string.
 */
export function cloneData(
  args: { targetDb?: string | undefined },
  source: string,
  ctx: ToolContext,
): { options: CloneDataOptions; shown: { from: string; to: string } } {
  const from = where(parsed(source));
  if (args.targetDb === undefined) {
    return {
      options: { source },
      shown: { from, to: "the clone's Supavisor session string (<host>:5432)" },
    };
  }
  const text = args.targetDb;
  const url = parsed(text);
  if (url.password) ctx.addSecrets([url.password, decodeURIComponent(url.password)]);
  const target = url.password
    ? text
    : (clone: InstanceInfo) => {
        const password = clone.env.POSTGRES_PASSWORD;
        if (!password) return text;
        const withPassword = new URL(text);
        withPassword.password = password;
        return withPassword.toString();
      };
  return { options: { source, target }, shown: { from, to: where(url) } };
}

/** What the clone generated so far (its wizard state, its secrets file) joins the redactor. */
async function seedFiles(secretsFile: string, statePath: string, ctx: ToolContext) {
  const sh = await selfhost();
  const state = await sh
    .createWizardStateStore(statePath)
    .load()
    .catch(() => undefined);
  await redactRecordSecrets(state?.secrets, ctx);
  const text = await readFile(secretsFile, 'utf8').catch(() => '');
  await redactEnvSecrets(text, ctx);
}

/** After a clone: its files and its compose's env join the redactor before anything is sent. */
export async function seedCloneSecrets(
  files: { secretsFile: string; statePath: string },
  clone: { client: DokployClient; composeId: string },
  ctx: ToolContext,
): Promise<void> {
  await seedFiles(files.secretsFile, files.statePath, ctx);
  const compose = await clone.client.compose
    .one({ composeId: clone.composeId }, { signal: ctx.signal })
    .catch(() => undefined);
  await redactEnvSecrets(compose?.env ?? '', ctx);
}

/**
 * selfhost's CloneSettingsError (SMTP the clone cannot use) with this tool's fix, its smtp
 * argument; every other error as it is.
 */
export async function cloneRefusal(error: unknown): Promise<unknown> {
  const sh = await selfhost();
  if (!sh.CloneSettingsError.isInstance(error)) return error;
  return new CloneSmtpUnusableError(error.missing, { cause: error });
}

/**
 * A failed clone: whatever it generated joins the redactor first (its error may quote a failing
 * service's logs); a cancel becomes the server's cancellation, resumable by the same call.
 */
export async function cloneFailed(
  error: unknown,
  files: { secretsFile: string; statePath: string },
  ctx: ToolContext,
): Promise<never> {
  await seedFiles(files.secretsFile, files.statePath, ctx);
  if (!ctx.signal.aborted) throw await cloneRefusal(error);
  const sh = await selfhost();
  const phase = sh.CloneAbortedError.isInstance(error) ? ` during "${error.phase}"` : '';
  throw new ToolCancelledError(
    'the clone',
    `It stopped${phase}; the wizard steps before it are recorded in the clone state file.`,
    'call the tool again with the same arguments: it resumes there without creating anything twice.',
    { cause: error },
  );
}
