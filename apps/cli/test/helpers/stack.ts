import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDokployClient, type DokployClient } from '@supaops/dokploy-client';
import {
  type DokploySimulator,
  type SimDeployEvent,
  startDokploySimulator,
} from '@supaops/dokploy-simulator';
import { type SupabaseGateway, startSupabaseGateway } from '@supaops/supabase-gateway-simulator';

/**
 * The selfhost tests' stack for a CLI in another process: the Dokploy simulator whose deploys
 * bring up a Supabase gateway simulator with the compose's env (its `onDeploy` hook), and a
 * loopback "tunnel" for `--validate-via`: it forwards to the gateway of the compose whose domain
 * the request's X-Forwarded-Host names, as Traefik routes by host (only hosts the last deploy
 * labelled, https only where the domain has it); 404 otherwise.
 */
export interface CliStack {
  sim: DokploySimulator;
  client: DokployClient;
  gateways: Map<string, SupabaseGateway>;
  /** The --validate-via URL. */
  tunnel: string;
  /** While set, a deploy's hook waits on it (the deployment stays `running`). */
  hold: Promise<void> | undefined;
  stop(): Promise<void>;
}

export async function startCliStack(version: string): Promise<CliStack> {
  const gateways = new Map<string, SupabaseGateway>();
  const routes = new Map<string, { composeId: string; https: boolean }>();
  const stack = { hold: undefined } as CliStack;
  const onDeploy = async (event: SimDeployEvent) => {
    if (stack.hold) await stack.hold;
    for (const [host, r] of routes) if (r.composeId === event.composeId) routes.delete(host);
    for (const d of event.domains)
      if (d.serviceName === 'kong')
        routes.set(d.host.toLowerCase(), { composeId: event.composeId, https: d.https });
    const existing = gateways.get(event.composeId);
    if (existing) await existing.reconfigure(event.env);
    else gateways.set(event.composeId, await startSupabaseGateway({ env: event.env }));
  };
  const sim = await startDokploySimulator({ version, deployDurationMs: 1, onDeploy });
  const server: Server = createServer(async (req, res) => {
    const host = String(req.headers['x-forwarded-host'] ?? '').toLowerCase();
    const https = req.headers['x-forwarded-proto'] === 'https';
    const route = routes.get(host);
    const gw = route ? gateways.get(route.composeId) : undefined;
    if (!route || !gw || (https && !route.https)) {
      res.writeHead(404).end('404 page not found\n');
      return;
    }
    try {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && !k.startsWith('x-forwarded') && k !== 'host')
          headers.set(k, v);
      const upstream = await fetch(`${gw.url}${req.url}`, { method: req.method, headers });
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? '',
      });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    } catch {
      res.writeHead(502).end('bad gateway\n');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  Object.assign(stack, {
    sim,
    gateways,
    tunnel: `http://127.0.0.1:${port}`,
    client: createDokployClient({
      baseUrl: sim.url,
      apiKey: sim.apiKey,
      logger: { warn: () => {} },
      retry: false,
    }),
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await sim.stop();
      for (const gw of gateways.values()) await gw.stop();
    },
  });
  return stack;
}
