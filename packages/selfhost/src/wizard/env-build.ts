import { formatEnvLine } from '../env/serialize.js';
import { BUNDLED_TEMPLATE_TOML } from './bundled-template.js';
import type { WizardAnswers } from './input.js';

/** The env lines of a template.toml's `[config] env = [ '…', … ]` (single-quoted strings). */
export function templateEnvLines(toml: string = BUNDLED_TEMPLATE_TOML): string[] {
  const block = /\[config\]\s*\nenv = \[\n([\s\S]*?)\]\n/.exec(toml)?.[1] ?? '';
  return [...block.matchAll(/^'(.*)',?\]?$/gm)].map((m) => m[1] as string);
}

/** The template's env as text, as Dokploy would write it before rendering its `${…}` helpers. */
export function templateEnvText(toml?: string): string {
  return `${templateEnvLines(toml).join('\n')}\n`;
}

/** Every value the wizard owns: secrets and keys, URLs derived from the host, mail, pooler. */
export function wizardValues(
  answers: WizardAnswers,
  secrets: Readonly<Record<string, string>>,
  host: string,
): Record<string, string> {
  const publicUrl = `https://${host}`;
  const site = answers.siteUrl ?? publicUrl;
  const redirects = answers.additionalRedirectUrls ?? [`${site.replace(/\/$/, '')}/**`];
  const mail: Record<string, string> =
    answers.smtp.mode === 'smtp'
      ? {
          ENABLE_EMAIL_AUTOCONFIRM: 'false',
          SMTP_HOST: answers.smtp.host,
          SMTP_PORT: String(answers.smtp.port),
          SMTP_USER: answers.smtp.user,
          SMTP_PASS: answers.smtp.pass,
          SMTP_ADMIN_EMAIL: answers.smtp.adminEmail,
          SMTP_SENDER_NAME: answers.smtp.senderName ?? answers.projectName,
        }
      : { ENABLE_EMAIL_AUTOCONFIRM: 'true' };
  return {
    ...secrets,
    SUPABASE_HOST: host,
    SUPABASE_PUBLIC_URL: publicUrl,
    API_EXTERNAL_URL: publicUrl,
    SITE_URL: site,
    ADDITIONAL_REDIRECT_URLS: redirects.join(','),
    ...mail,
    // phone sign-up without an SMS provider confirms anyone who types a number
    ENABLE_PHONE_SIGNUP: 'false',
    ENABLE_PHONE_AUTOCONFIRM: 'false',
    FUNCTIONS_VERIFY_JWT: answers.functionsVerifyJwt ? 'true' : 'false',
  };
}

/**
 * The full env: the template's lines in their order with every value the wizard owns written
 * in, literal template defaults kept, and any owned key the template lacks appended. A template
 * line still holding a `${…}` helper the wizard does not fill is dropped to the caller's list.
 */
export function buildEnvText(
  lines: readonly string[],
  values: Readonly<Record<string, string>>,
): { text: string; unfilled: string[] } {
  const out: string[] = [];
  const seen = new Set<string>();
  const unfilled: string[] = [];
  for (const line of lines) {
    const m = /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const key = m[1] as string;
    seen.add(key);
    const value = values[key];
    if (value !== undefined) out.push(formatEnvLine(key, value));
    else if ((m[2] as string).includes('${')) unfilled.push(key);
    else out.push(line);
  }
  for (const [key, value] of Object.entries(values))
    if (!seen.has(key)) out.push(formatEnvLine(key, value));
  return { text: `${out.join('\n')}\n`, unfilled };
}
