import type { Command } from 'commander';
import { CommanderError } from 'commander';
import type { CommandDef, CommandInput, CommandResult } from './command.js';
import { isGroup } from './command.js';
import { COMMAND_TREE } from './commands/index.js';
import { type CliIo, CommandContext, type GlobalOptions } from './context.js';
import { classifyError } from './errors.js';
import { EXIT_CODES } from './exit-codes.js';
import { appendAudit } from './output/audit.js';
import { writeError, writeResult } from './output/emit.js';
import { buildProgram } from './program.js';

const GLOBAL_FLAGS = new Set([
  '--json',
  '-q',
  '--quiet',
  '-v',
  '--verbose',
  '--color',
  '--no-color',
]);

function globalsOf(command: Command): GlobalOptions {
  const all = command.optsWithGlobals() as Record<string, unknown>;
  const colorGiven = command.getOptionValueSourceWithGlobals('color') === 'cli';
  return {
    json: all.json === true,
    quiet: all.quiet === true,
    verbose: all.verbose === true && all.quiet !== true,
    color: colorGiven ? all.color === true : undefined,
    config: typeof all.config === 'string' ? all.config : undefined,
  };
}

/** Options that only tune output are not worth an audit entry's space. */
function auditArgs(def: CommandDef, input: CommandInput): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  def.arguments?.forEach((arg, i) => {
    const name = arg.name.replace(/[<>[\].]/g, '');
    if (input.args[i] !== undefined) args[name] = input.args[i];
  });
  for (const [key, value] of Object.entries(input.options)) {
    if (value !== undefined) args[key] = value;
  }
  return args;
}

async function execute(
  io: CliIo,
  def: CommandDef,
  path: string[],
  input: CommandInput,
  command: Command,
): Promise<number> {
  const ctx = new CommandContext(io, globalsOf(command));
  let root: Command = command;
  while (root.parent) root = root.parent;
  ctx.program = root;
  const started = Date.now();
  const action = path.join(' ');
  let result: CommandResult | undefined;
  let failure: unknown;
  try {
    result = await def.action(ctx, input);
  } catch (error) {
    failure = error;
  }
  await ctx.close();
  const durationMs = Date.now() - started;
  if (failure === undefined && result) {
    if (def.audit) {
      await appendAudit(ctx, {
        action,
        args: auditArgs(def, input),
        outcome: ctx.audit.outcome ?? 'ok',
        durationMs,
      });
    }
    writeResult(ctx, result);
    return ctx.signal.aborted ? EXIT_CODES.interrupted : (result.exitCode ?? EXIT_CODES.ok);
  }
  const classified = classifyError(failure, ctx.signal.aborted);
  if (def.audit) {
    await appendAudit(ctx, {
      action,
      args: auditArgs(def, input),
      outcome: ctx.audit.outcome ?? 'error',
      error: { code: classified.code, message: classified.message },
      durationMs,
    });
  }
  writeError(ctx, classified, failure);
  return classified.exitCode;
}

/** `supaops mcp …` hands every flag to the MCP server untouched (its own --help included). */
function mcpForward(argv: string[]): string[] | undefined {
  const at = argv.indexOf('mcp');
  if (at < 0 || !argv.slice(0, at).every((a) => GLOBAL_FLAGS.has(a))) return undefined;
  const rest = argv.slice(at + 1);
  return rest;
}

/**
 * Runs one CLI invocation and resolves to its exit code. Never calls process.exit: bin.ts does,
 * so embedders and tests can run the CLI in-process.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const forwarded = mcpForward(argv);
  if (forwarded) {
    const { runMcp } = await import('./commands/mcp.js');
    return runMcp(forwarded, io);
  }

  const jsonMode = argv.includes('--json');
  // `supaops keys check …` builds the keys group only; help and completion see the whole tree
  const first = argv.find((a) => !a.startsWith('-'));
  const onlyGroup = COMMAND_TREE.some((e) => isGroup(e) && e.name === first) ? first : undefined;
  let exitCode: number = EXIT_CODES.ok;
  let commanderError = '';
  const program = buildProgram(
    COMMAND_TREE,
    {
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text) => {
        commanderError += text;
        if (!jsonMode) io.stderr.write(text);
      },
    },
    async (def, path, input, command) => {
      exitCode = await execute(io, def, path, input, command);
    },
    { onlyGroup },
  );

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
      return EXIT_CODES.ok;
    }
    // a group called without a subcommand prints its help: that is a usage error too
    if (jsonMode) {
      const message = (commanderError || error.message).replace(/^error:\s*/, '').trim();
      io.stdout.write(
        `${JSON.stringify({ error: { code: 'USAGE', message, fix: 'Run the command with --help.' } }, null, 2)}\n`,
      );
    }
    return EXIT_CODES.usage;
  }
  return exitCode;
}
