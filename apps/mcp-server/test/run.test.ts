import { once } from 'node:events';
import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpStartError, McpOptionsError, runMcpServer } from '../src/index.js';
import { assertNoSecrets, caller, ok } from './helpers/clients.js';
import { createFixture, type Fixture } from './helpers/fixture.js';

// runMcpServer in this process (as the CLI's `supaops mcp` calls it), so coverage sees the
// transports; the spawned-process tests cover the executable.
const db = useTestDatabase('mcp_run');
let fx: Fixture;
const logs: string[] = [];
const log = (line: string) => logs.push(line);

beforeAll(async () => {
  fx = await createFixture(db.current);
});

afterAll(async () => {
  assertNoSecrets(logs.join('\n'), fx.secrets, 'server log');
  await fx?.cleanup();
});

describe('runMcpServer over stdio streams', () => {
  it('answers initialize, tools/list and tools/call, and stops when input ends', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const running = await runMcpServer({
      stdio: { stdin, stdout },
      cwd: fx.project,
      env: fx.env,
      log,
    });
    expect(running).toBeDefined();
    const replies = new Map<number, Record<string, unknown>>();
    let buffer = '';
    stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const message = JSON.parse(line) as { id?: number };
        if (message.id !== undefined) replies.set(message.id, message);
      }
    });
    const send = (message: unknown) => stdin.write(`${JSON.stringify(message)}\n`);
    const reply = async (id: number) => {
      for (let i = 0; i < 200 && !replies.has(id); i++) await new Promise((r) => setTimeout(r, 10));
      return replies.get(id) as { result: Record<string, unknown> };
    };
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 't', version: '1' },
      },
    });
    expect((await reply(1)).result.serverInfo).toMatchObject({ name: 'supaops' });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(((await reply(2)).result.tools as unknown[]).length).toBeGreaterThan(10);
    send({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'get_project_url', arguments: {} },
    });
    expect((await reply(3)).result.structuredContent).toEqual({
      instance: 'dev',
      url: 'http://127.0.0.1:54321',
    });
    stdin.end();
    await running?.done;
  });
});

describe('runMcpServer over HTTP', () => {
  it('serves sessions with the configured token and handles protocol errors', async () => {
    const running = await runMcpServer({
      transport: 'http',
      http: { port: 0 },
      cwd: fx.project,
      env: { ...fx.env, SUPAOPS_MCP_TOKEN: 'run-test-token-000000000000' },
      log,
    });
    if (!running?.url) throw new Error('no url');
    const { url } = running;
    const auth = { authorization: 'Bearer run-test-token-000000000000' };
    try {
      expect(logs.join('\n')).toMatch(/SUPAOPS_MCP_TOKEN/);
      const client = new Client({ name: 'run-test', version: '1' });
      const transport = new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: auth },
      });
      await client.connect(transport);
      const call = caller(client, fx.secrets);
      expect(ok(await call('get_project_url'))).toMatchObject({ instance: 'dev' });
      const health = (await (await fetch(url.replace(/\/mcp$/, '/health'))).json()) as {
        sessions: number;
      };
      expect(health.sessions).toBe(1);

      const jsonHeaders = {
        ...auth,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      };
      const listBody = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' });
      // no session yet and not an initialize request
      expect(
        (await fetch(url, { method: 'POST', headers: jsonHeaders, body: listBody })).status,
      ).toBe(400);
      // an unknown session
      const unknown = { ...jsonHeaders, 'mcp-session-id': 'nope' };
      expect((await fetch(url, { method: 'POST', headers: unknown, body: listBody })).status).toBe(
        404,
      );
      expect((await fetch(url, { method: 'GET', headers: unknown })).status).toBe(404);
      expect((await fetch(url, { method: 'GET', headers: auth })).status).toBe(400);
      expect((await fetch(url, { method: 'PUT', headers: auth })).status).toBe(405);
      expect((await fetch(url.replace(/\/mcp$/, '/other'), { headers: auth })).status).toBe(404);
      expect(
        (await fetch(url, { method: 'POST', headers: jsonHeaders, body: '{not json' })).status,
      ).toBe(400);
      const huge = 'x'.repeat(5 * 1024 * 1024);
      const tooBig = await fetch(url, { method: 'POST', headers: jsonHeaders, body: huge }).catch(
        () => undefined,
      );
      if (tooBig) expect(tooBig.status).toBe(413);

      // the session ends with DELETE
      await transport.terminateSession();
      await client.close();
      for (let i = 0; i < 50; i++) {
        const h = (await (await fetch(url.replace(/\/mcp$/, '/health'))).json()) as {
          sessions: number;
        };
        if (h.sessions === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const after = (await (await fetch(url.replace(/\/mcp$/, '/health'))).json()) as {
        sessions: number;
      };
      expect(after.sessions).toBe(0);
    } finally {
      await running.stop();
    }
    await running.done;
  });

  it('says how to fix a port in use', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(
        runMcpServer({ transport: 'http', http: { port }, cwd: fx.project, env: fx.env, log }),
      ).rejects.toSatisfy(
        (e: unknown) => HttpStartError.isInstance(e) && /--port/.test((e as Error).message),
      );
    } finally {
      blocker.close();
    }
  });

  it('rejects invalid options and answers --help and --version without serving', async () => {
    await expect(runMcpServer({ transport: 'carrier-pigeon' as 'http' })).rejects.toSatisfy(
      McpOptionsError.isInstance,
    );
    await expect(runMcpServer(['--bogus'])).rejects.toSatisfy(McpOptionsError.isInstance);
    await expect(
      runMcpServer({ instance: 'missing', cwd: fx.project, env: fx.env, log }),
    ).rejects.toThrow(/no instance "missing".*known: dev/);
    expect(await runMcpServer(['--help'])).toBeUndefined();
    expect(await runMcpServer(['--version'])).toBeUndefined();
  });
});
