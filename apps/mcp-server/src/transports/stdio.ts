import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Runtime } from '../context.js';
import { createSupaopsMcpServer, type SupaopsMcpServer } from '../server.js';

/** Serves one session on stdin/stdout; resolves once the client closes stdin. */
export async function serveStdio(
  runtime: Runtime,
): Promise<{ mcp: SupaopsMcpServer; closed: Promise<void> }> {
  const mcp = await createSupaopsMcpServer({ runtime });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await mcp.server.connect(transport);
  return { mcp, closed };
}
