import type { CommandDef } from '../command.js';
import type { CliIo } from '../context.js';
import { classifyError } from '../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { examplesText } from '../program.js';

const EXAMPLES = [
  { command: 'supaops mcp', description: 'stdio server for Claude, Cursor or VS Code' },
  {
    command: 'supaops mcp --read-only --instance prod',
    description: 'read-only, scoped to one instance',
  },
  {
    command: 'supaops mcp --http --port 3939',
    description: 'Streamable HTTP on 127.0.0.1 with a bearer token',
  },
];

/**
 * `supaops mcp [flags]`: the MCP server with the flags exactly as `supaops-mcp` receives them
 * (its --help included). Resolves with the exit code once the server has stopped.
 */
export async function runMcp(argv: string[], io: CliIo): Promise<number> {
  try {
    const { runMcpServer } = await import('@supaops/mcp-server');
    const running = await runMcpServer(argv);
    if (!running) {
      if (argv.includes('--help') || argv.includes('-h')) {
        io.stderr.write(
          `\n\`supaops mcp\` passes these flags to the server unchanged.${examplesText(EXAMPLES)}`,
        );
      }
      return EXIT_CODES.ok;
    }
    const stop = () => void running.stop();
    io.signal?.addEventListener('abort', stop, { once: true });
    await running.done;
    io.signal?.removeEventListener('abort', stop);
    return EXIT_CODES.ok;
  } catch (error) {
    const { exitCode, code, message, fix } = classifyError(error);
    io.stderr.write(`error ${code} ${message}${fix ? `\n  fix: ${fix}` : ''}\n`);
    return exitCode;
  }
}

export const mcpCommand: CommandDef = {
  name: 'mcp',
  description:
    'Start the MCP server (stdio, or --http); every flag is passed to supaops-mcp unchanged (supaops mcp --help lists them)',
  arguments: [{ name: '[flags...]', description: 'the flags of supaops-mcp' }],
  passThrough: true,
  noJson: true,
  examples: EXAMPLES,
  async action(ctx, { args }) {
    const flags = Array.isArray(args[0]) ? (args[0] as string[]) : [];
    const config = ctx.globals.config ? ['--config', ctx.globals.config] : [];
    return { data: null, exitCode: await runMcp([...config, ...flags], ctx.io) };
  },
};
