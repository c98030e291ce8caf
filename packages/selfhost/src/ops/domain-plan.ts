import type { DokployClient, DokployDomain } from '@supaops/dokploy-client';
import { z } from 'zod';
import { composeServiceNames } from '../doctor/compose-services.js';
import { looksLikeCiphertext } from '../env/guard.js';
import { parseEnv, toEnvRecord } from '../env/parse.js';
import { GATEWAY_SERVICES } from '../env/schema/table.js';
import { parseInput } from '../errors.js';
import { callOf, clientSchema, signalSchema } from './common.js';
import {
  type CertificateType,
  type DomainChange,
  domainChangeShape,
  refineDomainChange,
} from './domains.js';
import { DomainNotFoundError } from './ops-errors.js';
import { embeddedAddress } from './sslip.js';

/** The input of changeDomain; history and the deploy options may be passed and are ignored. */
export type DomainPlanInput = Omit<DomainChange, 'history'> & { history?: unknown };

/** A domain's routing as the plan shows it. */
export interface DomainSettings {
  readonly host: string;
  readonly https: boolean;
  readonly certificateType: CertificateType;
  readonly serviceName?: string;
  readonly port?: number;
  readonly path?: string;
  readonly customCertResolver?: string;
}

/** Something the plan says about the change: a blocker stops it, a warning does not. */
export interface DomainPlanNote {
  readonly code: string;
  readonly message: string;
  readonly fix?: string;
}

export interface DomainChangePlan {
  readonly composeId: string;
  readonly action: DomainChange['action'];
  /** The domain updated or removed. */
  readonly domain?: DokployDomain;
  readonly before?: DomainSettings;
  /** What changeDomain will write (add, update). */
  readonly after?: DomainSettings;
  readonly changes: { field: string; from?: unknown; to?: unknown }[];
  /** An update that changes nothing. */
  readonly noop: boolean;
  /** Dokploy writes Traefik labels only at deploy: any change needs one to take effect. */
  readonly needsRedeploy: boolean;
  /** Whether the change will redeploy (the input's `redeploy`). */
  readonly redeploy: boolean;
  /** For https with Let's Encrypt: whether Let's Encrypt can reach the name. */
  readonly letsEncrypt?: {
    readonly host: string;
    readonly reachable: boolean;
    readonly address?: string;
    readonly range?: string;
    readonly reason: string;
  };
  readonly blockers: DomainPlanNote[];
  readonly warnings: DomainPlanNote[];
  /** No blocker: changeDomain can go ahead. */
  readonly ok: boolean;
  readonly summary: string;
  readonly steps: string[];
  /** The compose's domains now, one line each: `host (https, letsencrypt) → kong:8000`. */
  readonly domains: string[];
}

const schema = refineDomainChange(
  z
    .object({
      client: clientSchema,
      history: z.unknown().optional(),
      composeId: z.string().min(1),
      ...domainChangeShape,
      redeploy: z.boolean().optional(),
      // changeDomain's deploy options: accepted so the same input serves both, not used here
      timeoutMs: z.unknown().optional(),
      pollMs: z.unknown().optional(),
      validate: z.unknown().optional(),
      validateAttempts: z.unknown().optional(),
      validateRetryMs: z.unknown().optional(),
      fetch: z.unknown().optional(),
      signal: signalSchema.optional(),
    })
    .strict(),
);

type Parsed = z.output<typeof schema>;

const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function settingsOf(d: DokployDomain): DomainSettings {
  return {
    host: d.host,
    https: d.https === true,
    certificateType: (d.certificateType as CertificateType | undefined) ?? 'none',
    ...(d.serviceName ? { serviceName: d.serviceName } : {}),
    ...(typeof d.port === 'number' ? { port: d.port } : {}),
    ...(d.path ? { path: d.path } : {}),
    ...(typeof d.customCertResolver === 'string' && d.customCertResolver
      ? { customCertResolver: d.customCertResolver }
      : {}),
  };
}

/** One line per domain, as both faces show it. */
export function describeDomain(d: DomainSettings): string {
  const tls = d.https ? `https, ${d.certificateType}` : 'http';
  const to = d.serviceName ? ` → ${d.serviceName}${d.port ? `:${d.port}` : ''}` : '';
  return `${d.host} (${tls})${to}`;
}

/** What changeDomain writes: the same rules (https off means none, on without a type LE). */
function desiredOf(o: Parsed, target: DokployDomain | undefined): DomainSettings {
  const https = o.https ?? target?.https ?? false;
  const kept = target?.certificateType as CertificateType | undefined;
  const certificateType: CertificateType = !https
    ? 'none'
    : (o.certificateType ?? (kept === 'none' || !target ? 'letsencrypt' : (kept ?? 'letsencrypt')));
  const base = target ? settingsOf(target) : { serviceName: 'kong', port: 8000, path: '/' };
  return {
    ...base,
    host: o.host ?? target?.host ?? '',
    https,
    certificateType,
    ...(o.serviceName ? { serviceName: o.serviceName } : {}),
    ...(o.port ? { port: o.port } : {}),
    ...(o.path ? { path: o.path } : {}),
    ...(o.customCertResolver ? { customCertResolver: o.customCertResolver } : {}),
  };
}

function diff(before: DomainSettings | undefined, after: DomainSettings | undefined) {
  const fields = [
    'host',
    'https',
    'certificateType',
    'serviceName',
    'port',
    'path',
    'customCertResolver',
  ] as const;
  return fields
    .filter((f) => before?.[f] !== after?.[f])
    .map((f) => ({
      field: f,
      ...(before?.[f] !== undefined ? { from: before[f] } : {}),
      ...(after?.[f] !== undefined ? { to: after[f] } : {}),
    }));
}

/** The env's public URLs against the domain as it will be. */
function envNotes(
  env: string,
  before: DomainSettings | undefined,
  after: DomainSettings | undefined,
  removing: boolean,
): DomainPlanNote[] {
  if (env.trim() === '') return [];
  if (looksLikeCiphertext(env))
    return [
      {
        code: 'ENV_UNREADABLE',
        message:
          "the compose's env is ciphertext (Dokploy after a BETTER_AUTH_SECRET change), so its public URLs could not be checked against the domain",
      },
    ];
  const record = toEnvRecord(parseEnv(env, { interpolate: false }));
  const notes: DomainPlanNote[] = [];
  for (const key of ['SUPABASE_PUBLIC_URL', 'API_EXTERNAL_URL']) {
    let url: URL;
    try {
      url = new URL(record[key] ?? '');
    } catch {
      continue;
    }
    const host = url.hostname.toLowerCase();
    if (
      before &&
      host === before.host.toLowerCase() &&
      (removing || before.host.toLowerCase() !== after?.host.toLowerCase())
    ) {
      notes.push({
        code: 'ENV_URL_HOST',
        message: `${key} points at ${before.host}, which this change ${removing ? 'removes' : `replaces with ${after?.host}`}: clients, GoTrue's links and Studio would call a host that no longer routes`,
        fix: removing
          ? `point ${key} at the domain that stays (updateCompose env.set), then redeploy`
          : `set ${key} to ${after?.https ? 'https' : 'http'}://${after?.host}${url.pathname === '/' ? '' : url.pathname} (updateCompose env.set), then redeploy`,
      });
    } else if (after && !removing && host === after.host.toLowerCase()) {
      const scheme = after.https ? 'https:' : 'http:';
      if (url.protocol !== scheme)
        notes.push({
          code: 'ENV_URL_SCHEME',
          message: `${key} says ${url.protocol.replace(':', '')}, while the domain will serve ${after.https ? 'https' : 'http only'}: browser calls and auth redirects would go to a scheme that does not answer`,
          fix: `set ${key} to ${scheme}//${after.host}${url.pathname === '/' ? '' : url.pathname} (updateCompose env.set), or ${after.https ? 'turn https off' : 'turn https on'}`,
        });
    }
  }
  return notes;
}

/**
 * What a domain change will do, before changeDomain makes it (both faces show it for their
 * confirmation): the domain before and after (the exact values changeDomain writes), the
 * changed fields, that Dokploy applies it only at the next deploy, the Let's Encrypt
 * reachability of generated sslip.io / traefik.me names, https and certificate consistency,
 * the target service, and the env's public URLs against the new domain. Reads only.
 * Throws DomainNotFoundError for an update or remove of a domain the compose lacks.
 */
export async function planDomainChange(input: DomainPlanInput): Promise<DomainChangePlan> {
  const o = parseInput('planDomainChange', schema, input);
  const client: DokployClient = o.client;
  const call = callOf(o.signal);
  const [existing, compose] = await Promise.all([
    client.domain.byComposeId({ composeId: o.composeId }, call),
    client.compose.one({ composeId: o.composeId }, call),
  ]);
  const named = o.domain?.toLowerCase();
  const target =
    o.action === 'add'
      ? undefined
      : existing.find((d) => d.domainId === o.domain || d.host.toLowerCase() === named);
  if (o.action !== 'add' && !target)
    throw new DomainNotFoundError(
      o.composeId,
      String(o.domain),
      existing.map((d) => d.host),
    );
  const removing = o.action === 'remove';
  const before = target ? settingsOf(target) : undefined;
  const after = removing ? undefined : desiredOf(o, target);
  const changes = diff(before, after);
  const noop = o.action === 'update' && changes.length === 0;
  const blockers: DomainPlanNote[] = [];
  const warnings: DomainPlanNote[] = [];
  let letsEncrypt: DomainChangePlan['letsEncrypt'];
  if (after) {
    if (!HOSTNAME.test(after.host))
      blockers.push({
        code: 'HOST_INVALID',
        message: `"${after.host}" is not a hostname (letters, digits, "-" and "." only): Dokploy v0.29.9+ refuses it and Let's Encrypt cannot issue for it (an "_" breaks it silently, Dokploy#4716)`,
        fix: 'use a plain hostname such as supabase.example.com',
      });
    if (after.https && after.certificateType === 'letsencrypt') {
      const embedded = embeddedAddress(after.host);
      letsEncrypt = !embedded
        ? {
            host: after.host,
            reachable: true,
            reason:
              "not a generated name: Let's Encrypt succeeds once its DNS points at the server's public IP and ports 80/443 are open",
          }
        : embedded.public
          ? {
              host: after.host,
              reachable: true,
              address: embedded.address,
              reason: `the name resolves to ${embedded.address}, a public address Let's Encrypt can reach`,
            }
          : {
              host: after.host,
              reachable: false,
              address: embedded.address,
              ...(embedded.range ? { range: embedded.range } : {}),
              reason: `the name resolves to ${embedded.address}, a ${embedded.range ?? 'non-public'} address Let's Encrypt can never reach`,
            };
      if (!letsEncrypt.reachable)
        blockers.push({
          code: 'LETSENCRYPT_UNREACHABLE',
          message: `Let's Encrypt for ${after.host}: ${letsEncrypt.reason}, so the certificate would fail and Traefik would serve its self-signed one`,
          fix: 'use a domain of your own whose DNS points at the public IP; or keep this name with certificateType "none" (self-signed, browsers warn) or plain http for a local instance',
        });
    }
    if (after.https && after.certificateType === 'none')
      warnings.push({
        code: 'HTTPS_SELF_SIGNED',
        message: `https with certificateType "none": Traefik serves its default self-signed certificate for ${after.host}, which browsers and clients refuse unless told to trust it`,
        fix: 'use certificateType "letsencrypt" with a public name, or "custom" with your resolver',
      });
    if (after.https && after.certificateType === 'custom' && !after.customCertResolver)
      warnings.push({
        code: 'CUSTOM_RESOLVER_MISSING',
        message:
          'certificateType "custom" without customCertResolver: Traefik has no resolver to ask',
        fix: "pass customCertResolver, the name of a certificate resolver in Traefik's static config",
      });
    if (!after.https && o.certificateType && o.certificateType !== 'none')
      warnings.push({
        code: 'CERTIFICATE_IGNORED',
        message: `certificateType "${o.certificateType}" is ignored: with https off the domain gets none`,
        fix: 'pass https: true to use a certificate',
      });
    const services = composeServiceNames(compose.composeFile ?? '');
    if (services.length > 0 && after.serviceName && !services.includes(after.serviceName))
      blockers.push({
        code: 'SERVICE_UNKNOWN',
        message: `"${after.serviceName}" is not a service of the compose (${services.join(', ')}): every deploy would fail with "attached to service … which does not exist"`,
        fix: `use one of ${services.join(', ')} (the gateway is kong, or api-gw in newer templates)`,
      });
    const clash = existing.find(
      (d) => d.domainId !== target?.domainId && d.host.toLowerCase() === after.host.toLowerCase(),
    );
    if (clash)
      warnings.push({
        code: 'HOST_DUPLICATE',
        message: `another domain of this compose (${clash.domainId}) already has ${after.host}: Traefik would have two routers for it`,
        fix: 'update that domain instead of adding one',
      });
  }
  if (
    removing &&
    before?.serviceName &&
    GATEWAY_SERVICES.includes(before.serviceName) &&
    !existing.some(
      (d) => d.domainId !== target?.domainId && GATEWAY_SERVICES.includes(d.serviceName ?? ''),
    )
  )
    warnings.push({
      code: 'GATEWAY_REMOVED',
      message: `${before.host} is the only domain routing to ${before.serviceName}: after the redeploy the API and Studio are unreachable from outside`,
      fix: 'add another domain for the gateway first, or keep this one',
    });
  if (!noop) warnings.push(...envNotes(compose.env ?? '', before, after, removing));
  const redeploy = o.redeploy === true;
  const what =
    o.action === 'add'
      ? `add ${describeDomain(after as DomainSettings)}`
      : removing
        ? `remove ${describeDomain(before as DomainSettings)}`
        : noop
          ? `leave ${describeDomain(before as DomainSettings)} as it is`
          : `update ${describeDomain(before as DomainSettings)} to ${describeDomain(after as DomainSettings)}`;
  const tail = noop
    ? ' (nothing to change)'
    : redeploy
      ? ', then redeploy the compose and validate'
      : ' (effective only after the next deploy of the compose: Dokploy writes Traefik labels at deploy)';
  const steps = noop
    ? []
    : [
        'record the domain change in the history (for rollback)',
        o.action === 'add'
          ? `domain.create ${after?.host}`
          : removing
            ? `domain.delete ${before?.host}`
            : `domain.update ${before?.host}: ${changes.map((c) => c.field).join(', ')}`,
        redeploy
          ? 'redeploy the compose, wait for the deployment, validate the public URL'
          : 'no redeploy: the change waits for the next deploy (pass redeploy: true to apply it now)',
      ];
  return {
    composeId: o.composeId,
    action: o.action,
    ...(target ? { domain: target } : {}),
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
    changes,
    noop,
    needsRedeploy: !noop,
    redeploy,
    ...(letsEncrypt ? { letsEncrypt } : {}),
    blockers,
    warnings,
    ok: blockers.length === 0,
    summary: `${blockers.length > 0 ? 'Blocked: would' : 'Will'} ${what} on compose ${o.composeId}${tail}.${blockers.length > 0 ? ` ${blockers.map((b) => b.message).join(' ')}` : ''}`,
    steps,
    domains: existing.map((d) => describeDomain(settingsOf(d))),
  };
}
