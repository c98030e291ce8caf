#!/usr/bin/env node
// The executable: flags in, exit code out. It is covered by the tests that spawn dist/bin.js.
import { runMcpServer } from './run.js';

try {
  const running = await runMcpServer(process.argv.slice(2));
  if (running) {
    const shutdown = () => {
      void running.stop().finally(() => process.exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    await running.done;
    process.exit(0);
  }
} catch (error) {
  process.stderr.write(`supaops-mcp: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
