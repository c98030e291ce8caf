import type { Command } from 'commander';

export interface CompletionOption {
  /** Every spelling: `-i`, `--instance`. */
  names: string[];
  description: string;
  takesValue: boolean;
  choices: string[];
  /** Complete the value as a path. */
  path: 'file' | 'directory' | undefined;
}

export interface CompletionNode {
  name: string;
  description: string;
  options: CompletionOption[];
  /** Choices of the first positional argument (e.g. the shell of `completion`). */
  argumentChoices: string[];
  commands: CompletionNode[];
}

function pathHint(flags: string): CompletionOption['path'] {
  if (/<(file|path)>/.test(flags)) return 'file';
  if (/<(dir|directory|location)>/.test(flags)) return 'directory';
  return undefined;
}

/** The commander tree as plain data, for the shell script generators. */
export function describeCommand(
  command: Command,
  inherited: CompletionOption[] = [],
): CompletionNode {
  const own: CompletionOption[] = command.options
    .filter((o) => !o.hidden)
    .map((o) => ({
      names: [o.short, o.long].filter((n): n is string => typeof n === 'string'),
      description: o.description,
      takesValue: o.required || o.optional,
      choices: o.argChoices ?? [],
      path: pathHint(o.flags),
    }));
  const help: CompletionOption = {
    names: ['-h', '--help'],
    description: 'show help',
    takesValue: false,
    choices: [],
    path: undefined,
  };
  const options = [...own, ...inherited, help];
  const globals = command.parent ? inherited : own;
  return {
    name: command.name(),
    description: command.description(),
    options,
    argumentChoices: command.registeredArguments[0]?.argChoices ?? [],
    commands: command.commands
      .filter((c) => c.name() !== 'help')
      .map((c) => describeCommand(c, globals)),
  };
}

/** Every command path below the root, e.g. `keys check`, with its node. */
export function commandPaths(
  root: CompletionNode,
): Array<{ path: string[]; node: CompletionNode }> {
  const out: Array<{ path: string[]; node: CompletionNode }> = [{ path: [], node: root }];
  const walk = (node: CompletionNode, path: string[]) => {
    for (const child of node.commands) {
      const childPath = [...path, child.name];
      out.push({ path: childPath, node: child });
      walk(child, childPath);
    }
  };
  walk(root, []);
  return out;
}
