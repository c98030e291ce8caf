import type { ClonePlan, CloneSettingsError } from '@supaops/selfhost';
import { CliError, splitFix } from '../../errors.js';
import { EXIT_CODES } from '../../exit-codes.js';
import type { Colors } from '../../output/colors.js';

/** The --dry-run document (and what is shown before the confirmation): no value, only names. */
export interface ClonePlanData {
  dryRun: true;
  source: ClonePlan['source'] & { instance: string };
  clone: ClonePlan['clone'];
  server: { name: string; url: string };
  carried: string[];
  regenerated: string[];
  mounts: string[];
  smtp: ClonePlan['smtp'];
  data: boolean;
  warnings: { code: string; message: string }[];
  statePath: string;
}

export function planData(
  instance: string,
  server: { name: string; url: string },
  plan: ClonePlan,
  statePath: string,
): ClonePlanData {
  return {
    dryRun: true,
    source: { instance, ...plan.source },
    clone: plan.clone,
    server: { name: server.name, url: server.url },
    carried: [...plan.carried],
    regenerated: [...plan.regenerated],
    mounts: [...plan.mounts],
    smtp: plan.smtp,
    data: plan.data,
    warnings: plan.warnings.map((w) => ({ code: w.code, message: w.message })),
    statePath,
  };
}

const names = (c: Colors, list: readonly string[]) =>
  list.length > 0 ? `: ${c.dim(list.join(', '))}` : '';

/** The plan as lines: where the clone goes, what it takes over and makes fresh, the warnings. */
export function planLines(c: Colors, plan: ClonePlanData): string[] {
  const { clone } = plan;
  const where = clone.environmentName
    ? `${clone.projectName} (environment ${clone.environmentName})`
    : clone.projectName;
  const lines = [
    `${c.bold('plan')}: clone ${plan.source.instance} (compose ${plan.source.composeId}, ${plan.source.name}) → ${clone.name}`,
    `  project      ${where}`,
    `  dokploy      ${plan.server.name} (${clone.dokploy})${clone.serverId ? `, remote server ${clone.serverId}` : ''}`,
    `  domain       ${clone.host ?? 'generated (<app>.<ip>.sslip.io, named by Dokploy when it is made)'}`,
    `  carried      ${plan.carried.length} settings${names(c, plan.carried)}`,
    `  regenerated  ${plan.regenerated.length} secrets and keys${names(c, plan.regenerated)}`,
    `  mounts       ${plan.mounts.length} file mounts to copy${names(c, plan.mounts)}`,
    `  smtp         ${plan.smtp === 'smtp' ? 'an SMTP server' : 'development autoconfirm (sign-ups confirmed without a mail)'}`,
    `  data         ${plan.data ? 'copied, every row count proven' : 'not copied (--copy-data copies it)'}`,
  ];
  for (const w of plan.warnings) lines.push(`  ${c.yellow('warning')} ${w.code}: ${w.message}`);
  return lines;
}

/**
 * selfhost refuses SMTP settings the clone cannot use (incomplete, or .env.example's fake ones)
 * before any write; its fix names the library's input, so the flags that give it come first.
 */
export function withSmtpFlags(error: CloneSettingsError): CliError {
  const { message, fix } = splitFix(error.message);
  return new CliError(error.code, message, {
    exitCode: EXIT_CODES.usage,
    fix: `Give the clone SMTP settings of its own: --smtp-host HOST --smtp-port N --smtp-user USER --smtp-pass-env NAME --smtp-admin-email ADDRESS, or --dev-autoconfirm.${fix ? ` selfhost's fix: ${fix}` : ''}`,
    cause: error,
  });
}
