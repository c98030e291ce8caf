import type { DokployClient, DokployProject } from '@supaops/dokploy-client';
import { z } from 'zod';
import { composeServiceNames } from '../doctor/compose-services.js';
import { parseEnv, toEnvRecord } from '../env/parse.js';
import { parseInput } from '../errors.js';
import { callOf, clientSchema, signalSchema } from './common.js';

/** One Supabase stack found on a Dokploy instance. JSON-safe, secret-free. */
export interface SupabaseInstance {
  /** The Dokploy instance's name (the key it was passed under). */
  readonly instance: string;
  readonly composeId: string;
  readonly name: string;
  readonly appName: string;
  readonly projectName: string;
  readonly environmentName: string | null;
  /** Dokploy's compose status: `idle`, `running` (deploying), `done`, `error`. */
  readonly status: string;
  /** The newest deployment, when there is one. */
  readonly lastDeployment?: { readonly status: string; readonly createdAt?: string };
  readonly publicUrl?: string;
  readonly domains: readonly { host: string; https: boolean; serviceName?: string }[];
  /** Why it counts as a Supabase stack: `service:kong`, `image:supabase/gotrue`, `env:ANON_KEY`… */
  readonly markers: readonly string[];
}

export interface InstanceListError {
  readonly instance: string;
  readonly message: string;
}

export interface ListSupabaseInstancesResult {
  readonly instances: SupabaseInstance[];
  /** Instances that could not be read; the others are listed anyway. */
  readonly errors: InstanceListError[];
  /** How many composes were looked at, Supabase or not. */
  readonly composesScanned: number;
}

export interface ListSupabaseInstancesInput {
  /** Dokploy clients by name, e.g. `{ prod, staging }` (a registry's `get(name)` for each). */
  clients: Record<string, DokployClient>;
  signal?: AbortSignal;
}

const schema = z
  .object({
    clients: z.record(z.string().min(1), clientSchema),
    signal: signalSchema.optional(),
  })
  .strict();

const SUPABASE_SERVICES = ['kong', 'api-gw', 'auth', 'rest', 'db', 'studio', 'storage', 'meta'];
const SUPABASE_IMAGES =
  /image:\s*["']?(supabase\/(?:gotrue|postgres|studio|storage-api|postgres-meta|realtime|supavisor|edge-runtime|logflare)|kong|postgrest\/postgrest)\b/g;
const SUPABASE_ENV = ['ANON_KEY', 'SERVICE_ROLE_KEY', 'JWT_SECRET'];

/**
 * Why a compose is a Supabase stack, or an empty list: the template's services (at least three
 * of kong/api-gw, auth, rest, db, studio, storage, meta), supabase/* images, or the key trio of
 * its env. Two kinds of evidence are required, so a lone `db` service or a stray ANON_KEY does
 * not count.
 */
export function supabaseMarkers(composeFile: string, env: string): string[] {
  const services = composeServiceNames(composeFile).filter((s) => SUPABASE_SERVICES.includes(s));
  const images = [...new Set([...composeFile.matchAll(SUPABASE_IMAGES)].map((m) => m[1]))];
  let record: Record<string, string> = {};
  try {
    record = toEnvRecord(parseEnv(env, { interpolate: false }));
  } catch {
    // ciphertext or garbage: no env evidence
  }
  const envKeys = SUPABASE_ENV.filter((k) => k in record);
  const kinds = [
    services.length >= 3,
    images.some((i) => i?.startsWith('supabase/')),
    envKeys.length === SUPABASE_ENV.length,
  ].filter(Boolean).length;
  if (kinds < 2) return [];
  return [
    ...services.map((s) => `service:${s}`),
    ...images.map((i) => `image:${i}`),
    ...(envKeys.length === SUPABASE_ENV.length ? envKeys.map((k) => `env:${k}`) : []),
  ];
}

interface ComposeRef {
  composeId: string;
  projectName: string;
  environmentName: string | null;
}

function composeRefs(projects: readonly DokployProject[]): ComposeRef[] {
  const out: ComposeRef[] = [];
  for (const p of projects) {
    for (const c of p.compose ?? [])
      out.push({ composeId: c.composeId, projectName: p.name, environmentName: null });
    for (const e of p.environments ?? [])
      for (const c of e.compose ?? [])
        out.push({ composeId: c.composeId, projectName: p.name, environmentName: e.name });
  }
  return out;
}

async function scan(
  name: string,
  client: DokployClient,
  signal: AbortSignal | undefined,
): Promise<{ found: SupabaseInstance[]; scanned: number }> {
  const call = callOf(signal);
  const refs = composeRefs(await client.project.all(call));
  const found: SupabaseInstance[] = [];
  for (const ref of refs) {
    const c = await client.compose.one({ composeId: ref.composeId }, call);
    const markers = supabaseMarkers(c.composeFile ?? '', c.env ?? '');
    if (markers.length === 0) continue;
    const env = toEnvRecord(parseEnv(c.env ?? '', { interpolate: false }));
    const latest = [...(c.deployments ?? [])].sort((a, b) =>
      String(b.createdAt ?? '').localeCompare(String(a.createdAt ?? '')),
    )[0];
    const domains = (c.domains ?? []).map((d) => ({
      host: d.host,
      https: d.https === true,
      ...(d.serviceName ? { serviceName: d.serviceName } : {}),
    }));
    const publicUrl = env.SUPABASE_PUBLIC_URL;
    found.push({
      instance: name,
      composeId: c.composeId,
      name: c.name,
      appName: c.appName,
      projectName: ref.projectName,
      environmentName: ref.environmentName,
      status: c.composeStatus ?? 'idle',
      ...(latest
        ? {
            lastDeployment: {
              status: latest.status,
              ...(latest.createdAt ? { createdAt: latest.createdAt } : {}),
            },
          }
        : {}),
      ...(publicUrl && /^https?:\/\//.test(publicUrl) ? { publicUrl } : {}),
      domains,
      markers,
    });
  }
  return { found, scanned: refs.length };
}

/**
 * Every Dokploy compose that is a Supabase stack, across several Dokploy instances, with
 * Dokploy's status and its newest deployment. An instance that cannot be read is listed in
 * `errors` (its message, which the client already redacted) and the others still are.
 */
export async function listSupabaseInstances(
  input: ListSupabaseInstancesInput,
): Promise<ListSupabaseInstancesResult> {
  const o = parseInput('listSupabaseInstances', schema, input);
  const results = await Promise.all(
    Object.entries(o.clients).map(async ([name, client]) => {
      try {
        return { name, ...(await scan(name, client, o.signal)) };
      } catch (error) {
        return { name, error: (error as Error).message ?? String(error) };
      }
    }),
  );
  const instances: SupabaseInstance[] = [];
  const errors: InstanceListError[] = [];
  let composesScanned = 0;
  for (const r of results) {
    if ('error' in r) errors.push({ instance: r.name, message: String(r.error) });
    else {
      instances.push(...r.found);
      composesScanned += r.scanned;
    }
  }
  return { instances, errors, composesScanned };
}
