import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDokployClient, type DokployClient } from '@supaops/dokploy-client';
import {
  type DokploySimulator,
  type DokploySimulatorOptions,
  type SimDeployEvent,
  startDokploySimulator,
} from '@supaops/dokploy-simulator';
import { type SupabaseGateway, startSupabaseGateway } from '@supaops/supabase-gateway-simulator';

/**
 * A Dokploy simulator whose deploys bring up a Supabase gateway simulator with the compose's
 * env, and a fetch that routes `https://<domain>` to the gateway of the compose whose domain it
 * is, as Traefik does: only hosts the last deploy labelled, https only where the domain has it.
 */
export interface SimulatedStack {
  sim: DokploySimulator;
  client: DokployClient;
  gateways: Map<string, SupabaseGateway>;
  fetch: typeof fetch;
  dir: string;
  stop(): Promise<void>;
}

export async function startStack(options: DokploySimulatorOptions = {}): Promise<SimulatedStack> {
  const gateways = new Map<string, SupabaseGateway>();
  const routes = new Map<string, { composeId: string; https: boolean }>();
  const onDeploy = async (event: SimDeployEvent) => {
    for (const [host, r] of routes) if (r.composeId === event.composeId) routes.delete(host);
    for (const d of event.domains)
      if (d.serviceName === 'kong')
        routes.set(d.host.toLowerCase(), { composeId: event.composeId, https: d.https });
    const existing = gateways.get(event.composeId);
    if (existing) await existing.reconfigure(event.env);
    else gateways.set(event.composeId, await startSupabaseGateway({ env: event.env }));
  };
  const sim = await startDokploySimulator({ deployDurationMs: 1, ...options, onDeploy });
  const client = createDokployClient({
    baseUrl: sim.url,
    apiKey: sim.apiKey,
    logger: { warn: () => {} },
    retry: false,
  });
  const routedFetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const route = routes.get(url.hostname.toLowerCase());
    // Traefik: no router for this host (or only on the web entrypoint for an http-only domain)
    if (!route || (url.protocol === 'https:' && !route.https))
      return new Response('404 page not found\n', { status: 404 });
    const gw = gateways.get(route.composeId);
    if (!gw) return new Response('404 page not found\n', { status: 404 });
    return fetch(`${gw.url}${url.pathname}${url.search}`, init);
  };
  const dir = await mkdtemp(join(tmpdir(), 'selfhost-wizard-'));
  return {
    sim,
    client,
    gateways,
    fetch: routedFetch,
    dir,
    async stop() {
      await sim.stop();
      for (const gw of gateways.values()) await gw.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
