// The public surface of @supaops/cli: run the CLI in-process, and the stable exit codes.
export type { CommandDef, CommandResult, GroupDef, TreeEntry } from './command.js';
export { COMMAND_TREE } from './commands/index.js';
export type { CliIo } from './context.js';
export { EXIT_CODES, type ExitCode } from './exit-codes.js';
export { buildProgram } from './program.js';
export { runCli } from './run.js';
