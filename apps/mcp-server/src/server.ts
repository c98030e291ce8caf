import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Runtime } from './context.js';
import { serverInstructions } from './instructions.js';
import type { ServerOptions } from './options.js';
import { selectTools } from './registry/filter.js';
import { registerTools } from './registry/register.js';
import { TOOLS } from './registry/tools.js';
import type { AnyTool } from './registry/types.js';
import { lazySchemaValidator } from './schema-validator.js';
import { Session } from './session.js';
import { VERSION } from './version.js';

export interface SupaopsMcpServer {
  /** The SDK server: connect it to a transport. */
  server: McpServer;
  runtime: Runtime;
  session: Session;
  /** The tools registered (after --read-only and --features). */
  tools: AnyTool[];
  /** Closes the session's cursors and, when this server created the runtime, its pools. */
  close(): Promise<void>;
}

export interface CreateServerOptions extends ServerOptions {
  /** Share one runtime (config, pools, audit log) between sessions, as the HTTP transport does. */
  runtime?: Runtime;
}

/** One MCP server (one session) with the supaops tools registered. */
export async function createSupaopsMcpServer(
  options: CreateServerOptions = {},
): Promise<SupaopsMcpServer> {
  const { runtime: shared, ...rest } = options;
  const runtime = shared ?? (await Runtime.create(rest));
  const session = new Session();
  const server = new McpServer(
    { name: 'supaops', title: 'supaops', version: VERSION },
    {
      instructions: serverInstructions(runtime),
      capabilities: { tools: {} },
      jsonSchemaValidator: lazySchemaValidator,
    },
  );
  session.server = server;
  const tools = selectTools(TOOLS, runtime.options);
  registerTools(server, tools, { runtime, session });
  return {
    server,
    runtime,
    session,
    tools,
    async close() {
      await session.close();
      await server.close().catch(() => {});
      if (!shared) await runtime.close();
    },
  };
}
