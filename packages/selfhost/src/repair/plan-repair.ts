import { createHash } from 'node:crypto';
import type { DokployClient, DokployDomain } from '@supaops/dokploy-client';
import { planKeyRepair, type RepairConsequences } from '@supaops/supabase-jwt';
import { z } from 'zod';
import { validateConfig, validateEnv } from '../doctor/validate-config.js';
import { diffEnv, type EnvDiff, formatEnvDiff } from '../env/diff.js';
import { setEnvValues } from '../env/edit.js';
import { assertEnvWritable } from '../env/guard.js';
import { parseEnv, toEnvRecord } from '../env/parse.js';
import { GATEWAY_SERVICES } from '../env/schema/table.js';
import { DoctorSourceError, parseInput } from '../errors.js';
import { hostOf } from '../util/url-host.js';

export interface PlanRepairInput {
  client: DokployClient;
  composeId: string;
  now?: Date | number;
}

/** The domain change a repair makes: https with Let's Encrypt on the gateway's domain. */
export interface DomainRepair {
  domainId: string;
  host: string;
  before: { https: boolean; certificateType: string };
  after: { https: true; certificateType: 'letsencrypt' };
}

/**
 * What a repair would change. JSON-safe and secret-free (the diff is masked); the env texts
 * it applies are kept off the enumerable properties, so they never reach a log or a JSON dump.
 */
export interface RepairPlan {
  readonly composeId: string;
  readonly appName: string;
  /** True when the env or the domain changes. */
  readonly needed: boolean;
  /** JWT_SECRET is replaced (it was missing, short or public); otherwise the keys are re-signed with it. */
  readonly rotateSecret: boolean;
  readonly changedKeys: string[];
  readonly diff: EnvDiff;
  /** `formatEnvDiff(diff)`: what a dry run shows. */
  readonly diffText: string;
  readonly domain?: DomainRepair;
  readonly publicUrl?: string;
  /** Doctor error codes now, and those left after the repair (judged offline). */
  readonly findingsBefore: string[];
  readonly findingsAfter: string[];
  readonly keySummary: string[];
  readonly consequences: RepairConsequences;
  /** What cannot be repaired here (no domain, a custom certificate…). */
  readonly notes: string[];
}

/** The env texts of a plan (secrets inside): read them with `repairPlanEnv`. */
const TEXTS = new WeakMap<RepairPlan, { before: string; after: string; hash: string }>();

/** The env before and after of a plan (holds secrets: never log it). */
export function repairPlanEnv(plan: RepairPlan): { before: string; after: string; hash: string } {
  const texts = TEXTS.get(plan);
  if (!texts) throw new TypeError('repairPlanEnv: not a plan made by planRepair()');
  return texts;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const schema = z
  .object({
    client: z.custom<DokployClient>(
      (v) => typeof v === 'object' && v !== null && 'compose' in v && 'domain' in v,
      'a DokployClient',
    ),
    composeId: z.string().min(1),
    now: z.union([z.date(), z.number().finite()]).optional(),
  })
  .strict();

function gatewayDomain(domains: DokployDomain[], env: Record<string, string>) {
  const host = hostOf(env.SUPABASE_PUBLIC_URL) ?? hostOf(env.API_EXTERNAL_URL);
  return (
    domains.find((d) => host !== undefined && d.host.toLowerCase() === host) ??
    domains.find((d) => GATEWAY_SERVICES.includes(d.serviceName ?? ''))
  );
}

/** The URL values derived from the gateway's host, served over https. */
function urlChanges(env: Record<string, string>, host: string): Record<string, string> {
  const out: Record<string, string> = {};
  const url = `https://${host}`;
  if (env.SUPABASE_PUBLIC_URL !== url) out.SUPABASE_PUBLIC_URL = url;
  const api = env.API_EXTERNAL_URL ?? '';
  // keep an explicit /auth/v1 path: GoTrue accepts it
  const apiWanted = /\/auth\/v1\/?$/.test(api) ? `${url}/auth/v1` : url;
  if (api !== apiWanted) out.API_EXTERNAL_URL = apiWanted;
  if ('SUPABASE_HOST' in env && env.SUPABASE_HOST !== host) out.SUPABASE_HOST = host;
  const redirects = env.ADDITIONAL_REDIRECT_URLS;
  if (redirects) {
    const fixed = redirects
      .split(',')
      .map((u) => (hostOf(u.trim()) === host ? u.replace(/^\s*http:\/\//, 'https://') : u))
      .join(',');
    if (fixed !== redirects) out.ADDITIONAL_REDIRECT_URLS = fixed;
  }
  return out;
}

/**
 * Plans the repair of a deployed compose: the doctor's findings, the keys re-signed (the secret
 * kept when it is sound, `planKeyRepair`), the URLs derived from the gateway's domain over https,
 * and that domain switched to https with Let's Encrypt. Nothing is written: this is the dry run.
 */
export async function planRepair(input: PlanRepairInput): Promise<RepairPlan> {
  const o = parseInput('planRepair', schema, input);
  const { client, composeId } = o;
  const compose = await client.compose.one({ composeId }).catch((error: unknown) => {
    throw new DoctorSourceError(
      `planRepair could not read compose ${composeId}: ${(error as Error).message} Fix: check the composeId and that the API key may read the service.`,
      { cause: error },
    );
  });
  const before = compose.env ?? '';
  assertEnvWritable(before);
  const env = toEnvRecord(parseEnv(before));
  const doctor = await validateConfig({
    dokploy: client,
    composeId,
    ...(o.now === undefined ? {} : { now: o.now }),
  });
  const keys = await planKeyRepair(env, o.now === undefined ? {} : { now: o.now });
  const domains = compose.domains ?? (await client.domain.byComposeId({ composeId }));
  const gateway = gatewayDomain(domains, env);
  const notes: string[] = [];
  const host = gateway?.host.toLowerCase();
  const changes: Record<string, string> = { ...keys.changes };
  let domain: DomainRepair | undefined;
  if (host) {
    Object.assign(changes, urlChanges(env, host));
    if (gateway && gateway.certificateType === 'custom') {
      notes.push(`the domain ${host} uses a custom certificate; it is left as it is`);
    } else if (gateway && (gateway.https !== true || gateway.certificateType !== 'letsencrypt')) {
      domain = {
        domainId: gateway.domainId,
        host,
        before: {
          https: gateway.https === true,
          certificateType: gateway.certificateType ?? 'none',
        },
        after: { https: true, certificateType: 'letsencrypt' },
      };
    }
  } else {
    notes.push('no domain routes to the gateway (kong): create one, then repair the URLs');
  }
  const after = Object.keys(changes).length > 0 ? setEnvValues(before, changes) : before;
  const diff = diffEnv(before, after);
  const afterReport = validateEnv(after, host ? { domain: { host, https: true } } : undefined);
  const errorsOf = (findings: { severity: string; code: string }[]) => [
    ...new Set(findings.filter((f) => f.severity === 'error').map((f) => f.code)),
  ];
  const plan: RepairPlan = {
    composeId,
    appName: compose.appName,
    needed: after !== before || domain !== undefined,
    rotateSecret: keys.rotateSecret,
    changedKeys: diff.entries.filter((e) => e.status !== 'unchanged').map((e) => e.key),
    diff,
    diffText: formatEnvDiff(diff),
    ...(domain ? { domain } : {}),
    ...(host ? { publicUrl: `https://${host}` } : {}),
    findingsBefore: errorsOf(doctor.findings),
    findingsAfter: errorsOf(afterReport.findings),
    keySummary: keys.summary,
    consequences: keys.consequences,
    notes,
  };
  TEXTS.set(plan, { before, after, hash: sha256(before) });
  return plan;
}
