import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { createDokployClient, streamContainerLogs } from '../src/index.js';

/** A scripted loopback WebSocket peer for the close paths Dokploy's own flow cannot reach. */
let server: WebSocketServer | undefined;
afterEach(async () => {
  for (const ws of server?.clients ?? []) ws.terminate();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});
async function peer(onConnection: (ws: WebSocket) => void) {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', onConnection);
  await new Promise<void>((r) => server?.once('listening', () => r()));
  const { port } = server.address() as AddressInfo;
  return createDokployClient({
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey: 'k_stream_0123456789',
  });
}

describe('streamContainerLogs close paths', () => {
  it('4000 is an invalid-parameters error carrying the reason', async () => {
    const client = await peer((ws) => ws.close(4000, 'Invalid tail parameter'));
    const closed = await (await streamContainerLogs(client, { containerId: 'c', onLine: () => {} }))
      .closed;
    expect(closed.error).toMatchObject({ kind: 'invalid-parameters', closeCode: 4000 });
    expect(closed.error?.message).toMatch(/Invalid tail parameter/);
  });

  it('a close without a code after data is a normal end; CR LF, lone CR and a trailing partial line are handled', async () => {
    const client = await peer((ws) => {
      ws.send('one\r\ntwo\r');
      ws.send('\nthree\r\npartial\r');
      setTimeout(() => ws.close(), 5);
    });
    const lines: string[] = [];
    const closed = await (
      await streamContainerLogs(client, { containerId: 'c', onLine: (l) => lines.push(l) })
    ).closed;
    expect(closed.code).toBe(1005);
    expect(closed.error).toBeUndefined();
    expect(lines).toEqual(['one', 'two', 'three', 'partial']);
  });

  it('timeoutMs ends a silent stream with a timeout error, and a chatty one without', async () => {
    const silent = await peer(() => {});
    const quiet = await (
      await streamContainerLogs(silent, { containerId: 'c', onLine: () => {}, timeoutMs: 30 })
    ).closed;
    expect(quiet.error?.kind).toBe('timeout');
    await new Promise<void>((r) => server?.close(() => r()));
    const chatty = await peer((ws) => ws.send('hello\n'));
    const lines: string[] = [];
    const ended = await (
      await streamContainerLogs(chatty, {
        containerId: 'c',
        onLine: (l) => lines.push(l),
        timeoutMs: 50,
      })
    ).closed;
    expect(ended.error).toBeUndefined();
    expect(lines).toEqual(['hello']);
  });

  it('an HTTP answer instead of an upgrade is a connection error', async () => {
    const client = createDokployClient({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'k_stream_0123456789',
    });
    await expect(
      streamContainerLogs(client, { containerId: 'c', onLine: () => {}, connectTimeoutMs: 2_000 }),
    ).rejects.toMatchObject({ kind: 'connection' });
  });
});
