import type { DokployClient, DokployDomain } from '@supaops/dokploy-client';
import { z } from 'zod';
import { parseInput } from '../errors.js';
import type { HistoryStore } from '../safety/history.js';
import {
  callOf,
  clientSchema,
  type DeployTailInput,
  type DeployTailResult,
  writeOperationSchema,
} from './common.js';
import { deployAndValidate } from './deploy-and-validate.js';
import { DomainNotFoundError, LetsEncryptUnreachableError } from './ops-errors.js';
import { embeddedAddress } from './sslip.js';

export type CertificateType = 'letsencrypt' | 'none' | 'custom';

export interface DomainChange extends DeployTailInput {
  client: DokployClient;
  history: HistoryStore;
  composeId: string;
  action: 'add' | 'update' | 'remove';
  /** The domain to update or remove: its id or host. */
  domain?: string;
  host?: string;
  https?: boolean;
  certificateType?: CertificateType;
  /** Traefik's resolver name for `custom`. */
  customCertResolver?: string;
  serviceName?: string;
  port?: number;
  path?: string;
  /** Deploy so the change takes effect (default false: Dokploy writes Traefik labels only at deploy). */
  redeploy?: boolean;
}

export interface DomainChangeResult extends DeployTailResult {
  readonly action: DomainChange['action'];
  readonly domain: DokployDomain;
  /** Whether Traefik routes by it now: only after the redeploy. */
  readonly effective: boolean;
  readonly message: string;
}

/** The fields of a domain change, as changeDomain and planDomainChange take them. */
export const domainChangeShape = {
  action: z.enum(['add', 'update', 'remove']),
  domain: z.string().min(1).optional(),
  host: z.string().min(1).max(253).optional(),
  https: z.boolean().optional(),
  certificateType: z.enum(['letsencrypt', 'none', 'custom']).optional(),
  customCertResolver: z.string().min(1).optional(),
  serviceName: z.string().min(1).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  path: z.string().min(1).optional(),
};

/** The rules across a domain change's fields. */
export function refineDomainChange<
  T extends z.ZodType<{ action: DomainChange['action']; domain?: string; host?: string }>,
>(schema: T): T {
  return schema
    .refine((v) => v.action === 'add' || v.domain !== undefined, {
      message: 'update and remove need domain (its id or host)',
      path: ['domain'],
    })
    .refine((v) => v.action !== 'add' || v.host !== undefined, {
      message: 'add needs host',
      path: ['host'],
    });
}

const schema = refineDomainChange(writeOperationSchema(domainChangeShape));

/** Refuses Let's Encrypt for a generated name whose embedded address the internet cannot reach. */
export function assertLetsEncryptReachable(host: string): void {
  const embedded = embeddedAddress(host);
  if (embedded && !embedded.public)
    throw new LetsEncryptUnreachableError(host, embedded.address, embedded.range ?? 'non-public');
}

/** The compose's domains (`domain.byComposeId`). */
export async function listDomains(input: {
  client: DokployClient;
  composeId: string;
  signal?: AbortSignal;
}): Promise<DokployDomain[]> {
  const o = parseInput(
    'listDomains',
    z.object({ client: clientSchema, composeId: z.string().min(1), signal: z.any().optional() }),
    input,
  );
  return o.client.domain.byComposeId({ composeId: o.composeId }, callOf(o.signal));
}

/**
 * Adds, updates (host, https on/off, certificate type, service, port, path) or removes a
 * domain of a compose, recorded in the history first. Dokploy applies domains only at the next
 * deploy, so the result says `effective: false, needsRedeploy: true` unless `redeploy: true`,
 * which deploys, waits and validates. Let's Encrypt is refused for sslip.io / traefik.me names
 * that embed a private, loopback or CGNAT address (LetsEncryptUnreachableError).
 */
export async function changeDomain(input: DomainChange): Promise<DomainChangeResult> {
  const o = parseInput('changeDomain', schema, input);
  const { client, history, composeId } = o;
  const call = callOf(o.signal);
  const existing = await client.domain.byComposeId({ composeId }, call);
  const target =
    o.action === 'add'
      ? undefined
      : existing.find(
          (d) => d.domainId === o.domain || d.host.toLowerCase() === o.domain?.toLowerCase(),
        );
  if (o.action !== 'add' && !target)
    throw new DomainNotFoundError(
      composeId,
      String(o.domain),
      existing.map((d) => d.host),
    );
  const fields = {
    ...(o.https !== undefined ? { https: o.https } : {}),
    ...(o.certificateType ? { certificateType: o.certificateType } : {}),
    ...(o.customCertResolver ? { customCertResolver: o.customCertResolver } : {}),
    ...(o.serviceName ? { serviceName: o.serviceName } : {}),
    ...(o.port ? { port: o.port } : {}),
    ...(o.path ? { path: o.path } : {}),
  };
  let domain: DokployDomain;
  if (o.action === 'remove' && target) {
    await history.record({ kind: 'domain.delete', actor: 'domains', composeId, before: target });
    domain = await client.domain.delete({ domainId: target.domainId }, call);
    domain = { ...target, ...domain };
  } else {
    const host = o.host ?? target?.host ?? '';
    const https = o.https ?? target?.https ?? false;
    // https off means no certificate; on without a type means Let's Encrypt, the usual intent
    const certificateType: CertificateType = !https
      ? 'none'
      : (o.certificateType ??
        ((target?.certificateType as CertificateType | undefined) === 'none' || !target
          ? 'letsencrypt'
          : (target.certificateType as CertificateType)));
    if (https && certificateType === 'letsencrypt') assertLetsEncryptReachable(host);
    const desired = { host, ...fields, https, certificateType };
    if (target) {
      await history.record({
        kind: 'domain.update',
        actor: 'domains',
        composeId,
        before: target,
        after: desired,
      });
      domain = await client.domain.update({ domainId: target.domainId, ...desired }, call);
    } else {
      const create = { serviceName: 'kong', port: 8000, path: '/', ...desired };
      await history.record({ kind: 'domain.create', actor: 'domains', composeId, after: create });
      domain = await client.domain.create({ ...create, composeId, domainType: 'compose' }, call);
    }
  }
  const what = `${o.action === 'add' ? 'Added' : o.action === 'update' ? 'Updated' : 'Removed'} ${domain.host}`;
  if (!o.redeploy) {
    return {
      action: o.action,
      domain,
      effective: false,
      needsRedeploy: true,
      message: `${what}. Dokploy writes the Traefik labels only at deploy: it takes effect after the next deploy of the compose (pass redeploy: true, or deploy it in Dokploy).`,
    };
  }
  const compose = await client.compose.one({ composeId }, call);
  const done = await deployAndValidate(
    client,
    history,
    {
      composeId,
      actor: 'domains',
      title: 'supaops domain change',
      env: compose.env ?? '',
    },
    o,
  );
  return {
    action: o.action,
    domain,
    effective: true,
    needsRedeploy: false,
    message: `${what} and redeployed: Traefik routes it now.`,
    ...done,
  };
}
