import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { annotationsFor } from './annotations.js';
import { type InvokeDeps, invokeTool } from './invoke.js';
import { listedTool } from './listing.js';
import { inputSchemaFor, outputSchemaFor } from './schemas.js';
import type { AnyTool } from './types.js';

const listings = new WeakMap<object, Tool[]>();

/**
 * Registers the selected tools with the SDK's McpServer (which validates every call's arguments
 * and results with their zod schemas), each bound to invokeTool; tools/list answers with the
 * compact listing, built once per server.
 */
export function registerTools(
  server: McpServer,
  tools: readonly AnyTool[],
  deps: InvokeDeps,
): void {
  const { options } = deps.runtime;
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: inputSchemaFor(tool, { instance: options.instance }),
        outputSchema: outputSchemaFor(tool),
        annotations: annotationsFor(tool, options.readOnly === true),
      },
      (args: Record<string, unknown>, extra) => invokeTool(tool, args, extra, deps),
    );
  }
  server.server.setRequestHandler(ListToolsRequestSchema, () => {
    // the same for every session of a runtime (its options fix the selection): build it once
    let listing = listings.get(deps.runtime);
    if (!listing) {
      listing = tools.map((t) => listedTool(t, options));
      listings.set(deps.runtime, listing);
    }
    // background work (the embedded sandbox) waits until this answer is on its way
    setTimeout(() => deps.runtime.warmUp(), 0);
    return { tools: listing };
  });
}
