import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Runtime } from '../context.js';
import { createSupaopsMcpServer, type SupaopsMcpServer } from '../server.js';

/** Serves one session on stdin/stdout (or the given streams); `closed` resolves when input ends. */
export async function serveStdio(
  runtime: Runtime,
  streams: { stdin: Readable; stdout: Writable } = { stdin: process.stdin, stdout: process.stdout },
): Promise<{ mcp: SupaopsMcpServer; closed: Promise<void> }> {
  const mcp = await createSupaopsMcpServer({ runtime });
  const transport = new StdioServerTransport(streams.stdin, streams.stdout);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    streams.stdin.once('end', () => resolve());
  });
  await mcp.server.connect(transport);
  return { mcp, closed };
}
