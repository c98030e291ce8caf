import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { openSecretStore } from '@supaops/config';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, assertNoSecrets, BIN, caller, ok, unwrap } from './helpers/clients.js';
import { createFixture, type Fixture } from './helpers/fixture.js';

const db = useTestDatabase('mcp_http');
let fx: Fixture;

interface Started {
  child: ChildProcess;
  url: string;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `supaops-mcp --http --port 0` and reads the URL (and a generated token) from stderr. */
async function startHttp(extraEnv: NodeJS.ProcessEnv = {}): Promise<Started> {
  assertBuilt();
  const child = spawn(process.execPath, [BIN, '--http', '--port', '0'], {
    cwd: fx.project,
    env: { ...fx.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  // the URL line comes first, the connect instructions (with the header) after it
  for (let i = 0; i < 200 && !/Authorization: Bearer/.test(stderr); i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    await sleep(25);
  }
  const url = /Streamable HTTP on (\S+)/.exec(stderr)?.[1];
  if (!url) throw new Error(`no URL on stderr: ${stderr}`);
  return {
    child,
    url,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
      expect(stdout).toBe('');
    },
  };
}

function tokenFrom(stderr: string): string {
  const token = /Authorization: Bearer (smcp_\S+)/.exec(stderr)?.[1];
  if (!token) throw new Error(`no token on stderr: ${stderr}`);
  return token;
}

async function connect(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'supaops-http-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1' },
  },
};

function post(url: string, headers: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(initialize),
  });
}

let server: Started;
let token: string;

beforeAll(async () => {
  fx = await createFixture(db.current);
  server = await startHttp();
  token = tokenFrom(server.stderr());
});

afterAll(async () => {
  await server?.stop();
  await fx?.cleanup();
});

describe('Streamable HTTP', () => {
  it('binds to 127.0.0.1 and answers /health without a token', async () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    const res = await fetch(server.url.replace(/\/mcp$/, '/health'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', name: 'supaops' });
  });

  it('rejects a missing or wrong token', async () => {
    expect((await post(server.url, {})).status).toBe(401);
    expect((await post(server.url, { authorization: `Bearer ${token}x` })).status).toBe(401);
    expect((await post(server.url, { authorization: 'Basic abc' })).status).toBe(401);
  });

  it('rejects a foreign Origin even with the token; accepts its own', async () => {
    const bad = await post(server.url, {
      authorization: `Bearer ${token}`,
      origin: 'http://evil.example',
    });
    expect(bad.status).toBe(403);
    const port = new URL(server.url).port;
    const good = await post(server.url, {
      authorization: `Bearer ${token}`,
      origin: `http://localhost:${port}`,
    });
    expect(good.status).toBe(200);
  });

  it('rejects a rebound Host name (DNS rebinding)', async () => {
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const target = new URL(server.url);
        const req = request(
          {
            host: target.hostname,
            port: target.port,
            path: '/mcp',
            method: 'POST',
            headers: {
              host,
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify(initialize));
      });
    const port = new URL(server.url).port;
    expect(await status(`attacker.example:${port}`)).toBe(403);
    expect(await status(`localhost:${port}`)).toBe(200);
  });

  it('serves an SDK client with the token, and concurrent calls', async () => {
    const client = await connect(server.url, token);
    try {
      const call = caller(client, fx.secrets);
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('execute_sql');
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          call('execute_sql', { sql: 'SELECT $1::int AS i', params: [i] }),
        ),
      );
      expect(
        results.map((r) => unwrap<{ i: number }[]>(ok<{ data: string }>(r).data)[0]?.i),
      ).toEqual(Array.from({ length: 25 }, (_, i) => i));
    } finally {
      await client.close();
    }
  });

  it('shows a generated token once: a restart reuses it from the state dir without printing it', async () => {
    await server.stop();
    server = await startHttp();
    expect(server.stderr()).not.toContain(token);
    expect(server.stderr()).toMatch(/token in .*mcp-http-token/);
    const client = await connect(server.url, token);
    await client.close();
    assertNoSecrets(server.stderr(), fx.secrets, 'server stderr');
  });

  it('takes the token from SUPAOPS_MCP_TOKEN', async () => {
    const own = await startHttp({ SUPAOPS_MCP_TOKEN: 'env-token-0123456789abcdef' });
    try {
      expect((await post(own.url, { authorization: `Bearer ${token}` })).status).toBe(401);
      const client = await connect(own.url, 'env-token-0123456789abcdef');
      await client.close();
      expect(own.stderr()).not.toContain('env-token-0123456789abcdef');
    } finally {
      await own.stop();
    }
  });

  it('takes a store: token of config mcp.http.token from the configured secret store', async () => {
    const dir = join(fx.root, 'store-project');
    await mkdir(dir, { recursive: true });
    const storePath = join(dir, 'secrets.json');
    const key = randomBytes(32).toString('hex');
    const stored = `smcp_${randomBytes(24).toString('base64url')}`;
    const store = await openSecretStore({ path: storePath, env: { SUPAOPS_SECRET_KEY: key } });
    await store.set('mcp-token', stored);
    const config = {
      version: 1,
      secretStore: { path: storePath },
      instances: {
        down: { kind: 'self-hosted', database: { session: 'postgres://x@127.0.0.1:1/x' } },
      },
      mcp: { http: { token: 'store:mcp-token' } },
    };
    const file = join(dir, 'supaops.config.json');
    await writeFile(file, JSON.stringify(config));
    const own = await startHttp({ SUPAOPS_CONFIG: file, SUPAOPS_SECRET_KEY: key });
    try {
      expect(own.stderr()).toMatch(/Bearer <the token of config mcp\.http\.token>/);
      expect((await post(own.url, { authorization: `Bearer ${token}` })).status).toBe(401);
      const client = await connect(own.url, stored);
      try {
        const listed = ok<{ instances: { name: string }[] }>(
          await caller(client, [stored, key])('list_instances'),
        );
        expect(listed.instances.map((i) => i.name)).toEqual(['down']);
      } finally {
        await client.close();
      }
      assertNoSecrets(own.stderr(), [stored, key], 'server stderr');
    } finally {
      await own.stop();
    }
  });
});
