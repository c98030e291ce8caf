import type { SimDeployEvent } from '@supaops/dokploy-simulator';
import {
  type DokploySimulator,
  type DokploySimulatorOptions,
  startDokploySimulator,
} from '@supaops/dokploy-simulator';
import { type SupabaseGateway, startSupabaseGateway } from '@supaops/supabase-gateway-simulator';

/**
 * A Dokploy simulator whose deploys bring up a Supabase gateway simulator with the deployed env
 * (selfhost's test/stack.ts approach), and a fetch that plays Traefik: `https://<domain>` reaches
 * the gateway of the compose whose kong domain it is, https only where the domain has it.
 */
export interface Stack {
  sim: DokploySimulator;
  gateways: Map<string, SupabaseGateway>;
  /** The env of every deploy, in order. */
  deploys: SimDeployEvent[];
  fetch: typeof fetch;
  count(procedure: string): number;
  stop(): Promise<void>;
}

export async function startStack(options: DokploySimulatorOptions = {}): Promise<Stack> {
  const gateways = new Map<string, SupabaseGateway>();
  const routes = new Map<string, { composeId: string; https: boolean }>();
  const deploys: SimDeployEvent[] = [];
  const onDeploy = async (event: SimDeployEvent) => {
    deploys.push(event);
    for (const [host, r] of routes) if (r.composeId === event.composeId) routes.delete(host);
    for (const d of event.domains)
      if (d.serviceName === 'kong')
        routes.set(d.host.toLowerCase(), { composeId: event.composeId, https: d.https });
    const existing = gateways.get(event.composeId);
    if (existing) await existing.reconfigure(event.env);
    else gateways.set(event.composeId, await startSupabaseGateway({ env: event.env }));
  };
  const sim = await startDokploySimulator({ deployDurationMs: 1, ...options, onDeploy });
  const routed: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const route = routes.get(url.hostname.toLowerCase());
    const gw = route && (url.protocol !== 'https:' || route.https) && gateways.get(route.composeId);
    if (!gw) return new Response('404 page not found\n', { status: 404 });
    return fetch(`${gw.url}${url.pathname}${url.search}`, init);
  };
  return {
    sim,
    gateways,
    deploys,
    fetch: routed,
    count: (procedure) =>
      sim.requests.filter((r) => r.procedure === procedure && r.status < 300).length,
    async stop() {
      await sim.stop();
      for (const gw of gateways.values()) await gw.stop();
    },
  };
}
