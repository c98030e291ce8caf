import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Stack } from './stack.js';

/** Headers the routed server's fetch sets: the URL's host and scheme it meant. */
export const ROUTE_HOST = 'x-supaops-route-host';
export const ROUTE_PROTO = 'x-supaops-route-proto';
const HOP = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  ROUTE_HOST,
  ROUTE_PROTO,
]);
// fetch has decoded the body already: these would describe bytes that are not sent
const DROPPED = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection']);

/**
 * A loopback HTTP server that plays the stack's Traefik for a server in another process: it
 * takes `https://<host>/…` as a request with the host and scheme in headers (test/helpers/
 * routed-server.mjs sends them) and answers what the stack's routed fetch answers.
 */
export async function startRouter(stack: Stack): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && !HOP.has(k)) headers.set(k, v);
      const host = String(req.headers[ROUTE_HOST] ?? '');
      const proto = String(req.headers[ROUTE_PROTO] ?? 'https:');
      const answer = await stack.fetch(`${proto}//${host}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      });
      const out: Record<string, string> = {};
      answer.headers.forEach((value, key) => {
        if (!DROPPED.has(key)) out[key] = value;
      });
      res.writeHead(answer.status, out);
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch (error) {
      res.writeHead(502).end(String((error as Error).message));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
