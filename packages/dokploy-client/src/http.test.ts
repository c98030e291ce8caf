import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttp, HttpFailure } from './http.js';

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/slow') return; // never answers
      const text = JSON.stringify({
        method: req.method,
        body: Buffer.concat(chunks).toString('utf8'),
        accept: req.headers.accept,
      });
      res.writeHead(req.url === '/teapot' ? 418 : 200, { 'content-type': 'application/json' });
      res.end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const request = (
  url: string,
  extra: Partial<Parameters<ReturnType<typeof createHttp>>[0]> = {},
) => ({
  method: 'GET' as const,
  url,
  headers: { accept: 'application/json', 'x-api-key': 'k_http_0123456789' },
  body: undefined,
  signal: AbortSignal.timeout(5_000),
  ...extra,
});

describe('the axios HTTP layer', () => {
  it.each([
    ['http adapter', undefined],
    ['fetch adapter with an injected fetch', globalThis.fetch],
  ])(
    '%s: raw text both ways, every status resolves, our accept header wins',
    async (_label, impl) => {
      const send = createHttp(impl);
      const got = await send(
        request(`${base}/echo`, {
          method: 'POST',
          headers: { accept: 'application/json', 'content-type': 'application/json' },
          body: '{"a":1}',
        }),
      );
      expect(got.status).toBe(200);
      expect(got.contentType).toMatch(/^application\/json/);
      expect(JSON.parse(got.text)).toEqual({
        method: 'POST',
        body: '{"a":1}',
        accept: 'application/json',
      });
      expect((await send(request(`${base}/teapot`))).status).toBe(418);
    },
  );

  it('runs on the injected fetch', async () => {
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    await createHttp(counting)(request(`${base}/echo`));
    expect(calls).toBe(1);
  });

  it('failures carry a code and a message, never the request headers', async () => {
    const refused = await createHttp(undefined)(request('http://127.0.0.1:9/x')).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(HttpFailure);
    expect((refused as HttpFailure).code).toBe('ECONNREFUSED');
    expect(inspect(refused, { depth: 10 })).not.toContain('k_http_0123456789');
    const viaFetch = await createHttp(globalThis.fetch)(request('http://127.0.0.1:9/x')).catch(
      (e: unknown) => e,
    );
    expect(viaFetch).toBeInstanceOf(HttpFailure);
    expect(inspect(viaFetch, { depth: 10 })).not.toContain('k_http_0123456789');
    const thrown = await createHttp(() => Promise.reject('plain'))(request(`${base}/echo`)).catch(
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(HttpFailure);
  });

  it('an aborted signal ends the exchange', async () => {
    const controller = new AbortController();
    const pending = createHttp(undefined)(
      request(`${base}/slow`, { signal: controller.signal }),
    ).catch((e: unknown) => e);
    controller.abort();
    expect(await pending).toBeInstanceOf(HttpFailure);
  });
});
