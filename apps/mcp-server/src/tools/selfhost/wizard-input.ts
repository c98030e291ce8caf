import type { WizardInput } from '@supaops/selfhost';
import { z } from 'zod';
import { McpServerError } from '../../errors.js';
import type { ToolContext } from '../../registry/types.js';
import { resolvePath } from '../env-source.js';
import { deployOptions } from './dokploy.js';

// Small on purpose (tools/list bytes): selfhost's wizardInputSchema checks every value again.
export const smtpArg = z
  .string()
  .min(3)
  .max(2048)
  .describe('dev, or smtp://user:pass@host:port?from=addr');
const text = z.string().min(1).max(253);

/** The answers both wizard tools take; the deploy tool makes every gap required. */
export const wizardShape = {
  server: z.string().min(1).max(100).optional().describe('dokployServers name'),
  project: z.string().min(1).max(100),
  environment: z.string().min(1).max(100).optional(),
  host: text.optional(),
  siteUrl: z.string().max(2048).optional(),
  smtp: smtpArg.optional(),
  secretsFile: z.string().min(1).max(4096),
};

export const deployShape = {
  ...wizardShape,
  host: text,
  siteUrl: z.string().max(2048),
  smtp: smtpArg,
};

export type WizardArgs = {
  server?: string | undefined;
  project: string;
  environment?: string | undefined;
  host?: string | undefined;
  siteUrl?: string | undefined;
  smtp?: string | undefined;
  secretsFile: string;
};

/** A file-name-safe form of a name. */
export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'project'
  );
}

/**
 * `dev`, or an SMTP URL (user and password percent-encoded, the sender in `from`, optional
 * `name`) as the library's SMTP answer; the library validates every part.
 */
export function smtpAnswer(value: string): WizardInput['smtp'] {
  if (value === 'dev') return { mode: 'development-autoconfirm' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL('invalid://');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new McpServerError(
      'MCP_TOOL_FAILED',
      "smtp is neither 'dev' nor an smtp:// URL. Fix: pass smtp://user:pass@host:587?from=auth@example.com (percent-encode the user and password), or 'dev' for no mail.",
    );
  }
  const name = url.searchParams.get('name');
  return {
    mode: 'smtp',
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    user: decodeURIComponent(url.username),
    pass: decodeURIComponent(url.password),
    adminEmail: url.searchParams.get('from') ?? '',
    ...(name ? { senderName: name } : {}),
  };
}

/** The tool's arguments as the library's wizard input. */
export function wizardInput(args: WizardArgs, ctx: ToolContext): WizardInput {
  const o = deployOptions(ctx);
  return {
    projectName: args.project,
    ...(args.environment ? { environmentName: args.environment } : {}),
    smtp: smtpAnswer(args.smtp ?? 'dev'),
    domain: args.host ? { mode: 'own', host: args.host } : { mode: 'generated' },
    ...(args.siteUrl ? { siteUrl: args.siteUrl } : {}),
    secretsOutput: { mode: 'file', path: resolvePath(args.secretsFile, ctx) },
    ...(o.pollMs ? { deployPollMs: o.pollMs } : {}),
    ...(o.validateAttempts ? { validateAttempts: o.validateAttempts } : {}),
    ...(o.validateRetryMs !== undefined ? { validateRetryMs: o.validateRetryMs } : {}),
  };
}
