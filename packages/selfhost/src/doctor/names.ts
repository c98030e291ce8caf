import type { Check, CheckContext, DokployVersionInfo } from './context.js';
import { type DoctorFinding, finding } from './finding.js';

/** Dokploy's `compose.create` rule for `appName`. */
const APP_NAME_RULE = /^[a-zA-Z0-9._-]+$/;
const MAX_APP_NAME = 63;
/** generateRandomDomain keeps this many characters of the name from v0.25.7 (dokploy#2905). */
const DOMAIN_NAME_KEEP = 40;
/** `-<6 hex>-` around the name and the dashed IP: the longest IPv4 is 15 characters. */
const DOMAIN_LABEL_OVERHEAD = 8;

/** Dokploy's `slugify` (apps/dokploy/lib/slug.ts): letters, digits and spaces, lower-cased, dashed. */
export function dokploySlug(text: string): string {
  const cleaned = text.trim().replace(/[^a-zA-Z0-9\s]/g, '') || 'service';
  return cleaned.trim().toLowerCase().replace(/\s+/g, '-');
}

function before(
  version: DokployVersionInfo | undefined,
  major: number,
  minor: number,
  patch: number,
) {
  if (!version) return undefined;
  const a = [version.major, version.minor, version.patch];
  const b = [major, minor, patch];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number);
  return false;
}

function ipLength(ctx: CheckContext): number {
  return ctx.serverIp ? ctx.serverIp.replace(/[.:]/g, '-').length : 15;
}

/** The label `<name>-<6 hex>-<ip>` of a generated sslip.io/traefik.me domain. */
function generatedDomain(ctx: CheckContext, name: string, what: string): DoctorFinding[] {
  const old = before(ctx.dokployVersion, 0, 25, 7);
  const label =
    (old === true ? name.length : Math.min(name.length, DOMAIN_NAME_KEEP)) +
    DOMAIN_LABEL_OVERHEAD +
    ipLength(ctx);
  const rawLabel = name.length + DOMAIN_LABEL_OVERHEAD + ipLength(ctx);
  if (old === true && label > 63) {
    return [
      finding(
        'GENERATED_DOMAIN_LABEL_TOO_LONG',
        `${what} "${name}" is ${name.length} characters: Dokploy ${ctx.dokployVersion?.raw} puts all of it into the generated domain, whose first label becomes ${label} characters (DNS allows 63), so the domain does not resolve and no certificate is issued.`,
      ),
    ];
  }
  if (old !== true && name.length > DOMAIN_NAME_KEEP) {
    const note =
      old === undefined && rawLabel > 63
        ? ` Before Dokploy v0.25.7 the label would be ${rawLabel} characters, over DNS's 63.`
        : '';
    return [
      finding(
        'GENERATED_DOMAIN_NAME_TRUNCATED',
        `${what} "${name}" is ${name.length} characters; generated domains keep the first ${DOMAIN_NAME_KEEP} ("${name.slice(0, DOMAIN_NAME_KEEP)}").${note}`,
      ),
    ];
  }
  return [];
}

function appNameFindings(ctx: CheckContext, appName: string): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  if (!APP_NAME_RULE.test(appName)) {
    out.push(
      finding(
        'APP_NAME_INVALID',
        `The app name "${appName}" has characters outside letters, digits, ".", "_" and "-": compose.create answers 400.`,
      ),
    );
    return out;
  }
  if (appName.length > MAX_APP_NAME) {
    out.push(
      finding(
        'APP_NAME_TOO_LONG',
        `The app name is ${appName.length} characters; Dokploy accepts at most ${MAX_APP_NAME}.`,
      ),
    );
  }
  if (!ctx.appNameStored && /[A-Z]/.test(appName)) {
    out.push(
      finding(
        'APP_NAME_MANGLED',
        `Dokploy lower-cases "${appName}" and appends "-<6 characters>": the compose project, containers and volumes are named ${appName.toLowerCase()}-xxxxxx.`,
      ),
    );
  }
  if (/[_.]/.test(appName)) {
    out.push(
      finding(
        'APP_NAME_NOT_DNS_SAFE',
        `The app name "${appName}" contains ${appName.includes('_') ? '"_"' : '"."'}, which generated domains (<name>-<hex>-<ip>.sslip.io) carry over.`,
      ),
    );
  }
  out.push(...generatedDomain(ctx, appName, 'The app name'));
  return out;
}

function projectNameFindings(ctx: CheckContext, projectName: string): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  const slug = dokploySlug(projectName);
  const natural = projectName.trim().toLowerCase().replace(/\s+/g, '-');
  if (slug !== natural) {
    out.push(
      finding(
        'PROJECT_NAME_MANGLED',
        `Dokploy's slug of the project name "${projectName}" is "${slug}": the template's app name becomes ${slug}-supabase-xxxxxx and its generated domain starts with ${slug}-supabase.`,
      ),
    );
  }
  // compose.deployTemplate names the ${domain} after slugify("<project> <template id>")
  out.push(
    ...generatedDomain(ctx, dokploySlug(`${projectName} supabase`), 'The template domain name'),
  );
  return out;
}

/**
 * The project and app names: what Dokploy rejects (the appName rule, 63 characters), what it
 * changes (lower-casing, the slug that strips characters), and what breaks the generated
 * domains (`_`, labels over 63 characters before v0.25.7, the 40-character cut after).
 */
export const checkNames: Check = (ctx) => {
  const out: DoctorFinding[] = [];
  if (ctx.appName !== undefined) out.push(...appNameFindings(ctx, ctx.appName));
  if (ctx.projectName !== undefined) out.push(...projectNameFindings(ctx, ctx.projectName));
  if (ctx.appName === undefined && ctx.projectName === undefined) {
    ctx.skipped.push({ check: 'names', reason: 'no app or project name was given' });
  }
  return out;
};
