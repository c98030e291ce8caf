import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CursorStore } from './cursors.js';

/** What a query result cursor remembers besides the rows. */
export interface ResultCursorMeta {
  instance: string;
  columns: { name: string; type: string }[];
}

/** State of one MCP session (one client connection): its cursors and its server object. */
export class Session {
  readonly cursors: CursorStore<ResultCursorMeta>;
  server: McpServer | undefined;

  constructor(options: { maxCursors?: number; cursorTtlMs?: number } = {}) {
    this.cursors = new CursorStore({
      ...(options.maxCursors === undefined ? {} : { maxCursors: options.maxCursors }),
      ...(options.cursorTtlMs === undefined ? {} : { ttlMs: options.cursorTtlMs }),
    });
  }

  async close(): Promise<void> {
    await this.cursors.closeAll();
  }
}
