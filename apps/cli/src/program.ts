import { Argument, Command, Option } from 'commander';
import type { CommandDef, CommandInput, Example, OptionDef, TreeEntry } from './command.js';
import { isGroup } from './command.js';
import { EXIT_CODE_HELP } from './exit-codes.js';

declare const __CLI_VERSION__: string;
const VERSION = typeof __CLI_VERSION__ === 'string' ? __CLI_VERSION__ : '0.0.0-dev';

export type ActionHandler = (
  def: CommandDef,
  path: string[],
  input: CommandInput,
  command: Command,
) => Promise<void>;

export interface ProgramOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
  /** Commander's own error lines ("error: unknown option"); the runner decides where they go. */
  outputError(text: string): void;
}

/** The options every command understands. */
export const GLOBAL_OPTIONS: OptionDef[] = [
  { flags: '--json', description: 'machine output: one JSON document on stdout (see schemas/)' },
  { flags: '-q, --quiet', description: 'only errors on stderr; no progress, no notes' },
  {
    flags: '-v, --verbose',
    description: 'more detail on stderr (and progress lines without a terminal)',
  },
  { flags: '--color', description: 'force colors (overrides NO_COLOR and FORCE_COLOR)' },
  { flags: '--no-color', description: 'no colors' },
  {
    flags: '--config <file>',
    description: 'use this config file (default: nearest supaops.config.json, then the user file)',
    complete: 'file',
  },
];

/** What --instance/--db-url add to every database command. */
export const INSTANCE_OPTIONS: OptionDef[] = [
  {
    flags: '-i, --instance <name>',
    description: 'a configured instance (default: SUPAOPS_INSTANCE, then the config default)',
  },
  {
    flags: '--db-url <url>',
    description: 'an ad-hoc database, no config needed (percent-encode the password)',
  },
];

function toOption(def: OptionDef): Option {
  const option = new Option(def.flags, def.description);
  if (def.choices) option.choices(def.choices);
  if (def.parse) option.argParser(def.parse);
  if (def.default !== undefined) option.default(def.default);
  return option;
}

export function examplesText(examples: Example[]): string {
  if (examples.length === 0) return '';
  const width = Math.min(60, Math.max(...examples.map((e) => e.command.length)));
  const lines = examples.map((e) =>
    e.command.length > width
      ? `  $ ${e.command}\n    ${' '.repeat(width)}  # ${e.description}`
      : `  $ ${e.command.padEnd(width)}  # ${e.description}`,
  );
  return `\nExamples:\n${lines.join('\n')}\n`;
}

function addCommand(parent: Command, def: CommandDef, path: string[], onAction: ActionHandler) {
  const command = parent.command(def.name).description(def.description);
  for (const arg of def.arguments ?? []) {
    const argument = new Argument(arg.name, arg.description);
    if (arg.choices) argument.choices(arg.choices);
    command.addArgument(argument);
  }
  const options = [...(def.options ?? []), ...(def.database ? INSTANCE_OPTIONS : [])];
  for (const option of options) command.addOption(toOption(option));
  if (def.passThrough) command.allowUnknownOption().allowExcessArguments();
  command.addHelpText('after', examplesText(def.examples));
  const fullPath = [...path, def.name];
  command.action(async (...params: unknown[]) => {
    const cmd = params.at(-1) as Command;
    const args = params.slice(0, def.arguments?.length ?? 0);
    await onAction(def, fullPath, { args, options: cmd.opts() }, cmd);
  });
}

/**
 * Builds the commander tree from the command definitions. Groups and commands are registered by
 * one loop, so a new group (deploy, doctor, env, …) is one more entry in the tree.
 */
export function buildProgram(
  tree: TreeEntry[],
  output: ProgramOutput,
  onAction: ActionHandler,
  options: { onlyGroup?: string | undefined } = {},
): Command {
  const program = new Command('supaops')
    .description(
      'Operate self-hosted Supabase: keys, SQL, connections, migrations, backups and a local sandbox.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .helpCommand('help [command]', 'show help for a command')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput(output)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const option of GLOBAL_OPTIONS) program.addOption(toOption(option));
  program.addHelpText(
    'after',
    `${examplesText([
      { command: 'supaops init', description: 'write a supaops.config.json (asks on a terminal)' },
      {
        command: 'supaops keys check --env .env',
        description: 'diagnose the JWT keys of a self-hosted .env',
      },
      {
        command: 'supaops db sql "select now()" --db-url "$DATABASE_URL"',
        description: 'run SQL on any database',
      },
      {
        command: 'supaops backup create --instance prod',
        description: 'back up a configured instance',
      },
    ])}\n${EXIT_CODE_HELP}\n\nPrecedence: flags, then environment (SUPAOPS_INSTANCE, SUPAOPS_DB_URL, SUPAOPS_CONFIG), then the config file.\n`,
  );

  for (const entry of tree) {
    if (!isGroup(entry)) {
      addCommand(program, entry, [], onAction);
      continue;
    }
    const group = program.command(entry.name).description(entry.description);
    // a run of one group needs only that group's commands; the others stay names (start-up time)
    if (options.onlyGroup && options.onlyGroup !== entry.name) continue;
    group.addHelpText('after', examplesText(entry.examples));
    for (const def of entry.commands) addCommand(group, def, [entry.name], onAction);
  }
  return program;
}
