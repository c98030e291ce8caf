import { inspect } from 'node:util';
import { startDokploySimulator } from '@supaops/dokploy-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDokployClient, type DokployClient, DokployError } from '../src/index.js';
import { COMPOSE_FILE } from './helpers.js';
import { json, startLoopback } from './loopback.js';

const API_KEY = 'dkp_live_9f8e7d6c5b4a39281716151413121110';
const DB_PASSWORD = 'pg-pass-5f3a9c1e7b2d';
const JWT_SECRET = 'jwt-secret-with-at-least-32-characters!!';

function everyRendering(error: unknown): string {
  const e = error as Error & { cause?: unknown };
  return [
    String(e),
    e.message,
    e.stack ?? '',
    JSON.stringify(e),
    JSON.stringify(Object.assign({}, e)),
    inspect(e, { depth: 10, showHidden: true }),
    e.cause ? inspect(e.cause, { depth: 10 }) : '',
  ].join('\n');
}

describe('redaction: the API key and env secrets never appear in errors or logs', () => {
  let echo: Awaited<ReturnType<typeof startLoopback>>;
  const logs: string[] = [];
  let client: DokployClient;

  beforeAll(async () => {
    // a hostile server echoing everything it gets into its error bodies
    echo = await startLoopback((req, res) => {
      const everything = `headers=${JSON.stringify(req.headers)} body=${req.body} url=${req.url}`;
      const procedure = new URL(req.url, 'http://x').pathname.slice(5);
      if (procedure === 'project.all')
        return json(res, 500, { message: everything, code: 'INTERNAL_SERVER_ERROR' });
      if (procedure === 'compose.update')
        return json(res, 400, {
          message: everything,
          code: 'BAD_REQUEST',
          issues: [{ message: everything, path: ['env'] }],
        });
      if (procedure === 'user.get') return json(res, 401, { message: everything });
      if (procedure === 'project.one') return json(res, 404, { message: everything });
      if (procedure === 'compose.one')
        return json(res, 200, `<html>${everything}</html>`, 'text/html');
      if (procedure === 'compose.loadServices') return json(res, 200, { wrong: everything });
      return json(res, 403, { message: everything });
    });
    client = createDokployClient({
      baseUrl: echo.url,
      apiKey: API_KEY,
      version: '0.30.2',
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
      headers: { 'CF-Access-Client-Secret': 'cf-access-secret-0123456789abcdef' },
      logger: { debug: (m) => logs.push(m), warn: (m) => logs.push(m) },
    });
  });
  afterAll(() => echo.stop());

  const attempts: [string, (c: DokployClient) => Promise<unknown>][] = [
    ['500 echo', (c) => c.project.all()],
    [
      '400 issues echo',
      (c) =>
        c.compose.update({
          composeId: 'c',
          env: `POSTGRES_PASSWORD=${DB_PASSWORD}\nJWT_SECRET=${JWT_SECRET}\nPLAIN=visible`,
        }),
    ],
    ['401 echo', (c) => c.user.get()],
    ['404 echo', (c) => c.project.one({ projectId: 'p' })],
    ['non-JSON 200', (c) => c.compose.one({ composeId: 'c' })],
    ['bad shape', (c) => c.compose.loadServices({ composeId: 'c' })],
    ['403 echo', (c) => c.domain.byComposeId({ composeId: 'c' })],
  ];

  it.each(attempts)('%s', async (_label, call) => {
    const err = await call(client).catch((e: unknown) => e);
    expect(DokployError.isInstance(err)).toBe(true);
    const text = everyRendering(err);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(DB_PASSWORD);
    expect(text).not.toContain(JWT_SECRET);
    expect(text).not.toContain('cf-access-secret-0123456789abcdef');
    // where the server's words are kept, the key shows masked
    const serverMessage = (err as { serverMessage?: string }).serverMessage;
    if (serverMessage) expect(serverMessage).toContain('dkp_…1110');
  });

  it('logs are redacted too', () => {
    expect(logs.length).toBeGreaterThan(0);
    const all = logs.join('\n');
    expect(all).not.toContain(API_KEY);
    expect(all).not.toContain(DB_PASSWORD);
  });

  it('the client object itself does not print the key', () => {
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(API_KEY);
    expect(JSON.stringify(client)).not.toContain(API_KEY);
  });

  it('option errors never echo the key', () => {
    const err = (() => {
      try {
        createDokployClient({ baseUrl: 'not a url', apiKey: API_KEY });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(DokployError.isInstance(err)).toBe(true);
    expect(everyRendering(err)).not.toContain(API_KEY);
    const err2 = (() => {
      try {
        createDokployClient({ baseUrl: 'https://x.test', apiKey: API_KEY, timeoutMs: -5 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(everyRendering(err2)).not.toContain(API_KEY);
  });

  it('secrets read from compose.one are masked in later errors and logs (simulator)', async () => {
    const sim = await startDokploySimulator({ version: '0.30.2', apiKey: API_KEY });
    try {
      const c = createDokployClient({ baseUrl: sim.url, apiKey: sim.apiKey, retry: false });
      const { environment } = await c.project.create({ name: 'Secrets' });
      const compose = await c.compose.create({
        name: 's',
        environmentId: environment?.environmentId ?? '',
        composeFile: COMPOSE_FILE,
      });
      await c.compose.update({
        composeId: compose.composeId,
        env: `SERVICE_ROLE_KEY=${JWT_SECRET}`,
      });
      expect(c.redact(`token ${JWT_SECRET} and key ${API_KEY}`)).toBe(
        'token jwt-…rs!! and key dkp_…1110',
      );
      sim.setFaults({ spuriousUnauthorized: 1 });
      const err = await c.user.get().catch((e: unknown) => e);
      expect(everyRendering(err)).not.toContain(API_KEY);
    } finally {
      await sim.stop();
    }
  });
});
