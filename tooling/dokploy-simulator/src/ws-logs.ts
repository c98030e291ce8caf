import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { findContainer } from './containers.js';
import { hasPermission } from './permissions.js';
import type { SimApiKey, SimulatorState } from './state.js';

/*
 * apps/dokploy/server/wss/docker-container-logs.ts: the upgrade is always accepted. Parameters
 * are checked first (close 4000), then the key: none or a bad one is a bare `ws.close()`, i.e.
 * code 1005 and no reason. 4003 means authenticated without docker access. The logs run under
 * node-pty, so lines end in \r\n, and nothing closes the socket when `docker logs` exits: an
 * unknown container gets the daemon's error and then an open, silent socket.
 */

export interface LogSocketOptions {
  readonly state: SimulatorState;
  authenticate(req: IncomingMessage): SimApiKey | undefined;
  readonly followMs: number;
}

const CRLF = '\r\n';

function badParameter(url: URL): string | undefined {
  const containerId = url.searchParams.get('containerId');
  const tail = url.searchParams.get('tail') ?? '100';
  const since = url.searchParams.get('since') ?? 'all';
  const search = url.searchParams.get('search') ?? '';
  if (!containerId) return 'containerId no provided';
  if (!/^[a-zA-Z0-9.\-_]+$/.test(containerId)) return 'Invalid container ID format';
  if (!/^\d+$/.test(tail)) return 'Invalid tail parameter';
  if (!/^(all|\d+[smhd])$/.test(since)) return 'Invalid since parameter';
  if (search !== '' && !/^[a-zA-Z0-9 ._-]{0,500}$/.test(search)) return 'Invalid search parameter';
  return undefined;
}

/** Serves `/docker-container-logs` on `server`; returns a function that closes every socket. */
export function attachLogSocket(
  server: Server,
  o: LogSocketOptions,
): { terminateAll(): void; close(): void } {
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    if (url.pathname !== '/docker-container-logs') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      const bad = badParameter(url);
      if (bad) {
        ws.close(4000, bad);
        return;
      }
      const key = o.authenticate(req);
      if (!key) {
        ws.close();
        return;
      }
      if (!url.searchParams.get('serviceId') && !hasPermission(key, 'docker:read')) {
        ws.close(4003, 'Not authorized');
        return;
      }
      const containerId = url.searchParams.get('containerId') ?? '';
      const container = findContainer(o.state, containerId);
      if (!container) {
        ws.send(`Error response from daemon: No such container: ${containerId}${CRLF}`);
        return;
      }
      const tail = Number(url.searchParams.get('tail') ?? '100');
      const search = (url.searchParams.get('search') ?? '').toLowerCase();
      const pick = (lines: string[]) =>
        search ? lines.filter((l) => l.toLowerCase().includes(search)) : lines;
      const initial = pick(container.logs).slice(-tail);
      if (initial.length) ws.send(`${initial.join(CRLF)}${CRLF}`);
      let n = 0;
      const timer = setInterval(() => {
        n += 1;
        const line = `${new Date().toISOString()} ${container.service} | heartbeat ${n}`;
        container.logs.push(line);
        if (pick([line]).length && ws.readyState === ws.OPEN) ws.send(`${line}${CRLF}`);
      }, o.followMs);
      timer.unref();
      ws.on('close', () => clearInterval(timer));
    });
  });
  return {
    terminateAll: () => {
      for (const ws of sockets) ws.terminate();
    },
    close: () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
    },
  };
}
