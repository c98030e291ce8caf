import { checkSecretConstraints, DEMO_SECRET_VALUES, redactSecret } from '@supaops/supabase-jwt';
import { ENV_VARIABLES } from '../env/schema/table.js';
import { type Check, type CheckContext, readersOf, setValue } from './context.js';
import { type DoctorFinding, finding } from './finding.js';

/** Public values of upstream's `.env.example` (JWT ones are the keys check's, the tenant the pooler's). */
const DEMO_VALUES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    Object.entries(DEMO_SECRET_VALUES).filter(([name]) => name !== 'POOLER_TENANT_ID'),
  ),
  MINIO_ROOT_PASSWORD: 'secret1234',
  SMTP_PASS: 'fake_mail_password',
};

/** Placeholder shapes people leave in secrets (`your-…`, `changeme`, `xxxx`, `<…>`). */
const PLACEHOLDER =
  /^(?:your[-_]|change[-_]?me|replace[-_]?me|todo|placeholder|<.*>$)|x{6,}|^(?:secret|password)$/i;

/** Checked by other families: the keys (supabase-jwt) and the pooler tenant. */
const ELSEWHERE = new Set([
  'JWT_SECRET',
  'ANON_KEY',
  'SERVICE_ROLE_KEY',
  'JWT_KEYS',
  'JWT_JWKS',
  'ANON_KEY_ASYMMETRIC',
  'SERVICE_ROLE_KEY_ASYMMETRIC',
  'SUPABASE_PUBLISHABLE_KEY',
  'SUPABASE_SECRET_KEY',
  'POOLER_TENANT_ID',
]);

/** Characters that end the password part of an unencoded postgres:// URL, or get interpolated. */
const URL_BREAKING = /[@:/?#[\]%\s$"'\\]/;

function at(ctx: CheckContext, variable: string) {
  return { variable, services: readersOf(ctx, variable) };
}

function demoAndPlaceholders(ctx: CheckContext, flagged: Set<string>): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  for (const [name, spec] of Object.entries(ENV_VARIABLES)) {
    if (!spec.secret || ELSEWHERE.has(name)) continue;
    const value = setValue(ctx, name);
    if (value === undefined) continue;
    if (DEMO_VALUES[name] === value) {
      flagged.add(name);
      if (name === 'DASHBOARD_PASSWORD') {
        out.push(
          finding(
            'DASHBOARD_PASSWORD_DEFAULT',
            "DASHBOARD_PASSWORD is .env.example's published default: anyone can open Studio (with service_role rights) through the gateway's basic auth.",
            at(ctx, name),
          ),
        );
      } else if (name !== 'SMTP_PASS') {
        out.push(
          finding(
            'SECRET_DEMO_VALUE',
            `${name} is the public value from upstream's .env.example (${redactSecret(value)}).`,
            at(ctx, name),
          ),
        );
      }
    } else if (PLACEHOLDER.test(value)) {
      flagged.add(name);
      out.push(
        finding(
          'SECRET_PLACEHOLDER',
          `${name} looks like a placeholder (${redactSecret(value)}).`,
          at(ctx, name),
        ),
      );
    }
  }
  return out;
}

function constraintFindings(ctx: CheckContext, flagged: Set<string>): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  const password = setValue(ctx, 'POSTGRES_PASSWORD');
  const breaksUrls =
    password !== undefined && !flagged.has('POSTGRES_PASSWORD') && URL_BREAKING.test(password);
  if (breaksUrls) {
    flagged.add('POSTGRES_PASSWORD');
    out.push(
      finding(
        'POSTGRES_PASSWORD_BREAKS_URLS',
        'POSTGRES_PASSWORD contains a character such as @ : / ? # % $, a quote or a space: the compose puts it unencoded into postgres:// URLs (auth, rest, storage, realtime, supavisor), which then name another host or fail to parse.',
        at(ctx, 'POSTGRES_PASSWORD'),
      ),
    );
  }
  for (const v of checkSecretConstraints(ctx.env)) {
    if (flagged.has(v.variable) || ELSEWHERE.has(v.variable) || v.problem.includes('.env.example'))
      continue;
    const length = /^is \d+ characters/.test(v.problem);
    out.push(
      finding(
        length ? 'SECRET_LENGTH_INVALID' : 'SECRET_CONSTRAINT_VIOLATED',
        `${v.variable} ${v.problem} (needs ${v.rule}).`,
        at(ctx, v.variable),
      ),
    );
  }
  return out;
}

function reuse(ctx: CheckContext): DoctorFinding[] {
  const byValue = new Map<string, string[]>();
  for (const [name, spec] of Object.entries(ENV_VARIABLES)) {
    if (!spec.secret) continue;
    const value = setValue(ctx, name);
    // short values collide by chance; the Logflare pair is the constraint check's
    if (value === undefined || value.length < 8) continue;
    const names = byValue.get(value);
    if (names) names.push(name);
    else byValue.set(value, [name]);
  }
  const out: DoctorFinding[] = [];
  for (const names of byValue.values()) {
    const shared = names.filter((n) => n !== 'LOGFLARE_PRIVATE_ACCESS_TOKEN' || names.length > 2);
    // ANON_KEY = SERVICE_ROLE_KEY is the keys check's JWT_IDENTICAL_KEYS
    if (
      shared.length < 2 ||
      (shared.length === 2 && shared.includes('ANON_KEY') && shared.includes('SERVICE_ROLE_KEY'))
    )
      continue;
    out.push(
      finding(
        'SECRETS_REUSED',
        `${shared.join(', ')} have the same value: one leak exposes all of them.`,
        at(ctx, shared[1] as string),
      ),
    );
  }
  return out;
}

/**
 * Demo and default secrets and passwords, placeholders, the constraints of
 * `@supaops/supabase-jwt` (lengths the services need, safe characters) and reused values.
 */
export const checkSecrets: Check = (ctx) => {
  const flagged = new Set<string>();
  return [...demoAndPlaceholders(ctx, flagged), ...constraintFindings(ctx, flagged), ...reuse(ctx)];
};
