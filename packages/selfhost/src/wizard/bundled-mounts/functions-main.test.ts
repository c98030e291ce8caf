import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FUNCTIONS_HELLO_TS } from './functions-hello.js';
import { FUNCTIONS_MAIN_TS } from './functions-main.js';

// The edge runtime cannot run here: the files run under Node with stand-ins for its two
// globals, Deno (env, serve, stat) and EdgeRuntime.userWorkers, so the routing and the JWT
// check are the real code on real Requests and WebCrypto.

type Handler = (req: Request) => Promise<Response>;
const SECRET = 'a-jwt-secret-of-at-least-32-characters!!';
let dir: string | undefined;
const globals = globalThis as Record<string, unknown>;

afterEach(async () => {
  delete globals.Deno;
  delete globals.EdgeRuntime;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function load(source: string, env: Record<string, string>, functions: string[] = []) {
  let handler: Handler | undefined;
  const workers: { servicePath: string; envVars: [string, string][] }[] = [];
  globals.Deno = {
    env: { get: (k: string) => env[k], toObject: () => ({ ...env }) },
    serve: (h: Handler) => {
      handler = h;
    },
    stat: async (path: string) => {
      if (!functions.some((f) => path === `/home/deno/functions/${f}`)) throw new Error('NotFound');
      return { isDirectory: true };
    },
  };
  globals.EdgeRuntime = {
    userWorkers: {
      create: async (o: { servicePath: string; envVars: [string, string][] }) => {
        workers.push(o);
        return {
          fetch: async (req: Request) =>
            new Response(`worker ${o.servicePath} ${new URL(req.url).pathname}`),
        };
      },
    },
  };
  dir ??= await mkdtemp(join(tmpdir(), 'edge-main-'));
  const file = join(dir, `index-${workers.length}-${Math.random().toString(36).slice(2)}.ts`);
  await writeFile(file, source);
  await import(pathToFileURL(file).href);
  if (!handler) throw new Error('the file did not call Deno.serve');
  return { handler, workers };
}

const b64 = (v: string | Buffer) => Buffer.from(v).toString('base64url');
function jwt(payload: Record<string, unknown>, secret = SECRET, alg = 'HS256') {
  const head = `${b64(JSON.stringify({ alg, typ: 'JWT' }))}.${b64(JSON.stringify(payload))}`;
  return `${head}.${b64(createHmac('sha256', secret).update(head).digest())}`;
}
const call = (h: Handler, path: string, token?: string, method = 'GET') =>
  h(
    new Request(`http://functions:9000${path}`, {
      method,
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    }),
  );

describe('functions/main/index.ts', () => {
  it('with VERIFY_JWT=true: only a valid HS256 JWT signed with JWT_SECRET reaches the worker', async () => {
    const { handler, workers } = await load(
      FUNCTIONS_MAIN_TS,
      { JWT_SECRET: SECRET, VERIFY_JWT: 'true', SUPABASE_URL: 'http://kong:8000' },
      ['hello'],
    );
    const now = Math.floor(Date.now() / 1000);
    const ok = await call(handler, '/hello/x?y=1', jwt({ role: 'anon', exp: now + 60 }));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('worker /home/deno/functions/hello /hello/x');
    expect(workers[0]?.envVars).toContainEqual(['SUPABASE_URL', 'http://kong:8000']);

    const reasons: Record<string, string | undefined> = {
      missing: undefined,
      wrongSecret: jwt({ role: 'anon' }, 'another-secret-another-secret-another'),
      expired: jwt({ role: 'anon', exp: now - 1 }),
      notJwt: 'abc',
      alg: jwt({ role: 'anon' }, SECRET, 'HS512'),
    };
    const answers: Record<string, [number, string]> = {};
    for (const [k, token] of Object.entries(reasons)) {
      const r = await call(handler, '/hello', token);
      answers[k] = [r.status, ((await r.json()) as { msg: string }).msg];
    }
    expect(answers).toEqual({
      missing: [401, 'Missing authorization header'],
      wrongSecret: [401, 'Invalid JWT: invalid signature'],
      expired: [401, 'Invalid JWT: expired'],
      notJwt: [401, 'Invalid JWT: not a JWT'],
      alg: [401, 'Invalid JWT: algorithm HS512 is not HS256'],
    });
    expect(workers).toHaveLength(1);
    // a CORS preflight needs no token
    expect((await call(handler, '/hello', undefined, 'OPTIONS')).status).toBe(200);
  });

  it('with VERIFY_JWT=false: no token needed; unknown, invalid and main names are 404', async () => {
    const { handler, workers } = await load(FUNCTIONS_MAIN_TS, { VERIFY_JWT: 'false' }, ['hello']);
    expect((await call(handler, '/hello')).status).toBe(200);
    for (const path of ['/nope', '/main', '/..%2Fetc', '/'])
      expect((await call(handler, path)).status, path).toBe(404);
    expect(workers.map((w) => w.servicePath)).toEqual(['/home/deno/functions/hello']);
  });

  it('a failing worker is a 500 naming the function', async () => {
    const { handler } = await load(FUNCTIONS_MAIN_TS, { VERIFY_JWT: 'false' }, ['hello']);
    (globals.EdgeRuntime as { userWorkers: { create: () => Promise<never> } }).userWorkers.create =
      async () => {
        throw new Error('boot error');
      };
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const r = await call(handler, '/hello');
    expect(logged).toHaveBeenCalledWith('main: function hello failed', expect.any(Error));
    logged.mockRestore();
    expect(r.status).toBe(500);
    expect(((await r.json()) as { msg: string }).msg).toBe('Function hello failed: boot error');
  });
});

describe('functions/hello/index.ts', () => {
  it('greets the posted name, or the world', async () => {
    const { handler } = await load(FUNCTIONS_HELLO_TS, {});
    const posted = await handler(
      new Request('http://functions:9000/hello', { method: 'POST', body: '{"name":"Ada"}' }),
    );
    expect(await posted.json()).toEqual({ message: 'Hello Ada!' });
    expect(await (await handler(new Request('http://functions:9000/hello'))).json()).toEqual({
      message: 'Hello world!',
    });
  });
});
