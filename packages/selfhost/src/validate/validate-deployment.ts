import type { DokployClient } from '@supaops/dokploy-client';
import { z } from 'zod';
import { parseInput } from '../errors.js';
import { sleep } from '../util/sleep.js';
import type { ServiceLogs } from '../workflow-errors.js';
import { type ContainerHealth, readContainerHealth } from './containers.js';
import { type DeploymentCheck, runHttpChecks } from './http-checks.js';
import { collectServiceLogs } from './service-logs.js';

export interface ValidateDeploymentInput {
  /** The gateway's public URL, e.g. `https://supabase.acme.dev`. */
  publicUrl: string;
  anonKey: string;
  serviceKey: string;
  /** With `composeId`: container health, and the logs of failing services. */
  client?: DokployClient;
  composeId?: string;
  /** Default the global fetch. */
  fetch?: typeof fetch;
  /** How often the HTTP checks run while the stack is still starting (default 1). */
  attempts?: number;
  retryMs?: number;
  signal?: AbortSignal;
}

/** The outcome of every check, JSON-safe and secret-free. */
export interface DeploymentReport {
  readonly ok: boolean;
  readonly publicUrl: string;
  readonly checks: DeploymentCheck[];
  readonly containers?: ContainerHealth[];
  /** The logs of the services the failing checks point at. */
  readonly logs: ServiceLogs[];
  readonly attempts: number;
}

const schema = z
  .object({
    publicUrl: z.url({ protocol: /^https?$/ }),
    anonKey: z.string().min(1),
    serviceKey: z.string().min(1),
    client: z
      .custom<DokployClient>(
        (v) => typeof v === 'object' && v !== null && 'docker' in v && 'compose' in v,
        'a DokployClient',
      )
      .optional(),
    composeId: z.string().min(1).optional(),
    fetch: z.custom<typeof fetch>((v) => typeof v === 'function', 'a fetch function').optional(),
    attempts: z.number().int().min(1).max(100).optional(),
    retryMs: z.number().int().min(0).max(60_000).optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  })
  .strict()
  .refine((v) => (v.client === undefined) === (v.composeId === undefined), {
    message: 'give client and composeId together',
    path: ['composeId'],
  });

async function containerCheck(
  client: DokployClient,
  composeId: string,
  signal: AbortSignal | undefined,
): Promise<{ check: DeploymentCheck; containers: ContainerHealth[] }> {
  const call = signal ? { signal } : {};
  const compose = await client.compose.one({ composeId }, call);
  const containers = await readContainerHealth(client, compose.appName, signal);
  const bad = containers.filter((c) => !c.ok);
  if (containers.length === 0) {
    return {
      containers,
      check: {
        name: 'containers',
        ok: false,
        reason: 'the compose has no containers (never deployed?)',
      },
    };
  }
  return {
    containers,
    check:
      bad.length === 0
        ? {
            name: 'containers',
            ok: true,
            reason: `${containers.length} containers running, every health check healthy`,
          }
        : {
            name: 'containers',
            ok: false,
            reason: `not healthy: ${bad.map((c) => `${c.service} (${c.state}${c.health === 'none' ? '' : `, ${c.health}`})`).join(', ')}`,
            services: bad.map((c) => c.service),
          },
  };
}

/**
 * Post-deploy validation: containers healthy (with a client), then HTTP checks against the
 * public URL with `apikey` and `Authorization: Bearer` (GoTrue health with the anon key,
 * PostgREST with both keys and different privileges, GoTrue's admin API and Storage's bucket
 * list with the service key). On failure the logs of the services the failures point at.
 */
export async function validateDeployment(
  input: ValidateDeploymentInput,
): Promise<DeploymentReport> {
  const o = parseInput('validateDeployment', schema, input);
  const fetchImpl = o.fetch ?? globalThis.fetch;
  const attempts = o.attempts ?? 1;
  let checks: DeploymentCheck[] = [];
  let containers: ContainerHealth[] | undefined;
  let used = 0;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    used = attempt;
    checks = [];
    if (o.client && o.composeId) {
      const c = await containerCheck(o.client, o.composeId, o.signal);
      containers = c.containers;
      checks.push(c.check);
    }
    checks.push(
      ...(await runHttpChecks({
        publicUrl: o.publicUrl,
        anonKey: o.anonKey,
        serviceKey: o.serviceKey,
        fetch: fetchImpl,
        signal: o.signal,
      })),
    );
    const failed = checks.filter((c) => !c.ok);
    if (failed.length === 0 || !failed.some((c) => c.transient)) break;
    if (attempt < attempts) await sleep(o.retryMs ?? 2000, o.signal);
  }
  const failed = checks.filter((c) => !c.ok);
  let logs: ServiceLogs[] = [];
  if (failed.length > 0 && o.client && o.composeId && containers) {
    logs = await collectServiceLogs(o.client, {
      composeId: o.composeId,
      services: failed.flatMap((c) => c.services ?? []),
      containers,
      signal: o.signal,
    });
  }
  return {
    ok: failed.length === 0,
    publicUrl: o.publicUrl,
    checks,
    ...(containers ? { containers } : {}),
    logs,
    attempts: used,
  };
}

/** One line per check: `✓ auth-health: …` / `✗ rest-privileges-differ: …`. */
export function formatDeploymentReport(report: DeploymentReport): string {
  return report.checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.name}: ${c.reason}`).join('\n');
}
