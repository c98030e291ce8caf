import type { DokployClient } from '@supaops/dokploy-client';
import type { Queryable } from '@supaops/pg-connect';
import { z } from 'zod';
import { looksLikeCiphertext } from '../env/guard.js';
import { parseEnv, toEnvRecord } from '../env/parse.js';
import { DOKPLOY_TEMPLATE_SERVICES, GATEWAY_SERVICES } from '../env/schema/table.js';
import type { EnvDocument, EnvRecord } from '../env/types.js';
import { DoctorSourceError, parseInput } from '../errors.js';
import { hostOf } from '../util/url-host.js';
import { checkAnalytics } from './analytics.js';
import { composeServiceNames } from './compose-services.js';
import type { Check, CheckContext, DokployVersionInfo, DomainInfo } from './context.js';
import { checkDomains } from './domain.js';
import {
  buildResult,
  type DoctorFinding,
  type DoctorResult,
  type DoctorSkip,
  finding,
} from './finding.js';
import { checkFunctions } from './functions.js';
import { checkKeys } from './keys.js';
import { checkNames } from './names.js';
import { checkPooler, checkPoolSize } from './pooler.js';
import { checkRequired } from './required.js';
import { checkSecrets } from './secrets.js';
import { checkSmtp } from './smtp.js';
import { checkSyntax } from './syntax.js';
import { checkUrls } from './urls.js';

/** What the offline doctor knows besides the env (all optional). */
export interface ValidateEnvOptions {
  /** The instant keys are judged against (default now). */
  now?: Date | number;
  /** The stack's compose services; default the Dokploy template's. */
  services?: readonly string[];
  /** Or the compose file to read them from. */
  composeFile?: string;
  /** The gateway's domain and whether it is served over https. */
  domain?: { host: string; https: boolean; serviceName?: string; certificateType?: string };
  /** An app name to create the compose with (checked against Dokploy's rules). */
  appName?: string;
  /** A project name (Dokploy slugs it into template app names and domains). */
  projectName?: string;
  /** The Dokploy version (`v0.25.5`), for version-dependent name checks. */
  dokployVersion?: string;
  /** The server's IP, for the length of generated domains. */
  serverIp?: string;
}

export type EnvInput = string | Readonly<Record<string, string | undefined>>;

export interface OfflineDoctorInput extends ValidateEnvOptions {
  env: EnvInput;
  /** A database (URL, pg-connect target or pool) for the pool-size check. */
  database?: Queryable;
}

export interface OnlineDoctorInput {
  /** A `DokployClient` of `@supaops/dokploy-client`; the compose is read with `compose.one`. */
  dokploy: DokployClient;
  composeId: string;
  database?: Queryable;
  now?: Date | number;
  serverIp?: string;
}

const nowSchema = z.union([z.date(), z.number().finite()]).optional();
const domainSchema = z
  .object({
    host: z.string().min(1),
    https: z.boolean(),
    serviceName: z.string().optional(),
    certificateType: z.string().optional(),
  })
  .strict();
const optionShape = {
  now: nowSchema,
  services: z.array(z.string()).optional(),
  composeFile: z.string().optional(),
  domain: domainSchema.optional(),
  appName: z.string().optional(),
  projectName: z.string().optional(),
  dokployVersion: z.string().optional(),
  serverIp: z.string().optional(),
};
const envSchema = z.union([z.string(), z.record(z.string(), z.string().optional())]);
const optionsSchema = z.object(optionShape).strict().optional();
const databaseSchema = z.custom<Queryable>(
  (v) => typeof v === 'string' || (typeof v === 'object' && v !== null),
  'a connection URL, a pg-connect target or a pool',
);
const offlineSchema = z
  .object({ ...optionShape, env: envSchema, database: databaseSchema.optional() })
  .strict();
const clientSchema = z.custom<DokployClient>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { compose?: { one?: unknown } }).compose?.one === 'function',
  'a DokployClient from @supaops/dokploy-client',
);
const onlineSchema = z
  .object({
    dokploy: clientSchema,
    composeId: z.string().min(1),
    database: databaseSchema.optional(),
    now: nowSchema,
    serverIp: z.string().optional(),
  })
  .strict();

/** The checks that read the env, in the order they run. */
const ENV_CHECKS: readonly Check[] = [
  checkSyntax,
  checkKeys,
  checkSecrets,
  checkRequired,
  checkUrls,
  checkSmtp,
  checkPooler,
  checkFunctions,
  checkAnalytics,
];

function parseVersion(raw: string | undefined): DokployVersionInfo | undefined {
  const m = raw === undefined ? null : /^v?(\d+)\.(\d+)\.(\d+)/.exec(raw.trim());
  return m
    ? {
        major: Number(m[1]),
        minor: Number(m[2]),
        patch: Number(m[3]),
        raw: `v${m[1]}.${m[2]}.${m[3]}`,
      }
    : undefined;
}

interface Prepared {
  env: EnvRecord;
  doc?: EnvDocument;
  ciphertext: boolean;
}

function prepareEnv(env: EnvInput): Prepared {
  if (typeof env !== 'string') {
    const record: EnvRecord = {};
    for (const [k, v] of Object.entries(env)) if (v !== undefined) record[k] = v;
    return { env: record, ciphertext: false };
  }
  if (looksLikeCiphertext(env)) return { env: {}, ciphertext: true };
  const doc = parseEnv(env);
  return { env: toEnvRecord(doc), doc, ciphertext: false };
}

interface RunSpec {
  prepared: Prepared;
  services?: readonly string[] | undefined;
  domain?: DomainInfo | undefined;
  domains?: readonly DomainInfo[] | undefined;
  appName?: string | undefined;
  appNameStored?: boolean;
  projectName?: string | undefined;
  dokployVersion?: DokployVersionInfo | undefined;
  serverIp?: string | undefined;
  now?: Date | number | undefined;
}

function contextOf(spec: RunSpec, skipped: DoctorSkip[]): CheckContext {
  const known = spec.services !== undefined && spec.services.length > 0;
  const optional = <K extends keyof CheckContext>(key: K, value: CheckContext[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  return {
    env: spec.prepared.env,
    ...optional('doc', spec.prepared.doc),
    stack: new Set(known ? spec.services : DOKPLOY_TEMPLATE_SERVICES),
    stackKnown: known,
    ...optional('domain', spec.domain),
    ...optional('domains', spec.domains),
    ...optional('appName', spec.appName),
    ...optional('appNameStored', spec.appNameStored),
    ...optional('projectName', spec.projectName),
    ...optional('dokployVersion', spec.dokployVersion),
    ...optional('serverIp', spec.serverIp),
    now: spec.now === undefined ? new Date() : new Date(spec.now),
    skipped,
  };
}

function runChecks(ctx: CheckContext, prepared: Prepared): DoctorFinding[] {
  const findings: DoctorFinding[] = [];
  if (prepared.ciphertext) {
    findings.push(
      finding(
        'ENV_CIPHERTEXT',
        'The env is encrypted text (enc:v1:…), not KEY=VALUE lines: Dokploy v0.29.12+ returns the stored ciphertext when BETTER_AUTH_SECRET changed after the env was saved. The services still run on the .env written at the last deploy, but a redeploy or any write of this value breaks them.',
      ),
    );
    ctx.skipped.push({ check: 'env', reason: 'the env is ciphertext; no env check could run' });
  } else {
    for (const check of ENV_CHECKS) findings.push(...check(ctx));
  }
  findings.push(...checkNames(ctx), ...checkDomains(ctx));
  return findings;
}

async function withDatabase(
  ctx: CheckContext,
  prepared: Prepared,
  database: Queryable | undefined,
): Promise<DoctorFinding[]> {
  if (prepared.ciphertext) return [];
  if (database === undefined) {
    ctx.skipped.push({ check: 'pooler.max_connections', reason: 'no database was given' });
    return [];
  }
  return checkPoolSize(ctx, database);
}

function composeServicesOf(options: ValidateEnvOptions): readonly string[] | undefined {
  if (options.services !== undefined) return options.services;
  if (options.composeFile !== undefined) return composeServiceNames(options.composeFile);
  return undefined;
}

function offlineSpec(env: EnvInput, options: ValidateEnvOptions): RunSpec {
  return {
    prepared: prepareEnv(env),
    services: composeServicesOf(options),
    domain: options.domain,
    appName: options.appName,
    projectName: options.projectName,
    dokployVersion: parseVersion(options.dokployVersion),
    serverIp: options.serverIp,
    now: options.now,
  };
}

/**
 * The doctor, offline and synchronous: every check that needs only the env (and what the
 * options tell about the stack, domain and names). No database, no network.
 */
export function validateEnv(env: EnvInput, options?: ValidateEnvOptions): DoctorResult {
  const source = parseInput('validateEnv', envSchema, env);
  const o = parseInput('validateEnv', optionsSchema, options) ?? {};
  const spec = offlineSpec(source, o);
  const skipped: DoctorSkip[] = [];
  const ctx = contextOf(spec, skipped);
  const findings = runChecks(ctx, spec.prepared);
  skipped.push({ check: 'pooler.max_connections', reason: 'offline: no database' });
  return buildResult('offline', findings, skipped);
}

function domainsOf(raw: readonly Record<string, unknown>[] | undefined): DomainInfo[] | undefined {
  if (!raw) return undefined;
  return raw.map((d) => ({
    host: String(d.host ?? ''),
    https: d.https === true,
    ...(typeof d.serviceName === 'string' ? { serviceName: d.serviceName } : {}),
    ...(typeof d.certificateType === 'string' ? { certificateType: d.certificateType } : {}),
  }));
}

/** The domain in front of the gateway: the one the public URL names, else kong's / api-gw's. */
function gatewayDomain(domains: readonly DomainInfo[], env: EnvRecord): DomainInfo | undefined {
  const host = hostOf(env.SUPABASE_PUBLIC_URL);
  return (
    domains.find((d) => host !== undefined && d.host.toLowerCase() === host) ??
    domains.find((d) => GATEWAY_SERVICES.includes(d.serviceName ?? '')) ??
    domains[0]
  );
}

async function readCompose(input: z.output<typeof onlineSchema>) {
  const client = input.dokploy;
  try {
    return await client.compose.one({ composeId: input.composeId });
  } catch (error) {
    throw new DoctorSourceError(
      `The doctor could not read compose ${input.composeId} from Dokploy: ${(error as Error).message} Fix: check the composeId (compose.one), the Dokploy URL and that the API key may read the service.`,
      { cause: error },
    );
  }
}

async function onlineSpec(input: z.output<typeof onlineSchema>): Promise<RunSpec> {
  const client = input.dokploy;
  const compose = await readCompose(input);
  let version: DokployVersionInfo | undefined;
  try {
    version = parseVersion((await client.getVersion()).raw);
  } catch {
    version = undefined;
  }
  let rawDomains = compose.domains as Record<string, unknown>[] | undefined;
  if (rawDomains === undefined) {
    rawDomains = (await client.domain
      .byComposeId({ composeId: input.composeId })
      .catch(() => undefined)) as Record<string, unknown>[] | undefined;
  }
  const prepared = prepareEnv(compose.env ?? '');
  const domains = domainsOf(rawDomains);
  const services = composeServiceNames(compose.composeFile ?? '');
  const projectName = compose.environment?.project?.name ?? compose.project?.name;
  return {
    prepared,
    services: services.length > 0 ? services : undefined,
    domain: domains ? gatewayDomain(domains, prepared.env) : undefined,
    domains,
    appName: compose.appName,
    appNameStored: true,
    projectName: typeof projectName === 'string' ? projectName : undefined,
    dokployVersion: version,
    serverIp: input.serverIp,
    now: input.now,
  };
}

function isOnline(input: unknown): boolean {
  return typeof input === 'object' && input !== null && 'dokploy' in input;
}

/**
 * The doctor. Offline on an env (`{ env, …options }`), or online on a Dokploy compose
 * (`{ dokploy: client, composeId }`: the env, compose file, domains, names and version read
 * through the client). With `database`, the pool size is checked against the real
 * `max_connections`. Findings never contain a secret; the result is JSON-serializable.
 */
export async function validateConfig(
  input: OfflineDoctorInput | OnlineDoctorInput,
): Promise<DoctorResult> {
  const skipped: DoctorSkip[] = [];
  if (isOnline(input)) {
    const o = parseInput('validateConfig', onlineSchema, input);
    const spec = await onlineSpec(o);
    const ctx = contextOf(spec, skipped);
    const findings = runChecks(ctx, spec.prepared);
    findings.push(...(await withDatabase(ctx, spec.prepared, o.database)));
    return buildResult('online', findings, skipped, {
      composeId: o.composeId,
      ...(spec.appName === undefined ? {} : { appName: spec.appName }),
      ...(spec.dokployVersion === undefined ? {} : { dokployVersion: spec.dokployVersion.raw }),
    });
  }
  const o = parseInput('validateConfig', offlineSchema, input);
  const { env, database, ...options } = o;
  const spec = offlineSpec(env, options);
  const ctx = contextOf(spec, skipped);
  const findings = runChecks(ctx, spec.prepared);
  findings.push(...(await withDatabase(ctx, spec.prepared, database)));
  return buildResult('offline', findings, skipped);
}
