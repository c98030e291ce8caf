import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type pg from 'pg';

const CANCEL_REQUEST_CODE = 80877102;
const SSL_REQUEST_CODE = 80877103;

/**
 * Sends a protocol CancelRequest for the backend (processID, secretKey) on a new connection,
 * like libpq's PQcancel. Resolves when the server closed that connection or after `timeoutMs`.
 */
export function sendCancelRequest(
  config: pg.ClientConfig,
  processID: number,
  secretKey: number,
  timeoutMs = 5000,
): Promise<void> {
  return new Promise((resolve) => {
    const host = config.host ?? 'localhost';
    const port = config.port ?? 5432;
    const packet = Buffer.alloc(16);
    packet.writeInt32BE(16, 0);
    packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
    packet.writeInt32BE(processID, 8);
    packet.writeInt32BE(secretKey, 12);
    let done = false;
    let socket: Socket;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(finish, timeoutMs);
    socket = host.startsWith('/') ? netConnect(`${host}/.s.PGSQL.${port}`) : netConnect(port, host);
    socket.on('error', finish);
    socket.on('close', finish);
    socket.once('connect', () => {
      if (!config.ssl) {
        socket.end(packet);
        return;
      }
      const request = Buffer.alloc(8);
      request.writeInt32BE(8, 0);
      request.writeInt32BE(SSL_REQUEST_CODE, 4);
      socket.write(request);
      socket.once('data', (answer: Buffer) => {
        if (answer[0] !== 0x53) {
          socket.end(packet);
          return;
        }
        const ssl = typeof config.ssl === 'object' ? config.ssl : {};
        const secure = tlsConnect({ ...ssl, socket });
        secure.on('error', finish);
        secure.once('secureConnect', () => secure.end(packet));
        secure.on('close', finish);
      });
    });
  });
}
