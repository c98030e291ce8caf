import type { WizardSummary } from '@supaops/selfhost';
import type { Colors } from '../../output/colors.js';
import type { Registration } from './register.js';

/** The summary of a deploy or a clone: URLs, keys, pooler strings, the config entry, secrets. */
export function summaryLines(
  c: Colors,
  summary: WizardSummary,
  registration: Registration | undefined,
  secrets: Record<string, string> | undefined,
): string[] {
  const lines = [
    `  URL          ${summary.publicUrl}`,
    `  Studio       ${summary.studioUrl}`,
    `  anon key     ${summary.anonKey}`,
    `  service key  ${summary.serviceKey}`,
    `  session      ${summary.connectionStrings.session}`,
    `  transaction  ${summary.connectionStrings.transaction}`,
    `  secrets      ${summary.secrets.mode === 'file' ? summary.secrets.path : 'printed below'}`,
    ...summary.notes.map((n) => c.dim(`  note: ${n}`)),
  ];
  if (registration) {
    lines.push(
      `${registration.registered ? 'registered' : 'not registered'}: ${registration.note}`,
    );
    if (registration.hint) lines.push(c.dim(`  keys: ${registration.hint}`));
  }
  if (secrets) {
    lines.push('', c.bold('Secrets (shown once):'));
    for (const [k, v] of Object.entries(secrets)) lines.push(`${k}=${v}`);
  }
  return lines;
}
