import { randomInt } from 'node:crypto';
import { generateSupabaseEnv } from '@supaops/supabase-jwt';
import { FAKE_SMTP_DEFAULTS } from '../doctor/smtp.js';
import { SECRET_VARIABLES } from '../env/schema/secrets.js';
import { DOKPLOY_INJECTED_VARIABLES } from '../env/schema/table.js';
import { hostOf } from '../util/url-host.js';
import { type WizardInput, wizardInputSchema } from '../wizard/input.js';
import { CloneSettingsError } from './clone-errors.js';

/**
 * Variables that belong to one instance: every secret and key of the schema's secret groups,
 * and the pooler tenant. The clone gets fresh ones; the source's never leave it.
 */
export const INSTANCE_SECRET_KEYS: ReadonlySet<string> = new Set(
  [...Object.keys(SECRET_VARIABLES), 'POOLER_TENANT_ID'].filter((k) => k !== 'DASHBOARD_USERNAME'),
);

/** Set by the wizard from the clone's own domain (and answers), never copied. */
const DERIVED_KEYS = new Set([
  'SUPABASE_HOST',
  'SUPABASE_PUBLIC_URL',
  'API_EXTERNAL_URL',
  'SITE_URL',
  'ADDITIONAL_REDIRECT_URLS',
]);

/** The source's settings as the clone takes them over: everything but secrets, URLs, injected. */
export function carriedSettings(env: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (INSTANCE_SECRET_KEYS.has(key) || DERIVED_KEYS.has(key)) continue;
    if (DOKPLOY_INJECTED_VARIABLES.includes(key)) continue;
    out[key] = value;
  }
  return out;
}

/** Every host the source is reached at (its gateway). */
export function sourceHosts(env: Readonly<Record<string, string>>): string[] {
  const hosts = [
    env.SUPABASE_HOST?.toLowerCase(),
    hostOf(env.SUPABASE_PUBLIC_URL),
    hostOf(env.API_EXTERNAL_URL),
  ].filter((h): h is string => Boolean(h));
  return [...new Set(hosts)];
}

/**
 * SITE_URL: the caller's, else the source's app URL when it is not the source's own gateway
 * (then the wizard derives it from the clone's domain).
 */
export function cloneSiteUrl(
  env: Readonly<Record<string, string>>,
  given: string | undefined,
): string | undefined {
  if (given) return given;
  const site = env.SITE_URL;
  const host = hostOf(site);
  if (!site || !host || sourceHosts(env).includes(host)) return undefined;
  return wizardInputSchema.shape.siteUrl.safeParse(site).success ? site : undefined;
}

/** The source's redirect list with its own gateway host swapped for the clone's. */
export function cloneRedirectUrls(
  env: Readonly<Record<string, string>>,
  cloneHost: string,
  given: readonly string[] | undefined,
): string[] | undefined {
  if (given) return [...given];
  const list = (env.ADDITIONAL_REDIRECT_URLS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (list.length === 0) return undefined;
  const hosts = sourceHosts(env);
  return list.map((entry) => {
    let out = entry;
    for (const h of hosts) out = out.split(`://${h}`).join(`://${cloneHost}`);
    return out;
  });
}

type SmtpAnswer = WizardInput['smtp'];

const SMTP_VARIABLES: Record<string, string> = {
  host: 'SMTP_HOST',
  port: 'SMTP_PORT',
  user: 'SMTP_USER',
  pass: 'SMTP_PASS',
  adminEmail: 'SMTP_ADMIN_EMAIL',
  senderName: 'SMTP_SENDER_NAME',
};

/** The source's mail settings as a wizard answer (SMTP server, or development autoconfirm). */
export function cloneSmtp(env: Readonly<Record<string, string>>): SmtpAnswer {
  if ((env.ENABLE_EMAIL_AUTOCONFIRM ?? '').toLowerCase() === 'true')
    return { mode: 'development-autoconfirm' };
  const answer = {
    mode: 'smtp' as const,
    host: env.SMTP_HOST ?? '',
    port: Number(env.SMTP_PORT),
    user: env.SMTP_USER ?? '',
    pass: env.SMTP_PASS ?? '',
    adminEmail: env.SMTP_ADMIN_EMAIL ?? '',
    ...(env.SMTP_SENDER_NAME ? { senderName: env.SMTP_SENDER_NAME } : {}),
  };
  const fake = Object.keys(FAKE_SMTP_DEFAULTS).filter((k) => env[k] === FAKE_SMTP_DEFAULTS[k]);
  if (fake.length > 0)
    throw new CloneSettingsError(
      fake,
      '.env.example\'s fake SMTP placeholders cannot send mail, so the clone\'s review would refuse them: pass smtp: { mode: "smtp", host, port, user, pass, adminEmail } (or { mode: "development-autoconfirm" }) to cloneInstance.',
    );
  const parsed = wizardInputSchema.shape.smtp.safeParse(answer);
  if (!parsed.success) {
    const missing = parsed.error.issues.map(
      (i) => SMTP_VARIABLES[String(i.path[0])] ?? String(i.path[0]),
    );
    throw new CloneSettingsError(
      [...new Set(missing)],
      'pass smtp: { mode: "smtp", host, port, user, pass, adminEmail } (or { mode: "development-autoconfirm" }) to cloneInstance.',
    );
  }
  return answer;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Whether the source uses the new-style keys (JWT_KEYS, sb_ keys): the clone gets them too. */
export function usesNewStyleKeys(env: Readonly<Record<string, string>>): boolean {
  const jwtKeys = (env.JWT_KEYS ?? '').trim();
  return Boolean(
    env.SUPABASE_PUBLISHABLE_KEY || env.SUPABASE_SECRET_KEY || (jwtKeys && jwtKeys !== '[]'),
  );
}

/**
 * Fresh secrets and keys for the clone, made as the wizard makes them (supabase-jwt), with the
 * source's dashboard user name and its key style; REALTIME_DB_ENC_KEY too when the source sets it.
 */
export async function freshSecrets(
  env: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const username = env.DASHBOARD_USERNAME;
  const validUser = username && /^[A-Za-z0-9_]{1,64}$/.test(username);
  const generated = await generateSupabaseEnv({
    ...(validUser ? { dashboardUsername: username } : {}),
    ...(usesNewStyleKeys(env) ? { newStyleKeys: true } : {}),
  });
  const secrets: Record<string, string> = { ...(generated as Record<string, string>) };
  if (env.REALTIME_DB_ENC_KEY)
    secrets.REALTIME_DB_ENC_KEY = Array.from({ length: 16 }, () => ALNUM[randomInt(62)]).join('');
  return secrets;
}
