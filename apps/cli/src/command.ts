import type { CommandContext } from './context.js';
import type { Colors } from './output/colors.js';

/** One option of a command, in commander's flag syntax (`-r, --role <name>`). */
export interface OptionDef {
  flags: string;
  description: string;
  default?: string | boolean | number | string[];
  choices?: readonly string[];
  /** Converts the raw value (for numbers, repeatable `key=value`, …). */
  parse?: (value: string, previous: unknown) => unknown;
  /** Completion hint for the option's value. */
  complete?: 'file' | 'directory';
}

export interface ArgumentDef {
  /** commander syntax: `<name>`, `[name]`, `[names...]`. */
  name: string;
  description: string;
  choices?: readonly string[];
}

export interface Example {
  command: string;
  description: string;
}

export interface CommandInput {
  /** Positional arguments in declaration order (a variadic one is an array). */
  args: unknown[];
  options: Record<string, unknown>;
}

export interface CommandResult {
  /** The `--json` document (a single value written to stdout). */
  data: unknown;
  /** Human output on stdout; omitted = nothing printed without --json. */
  human?: string | ((colors: Colors) => string);
  /** 0 unless the command found problems (1). */
  exitCode?: number;
  /** The output holds secrets the command exists to produce (`keys generate`): no redaction. */
  secretOutput?: boolean;
  /**
   * The command already streamed JSON lines to stdout (`logs --follow --json`): the document is
   * their last line, on one line, instead of an indented document of its own.
   */
  jsonLines?: boolean;
}

export interface CommandDef {
  name: string;
  description: string;
  arguments?: ArgumentDef[];
  options?: OptionDef[];
  examples: Example[];
  /** Adds --instance and --db-url (every database command accepts both). */
  database?: boolean;
  /** Writes or destroys something: the run is appended to the audit log. */
  audit?: boolean;
  /** Flags are forwarded untouched (`supaops mcp`). */
  passThrough?: boolean;
  /** No --json document (the command starts a server). */
  noJson?: boolean;
  action(ctx: CommandContext, input: CommandInput): Promise<CommandResult>;
}

/** A group of commands (`keys`, `db`, …). Later groups (deploy, doctor, …) are added the same way. */
export interface GroupDef {
  name: string;
  description: string;
  examples: Example[];
  commands: CommandDef[];
}

export type TreeEntry = CommandDef | GroupDef;

export function isGroup(entry: TreeEntry): entry is GroupDef {
  return 'commands' in entry;
}

/** Narrowing helpers for commander's untyped option values. */
export function optString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function optBool(value: unknown): boolean {
  return value === true;
}

export function optNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function optStrings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}
