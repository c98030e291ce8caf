import { createSocket, type Socket } from 'node:dgram';

/** A running loopback DNS server; `server` is what `Resolver.setServers()` takes. */
export interface DnsServer {
  /** `127.0.0.1:<port>`. */
  readonly server: string;
  /** Every name asked for, lower-cased, in arrival order. */
  readonly queries: string[];
  close(): Promise<void>;
}

/**
 * A tiny real DNS server on loopback for tests: answers A queries for the names it knows,
 * NOERROR with no answer for other types of known names, and NXDOMAIN for everything else, so
 * code can resolve names without any query leaving the machine.
 */
export async function startDnsServer(records: Record<string, string>): Promise<DnsServer> {
  const socket: Socket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (msg, rinfo) => {
    // the question: labels from byte 12, then QTYPE and QCLASS
    let offset = 12;
    const labels: string[] = [];
    while (offset < msg.length && msg[offset] !== 0) {
      const len = msg[offset] ?? 0;
      labels.push(msg.subarray(offset + 1, offset + 1 + len).toString('ascii'));
      offset += len + 1;
    }
    const questionEnd = offset + 5;
    const qtype = msg.readUInt16BE(offset + 1);
    const name = labels.join('.').toLowerCase();
    queries.push(name);
    const address = records[name];
    const answers: Buffer[] = [];
    if (address && qtype === 1) {
      const answer = Buffer.alloc(16);
      answer.writeUInt16BE(0xc00c, 0); // pointer to the question name
      answer.writeUInt16BE(1, 2); // A
      answer.writeUInt16BE(1, 4); // IN
      answer.writeUInt32BE(60, 6); // TTL
      answer.writeUInt16BE(4, 10);
      address.split('.').forEach((octet, i) => {
        answer.writeUInt8(Number(octet), 12 + i);
      });
      answers.push(answer);
    }
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2); // id
    header.writeUInt8(0x80 | ((msg[2] ?? 0) & 0x01), 2); // QR, RD
    header.writeUInt8(0x80 | (address ? 0 : 3), 3); // RA, RCODE (3 = NXDOMAIN)
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    socket.send(
      Buffer.concat([header, msg.subarray(12, questionEnd), ...answers]),
      rinfo.port,
      rinfo.address,
    );
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    server: `127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
